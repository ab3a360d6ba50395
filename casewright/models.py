"""Domain models shared by the tools, the pipelines and the exports.

Everything that crosses a boundary (a parsed Jira issue, a Confluence page, a written test
case, a finished suite) is one of these pydantic models, so the agent, the fixed pipeline and
every exporter agree on one shape.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

CaseKind = Literal["positive", "negative", "boundary", "role", "data"]
"""What a test case exercises: the happy path, a rejection, a limit, a permission or data rule."""

Priority = Literal["critical", "high", "medium", "low"]
Severity = Literal["error", "warning"]
PipelineName = Literal["fixed", "agent"]
CriteriaSource = Literal["field", "description", "none"]
CaseStatus = Literal["new", "kept", "updated", "obsolete"]
"""Where a case stands against the story's earlier suite (see `casewright.living`)."""
CriterionChangeKind = Literal["added", "changed", "removed"]

_SPACES = re.compile(r"\s+")


def content_hash(text: str) -> str:
    """Return a short stable hash of text, insensitive to case and whitespace changes."""
    normalised = _SPACES.sub(" ", text).strip().lower()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AcceptanceCriterion(_Model):
    """One acceptance criterion of a story, with its Given/When/Then parts when it has them."""

    criterion_id: str = Field(description="Stable id within the story, such as 'AC1'.")
    text: str = Field(description="The criterion as written, whitespace-normalised.")
    title: str | None = Field(default=None, description="Scenario name when the team gave one.")
    given: list[str] = Field(default_factory=list, description="Given/And clauses: preconditions.")
    when: list[str] = Field(default_factory=list, description="When/And clauses: actions.")
    then: list[str] = Field(default_factory=list, description="Then/And/But clauses: outcomes.")
    rule_ids: list[str] = Field(default_factory=list, description="Business rule ids it names.")
    content_hash: str = Field(default="", description="Hash of the text, recomputed on load: "
                              "tells a changed criterion from an unchanged one.")

    @model_validator(mode="after")
    def _hash_text(self) -> AcceptanceCriterion:
        self.content_hash = content_hash(self.text)
        return self

    @property
    def is_gherkin(self) -> bool:
        """Whether the criterion was written as Given/When/Then (at least a When or a Then)."""
        return bool(self.when or self.then)


class Story(_Model):
    """A Jira story (or any issue with acceptance criteria) as the pipelines see it."""

    key: str = Field(description="Jira issue key, such as 'CC-101'.")
    summary: str
    description: str = Field(default="", description="Description as plain text.")
    issue_type: str = "Story"
    project: str = Field(description="Jira project key.")
    project_name: str | None = Field(default=None, description="Jira project name, if given.")
    epic_key: str | None = None
    priority: str | None = Field(default=None, description="Jira priority name, if set.")
    labels: list[str] = Field(default_factory=list)
    components: list[str] = Field(default_factory=list)
    url: str | None = Field(default=None, description="Browse URL of the issue.")
    criteria: list[AcceptanceCriterion] = Field(default_factory=list)
    criteria_source: CriteriaSource = "none"


class Rule(_Model):
    """A business rule found in a Confluence page, cited by its id (such as 'BR-12')."""

    rule_id: str
    text: str
    page_id: str
    heading_path: list[str] = Field(default_factory=list)


class Page(_Model):
    """A Confluence page of business rules."""

    page_id: str
    title: str
    space: str | None = None
    url: str | None = None
    version: int | None = None
    text: str = Field(description="Body as plain text, one block per line.")
    rules: list[Rule] = Field(default_factory=list)


class Step(_Model):
    """One test step: what the tester does, with which data, and what they should observe."""

    action: str = Field(description="What the tester does, imperative, one action.")
    data: str = Field(default="", description="Test data the action uses, or empty.")
    expected: str = Field(description="The observable result the tester checks.")


