"""The agent's state: what each node reads and writes while one story is turned into a suite."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal, NotRequired, TypedDict

from pydantic import BaseModel, ConfigDict, Field

from casewright.design.behaviour import Behaviour, Configuration
from casewright.models import CaseKind, Finding, Source, Story, Suite, TestCase


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Objective(_Model):
    """One thing to test: a criterion seen from one angle (happy path, rejection, limit...)."""

    objective_id: str = Field(description="Criterion id and kind, such as 'AC2-negative'.")
    criterion_id: str
    kind: CaseKind
    intent: str = Field(description="What the case must show, in one sentence.")
    rule_ids: list[str] = Field(default_factory=list)
    source_ids: list[str] = Field(default_factory=list, description="Passages the case rests "
                                  "on, set once the retriever has found them.")
    origin: Literal["engine", "scaffold", "person"] = Field(
        description="engine: a configuration of the test design; scaffold: the criterion as "
        "written, when the analysis could not read it; person: asked for in a chat session.")
    configuration: Configuration | None = Field(
        default=None, description="The values, actions and outcome to test; None for the "
        "scaffold.")
    restating: bool = Field(
        default=False, description="The engine's own case would only say the criterion again "
        "(\"Cancel order\" -> \"The order is canceled\"): the model drafts it from the "
        "configuration, and where no draft holds it becomes a question, as an unread one does.")


class Plan(_Model):
    """The objectives for a story, in criterion order, and what to look up for each criterion."""

    objectives: list[Objective]
    queries: dict[str, str] = Field(description="Criterion id -> retrieval query.")
    behaviours: dict[str, list[Behaviour]] = Field(
        default_factory=dict, description="Criterion id -> the rules its analysis found.")
    findings: list[Finding] = Field(default_factory=list, description="Ambiguities and "
                                    "criteria the analysis could not read.")


class Evidence(_Model):
    """What the retriever found: rules and pages by criterion, exemplars and duplicates."""

    sources: list[Source] = Field(default_factory=list, description="Rules and pages found.")
    by_criterion: dict[str, list[str]] = Field(
        default_factory=dict, description="Criterion id -> ids of the sources found for it.")
    exemplars: list[TestCase] = Field(default_factory=list, description="Cases to copy style from.")
    candidates: list[TestCase] = Field(
        default_factory=list, description="Existing cases the new ones must not duplicate.")
    glossary: dict[str, str] = Field(default_factory=dict, description="The terms the "
                                     "workspace defines: words a case may use.")

    def rule_ids(self) -> set[str]:
        """Return the ids of the rules in evidence."""
        return {source.source_id for source in self.sources if source.kind == "rule"}


class Review(_Model):
    """The reviewer's verdict on one round: findings and the objectives to write again."""

    round: int
    findings: list[Finding] = Field(default_factory=list)
    revise: list[str] = Field(default_factory=list, description="Objective ids to rewrite.")


def merge_cases(old: dict[str, TestCase], new: dict[str, TestCase]) -> dict[str, TestCase]:
    """Reducer: cases are keyed by objective id; a rewrite replaces the earlier case."""
    return {**old, **new}


class AgentInput(TypedDict):
    """What a caller passes in: the story, and its earlier suite to update, if any."""

    story: Story
    previous: NotRequired[Suite | None]
    redesign: NotRequired[bool]


class AgentState(TypedDict, total=False):
    """Everything the nodes share for one story."""

    story: Story
    """The story under test, from the Jira source."""
    previous: Suite | None
    """The story's earlier suite, which the new one updates (`casewright.living`)."""
    redesign: bool
    """Whether unchanged criteria of the earlier suite are designed again."""
    started_at: datetime
    """When the planner started on the story."""
    plan: Plan
    """The planner's objectives and queries."""
    evidence: Evidence
    """The retriever's rules, pages, exemplars and duplicate candidates."""
    cases: Annotated[dict[str, TestCase], merge_cases]
    """Written cases by objective id; the writer rewrites only the ones the reviewer names."""
    review: Review
    """The latest review."""
    suite: Suite
    """The finished suite, set by the last node."""
