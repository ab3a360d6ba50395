"""Objectives and their cases, shared by the nodes (planner, retriever, writer, finish) and chat.

A configuration becomes an objective with an id no other has. An objective with a
configuration gets the engine's case (`rendering.py`); one from a criterion the analysis could
not read gets the fixed pipeline's template case. Ids, titles, kinds and traces are set here,
by code.
"""

from __future__ import annotations

from casewright.agents.fixed_pipeline import priority, template_case
from casewright.agents.state import Objective
from casewright.approval import ENGINE_LABEL, SCAFFOLD_LABEL
from casewright.design.behaviour import Configuration
from casewright.design.rendering import objective as describe
from casewright.design.rendering import render
from casewright.models import AcceptanceCriterion, Story, TestCase
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


def objective_for(criterion: AcceptanceCriterion, configuration: Configuration,
                  taken: set[str], *, restating: bool = False) -> Objective:
    """Return the objective of one configuration, with an id no other objective has."""
    base = objective_id = f"{criterion.criterion_id}-{configuration.kind}"
    number = 1
    while objective_id in taken:
        number += 1
        objective_id = f"{base}-{number}"
    taken.add(objective_id)
    return Objective(objective_id=objective_id, criterion_id=criterion.criterion_id,
                     kind=configuration.kind, intent=describe(configuration),
                     rule_ids=criterion.rule_ids, origin="engine", configuration=configuration,
                     restating=restating)


def scaffold_objective(criterion: AcceptanceCriterion) -> Objective:
    """Return the objective of a criterion the analysis could not read: the criterion itself."""
    return Objective(objective_id=f"{criterion.criterion_id}-positive",
                     criterion_id=criterion.criterion_id, kind="positive",
                     intent=headline(criterion.title or criterion.text, 120),
                     rule_ids=criterion.rule_ids, origin="scaffold")
