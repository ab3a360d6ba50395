"""The fixed automation pipeline: one templated case per criterion, no model, no retrieval.

A criterion the story states again gets no second case: the first one traces to both.

Given clauses become preconditions, When clauses actions, Then clauses expected results; a
criterion written as plain text becomes a single check step. The output depends only on the
story, so two runs write the same cases. It is the baseline the agent is measured against.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from casewright.config import Settings
from casewright.design.repeats import repeat_findings, repeat_ids, traced_ids
from casewright.models import (
    AcceptanceCriterion,
    CaseKind,
    Finding,
    Priority,
    Provenance,
    Step,
    Story,
    Suite,
    TestCase,
)
from casewright.prompts import load_template
from casewright.version import __version__
from casewright.wording import headline, sentence

_NEGATIVE = re.compile(
    r"\b(not|no|cannot|can't|unable|reject\w*|declin\w*|block\w*|error|denied|prevent\w*|"
    r"refus\w*|invalid|fail\w*)\b", re.IGNORECASE)
_BOUNDARY = re.compile(
    r"\b(maximum|minimum|at most|at least|more than|less than|up to|exceed\w*|limit\w*|"
    r"within \d+)\b", re.IGNORECASE)
_PRIORITIES: dict[str, Priority] = {
    "blocker": "critical", "highest": "critical", "critical": "critical", "high": "high",
    "medium": "medium", "low": "low", "lowest": "low", "minor": "low", "major": "high",
}


def case_kind(criterion: AcceptanceCriterion) -> CaseKind:
    """Classify a criterion by its wording: a rejection, a limit, or the happy path."""
    wording = " ".join(criterion.when + criterion.then) or criterion.text
    if _NEGATIVE.search(wording):
        return "negative"
    if _BOUNDARY.search(wording):
        return "boundary"
    return "positive"


def _steps(criterion: AcceptanceCriterion, template: dict[str, str]) -> list[Step]:
    names = {"criterion_id": criterion.criterion_id, "text": criterion.text}
    if not criterion.is_gherkin:
        return [Step(action=template["plain_action"].format(**names),
                     expected=template["plain_expected"].format(**names))]
    actions = [sentence(clause) for clause in criterion.when] or [
        template["observe_action"].format(**names)]
    outcomes = [sentence(clause) for clause in criterion.then]
    if len(outcomes) == len(actions):
        expected = outcomes
    else:
        final = "; ".join(outcomes) or template["missing_outcome"].format(**names)
        expected = [template["intermediate_expected"]] * (len(actions) - 1) + [final]
    return [Step(action=a, expected=e) for a, e in zip(actions, expected, strict=True)]


def priority(story: Story) -> Priority:
    """Map the story's Jira priority onto a case priority (medium when unset)."""
    return _PRIORITIES.get((story.priority or "").lower(), "medium")


def template_case(story: Story, criterion: AcceptanceCriterion, number: int) -> TestCase:
    """Write the templated case for one criterion."""
    template = load_template("fixed_pipeline")
    outcome = " and ".join(criterion.then) or criterion.text
    names = {"criterion_id": criterion.criterion_id,
             "headline": headline(criterion.title or (criterion.then or [criterion.text])[0]),
             "outcome": outcome[:1].lower() + outcome[1:].rstrip(".")}
    return TestCase(
        case_id=f"{story.key}-TC{number:02d}",
        title=template["title"].format(**names),
        objective=template["objective"].format(**names),
        kind=case_kind(criterion),
        priority=priority(story),
        preconditions=[sentence(clause) for clause in criterion.given],
        steps=_steps(criterion, template),
        story_key=story.key,
        criterion_ids=traced_ids(story, criterion.criterion_id),
        rule_ids=criterion.rule_ids,
        labels=["casewright", "fixed-pipeline"],
    )


def run_fixed(story: Story, settings: Settings) -> Suite:
    """Write the fixed pipeline's suite for one story."""
    started = datetime.now(UTC)
    repeats = repeat_ids(story)
    planned = [c for c in story.criteria if c.criterion_id not in repeats]
    cases = [template_case(story, c, n) for n, c in enumerate(planned, start=1)]
    findings = repeat_findings(story) if story.criteria else [Finding(
        check="no-criteria",
        message=f"{story.key} has no acceptance criteria; no cases were written",
        severity="warning")]
    return Suite(story=story, cases=cases, findings=findings, provenance=Provenance(
        tool_version=__version__, pipeline="fixed",
        workspace=str(settings.workspace) if settings.workspace else None,
        settings={"template": load_template("fixed_pipeline")["version"],
                  "criteria_field": settings.criteria_field,
                  "epic_link_field": settings.epic_link_field},
        started_at=started, finished_at=datetime.now(UTC)))
