"""One case added or rewritten at a person's request: one writer call, the reviewer's checks.

The request becomes an objective worded as the planner words its angles; the writer node
writes it exactly as in a run (its revise list names only this objective), and the reviewer's
deterministic checks judge it. The person sees the findings and decides; nothing is rewritten
behind their back.
"""

from __future__ import annotations

from dataclasses import dataclass

from langgraph.runtime import Runtime

from casewright.agents.context import AgentContext
from casewright.agents.planner import implied_kinds
from casewright.agents.reviewer import check_case
from casewright.agents.state import Evidence, Objective, Plan, Review
from casewright.agents.writer import write
from casewright.errors import InputError
from casewright.models import CaseKind, Finding, Story, TestCase
from casewright.prompts import load_template
from casewright.wording import headline


@dataclass(frozen=True)
class CaseEdit:
    """A case written at a person's request, the plan that now holds it, and its findings."""

    case: TestCase
    objective: Objective
    plan: Plan
    findings: list[Finding]


def requested_objective(story: Story, criterion_id: str, kind: CaseKind, condition: str | None,
                        taken: set[str]) -> Objective:
    """Return the objective for a requested case, with an id no other objective has.

    Raises:
        InputError: the story has no such criterion.
    """
    criterion = next((c for c in story.criteria if c.criterion_id == criterion_id), None)
    if criterion is None:
        known = ", ".join(c.criterion_id for c in story.criteria) or "none"
        raise InputError(f"{story.key} has no criterion {criterion_id}",
                         hint=f"its criteria are {known}")
    wording = load_template("planner")[kind]
    detail = dict(implied_kinds(criterion)).get(kind, "as the criterion states") \
        if condition is None else condition
    intent = wording.format(criterion=headline(criterion.title or criterion.text, 120),
                            detail=detail)
    if condition and "{detail}" not in wording:
        intent = f"{intent} ({condition})"
    base = objective_id = f"{criterion_id}-{kind}"
    number = 1
    while objective_id in taken:
        number += 1
        objective_id = f"{base}-{number}"
    return Objective(objective_id=objective_id, criterion_id=criterion_id, kind=kind,
                     intent=intent, rule_ids=criterion.rule_ids, origin="person")


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
    state = {"story": story, "evidence": evidence, "plan": new_plan,
             "review": Review(round=0, revise=[objective.objective_id])}
    case = write(state, Runtime(context=context))["cases"][objective.objective_id]
    findings = check_case(case, story, evidence, list(evidence.candidates))
    return CaseEdit(case=case, objective=objective, plan=new_plan, findings=findings)
