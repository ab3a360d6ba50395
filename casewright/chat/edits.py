"""One case added or rewritten at a person's request: one writer call, the reviewer's checks.

The request becomes a configuration of the test design (the person's condition, or the next
one of the kind asked for) and so an objective; the writer node writes it exactly as in a run
(its revise list names only this objective), and the reviewer's deterministic checks judge
it. The person sees the findings and decides; nothing is rewritten
behind their back.
"""

from __future__ import annotations

from dataclasses import dataclass

from casewright.agents.cases import objective_for
from casewright.agents.checks import check_case
from casewright.agents.context import AgentContext
from casewright.agents.planner import analysed
from casewright.agents.state import Evidence, Objective, Plan
from casewright.agents.writer import write_cases
from casewright.design.techniques import requested
from casewright.errors import InputError
from casewright.models import CaseKind, Finding, Story, TestCase


@dataclass(frozen=True)
class CaseEdit:
    """A case written at a person's request, the plan that now holds it, and its findings."""

    case: TestCase
    objective: Objective
    plan: Plan
    findings: list[Finding]


def requested_objective(story: Story, plan: Plan, criterion_id: str, kind: CaseKind,
                        condition: str | None) -> Objective:
    """Return the objective for a requested case, with an id no other objective has.

    With a condition, the case sets it up and expects what the criterion says for it (its
    effects for a positive case, the refusal or other outcome otherwise); without one, it is
    the first configuration of that kind the test design has that the plan does not.

    Raises:
        InputError: the story has no such criterion, or nothing of that kind to test.
    """
    criterion = next((c for c in story.criteria if c.criterion_id == criterion_id), None)
    if criterion is None:
        known = ", ".join(c.criterion_id for c in story.criteria) or "none"
        raise InputError(f"{story.key} has no criterion {criterion_id}",
                         hint=f"its criteria are {known}")
    behaviours = plan.behaviours.get(criterion_id) or analysed(story, criterion)[0]
    planned = {o.configuration.key() for o in plan.objectives if o.configuration}
    configuration = next((c for b in behaviours if not b.unparsed
                          for c in [requested(b, kind, condition, planned)] if c), None)
    if configuration is None:
        raise InputError(f"{criterion_id} has no {kind} configuration left to test",
                         hint="name the condition, as in 'add a negative case for "
                         f"{criterion_id} where ...'")
    objective = objective_for(criterion, configuration, {o.objective_id for o in plan.objectives})
    return objective.model_copy(update={"origin": "person"})


def write_requested(story: Story, evidence: Evidence, plan: Plan, objective: Objective,
                    position: int | None, context: AgentContext) -> CaseEdit:
    """Write the case for an objective added to the plan, or put at `position` in it.

    The case id is its position in the plan, so a rewritten case keeps its id.
    """
    objectives = list(plan.objectives)
    if position is None:
        objectives.append(objective)
    else:
        objectives[position] = objective
    new_plan = plan.model_copy(update={"objectives": objectives})
    askable = [objective] if context.reword and objective.configuration is not None else []
    case = write_cases(context, story, evidence, objectives, [objective],
                       askable)[objective.objective_id]
    findings = check_case(case, story, evidence, list(evidence.candidates))
    return CaseEdit(case=case, objective=objective, plan=new_plan, findings=findings)
