"""Cases from objectives, shared by the writer and finish nodes and by chat edits.

An objective with a configuration gets the engine's case (`rendering.py`); one from a criterion
the analysis could not read gets the fixed pipeline's template case. Ids, titles, kinds and
traces are set here, by code.
"""

from __future__ import annotations

from casewright.agents.fixed_pipeline import priority, template_case
from casewright.agents.rendering import render
from casewright.agents.state import Objective
from casewright.approval import ENGINE_LABEL, SCAFFOLD_LABEL
from casewright.models import Story, TestCase
from casewright.wording import headline


def case_id(story: Story, objectives: list[Objective], objective: Objective) -> str:
    """Return the stable id of an objective's case: its position in the plan."""
    return f"{story.key}-TC{objectives.index(objective) + 1:02d}"


def _title(objective: Objective) -> str:
    return f"{objective.criterion_id} {objective.kind}: {headline(objective.intent, 70)}"


def scaffold_case(story: Story, objective: Objective, number: str) -> TestCase:
    """Return the template case of a criterion the analysis could not read."""
    criterion = next(c for c in story.criteria if c.criterion_id == objective.criterion_id)
    base = template_case(story, criterion, 1)
    return base.model_copy(update={
        "case_id": number, "title": _title(objective), "objective": objective.intent,
        "kind": objective.kind, "source_ids": objective.source_ids,
        "labels": ["casewright", "agent", SCAFFOLD_LABEL]})


def engine_case(story: Story, objective: Objective, number: str) -> TestCase:
    """Return the engine's case for an objective (the template for an unread criterion)."""
    if objective.configuration is None:
        return scaffold_case(story, objective, number)
    case = render(story, objective.configuration, number, priority(story), objective.rule_ids)
    return case.model_copy(update={"labels": [*case.labels, ENGINE_LABEL],
                                   "source_ids": objective.source_ids})