class TestCase(_Model):
    """A UAT test case that traces to its story, criteria and business rules."""

    __test__ = False  # not a pytest test class

    case_id: str = Field(description="Unique id, such as 'CC-101-TC01'.")
    title: str
    objective: str = Field(description="What the case proves, in one sentence.")
    kind: CaseKind = "positive"
    priority: Priority = "medium"
    preconditions: list[str] = Field(default_factory=list)
    steps: list[Step] = Field(min_length=1)
    story_key: str
    criterion_ids: list[str] = Field(default_factory=list)
    rule_ids: list[str] = Field(default_factory=list)
    source_ids: list[str] = Field(default_factory=list, description="Passages (rules and "
                                  "page sections) the case rests on, as in the suite's sources.")
    labels: list[str] = Field(default_factory=list)
    status: CaseStatus = Field(default="new", description="Against the story's earlier "
                               "suite: new; kept (its criterion unchanged, or designed the "
                               "same again); updated (designed again for its changed "
                               "criterion, same id); obsolete (its criterion changed or went: "
                               "kept for the record, never tested or pushed again).")
    criterion_hashes: dict[str, str] = Field(default_factory=dict, description="Criterion id "
                                             "-> content hash of the criterion text the case "
                                             "was designed from.")


class Finding(_Model):
    """Something a reviewer (or the pipeline) flags and a person should look at."""

    check: str = Field(description="Machine name of the check, such as 'no-criteria'.")
    message: str
    severity: Severity = "warning"
    case_id: str | None = None
    criterion_id: str | None = None


class Source(_Model):
    """A passage a suite relied on: a rule or a page section, with the link that opens it."""

    source_id: str = Field(description="Rule id, or page id and heading anchor "
                           "('229376013#Payment-plans'), story key or test case id.")
    kind: Literal["rule", "page", "story", "test"]
    title: str = Field(description="Page title, story summary or test case title.")
    url: str | None = Field(default=None, description="Link to the passage, with the "
                            "heading's anchor where it has one.")
    text: str = ""
    page_id: str | None = None
    heading_path: list[str] = Field(default_factory=list)


class Provenance(_Model):
    """How a suite was made, so a reader can reproduce or distrust it."""

    tool_version: str
    pipeline: PipelineName
    workspace: str | None = None
    settings: dict[str, str | int | float | bool | None] = Field(default_factory=dict)
    started_at: datetime
    finished_at: datetime


class CriterionChange(_Model):
    """A criterion added, changed or removed since the story's earlier suite."""

    criterion_id: str = Field(description="Its id now; for a removed one, the id it had.")
    change: CriterionChangeKind
    previous_id: str | None = Field(default=None, description="Its id in the earlier suite.")
    previous_text: str | None = Field(default=None, description="Its text then.")
    text: str | None = Field(default=None, description="Its text now.")


class SuiteUpdate(_Model):
    """What a run changed in the story's earlier suite, instead of replacing it."""

    previous_finished_at: datetime = Field(description="When the earlier suite was made.")
    criteria: list[CriterionChange] = Field(default_factory=list)
    redesigned: bool = Field(default=False, description="Whether unchanged criteria were "
                             "designed again (`--redesign`).")
    obsoleted: list[str] = Field(default_factory=list, description="Cases made obsolete by "
                                 "this update (cases obsolete before stay so).")
    withdrawn: list[str] = Field(default_factory=list, description="Cases a person had "
                                 "approved that were designed again: approve them again.")


class Suite(_Model):
    """The test cases written for one story, its open findings, and how it was made."""

    story: Story
    cases: list[TestCase] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list, description="Evidence the cases cite.")
    provenance: Provenance
    update: SuiteUpdate | None = Field(default=None, description="How this suite updated the "
                                       "story's earlier one; None for a first suite.")

    @property
    def live_cases(self) -> list[TestCase]:
        """Return the cases that are not obsolete: those to run."""
        return [case for case in self.cases if case.status != "obsolete"]

    def cases_for(self, criterion_id: str) -> list[TestCase]:
        """Return the live (not obsolete) cases that trace to a criterion."""
        return [case for case in self.live_cases if criterion_id in case.criterion_ids]
