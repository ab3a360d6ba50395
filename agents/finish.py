"""The last node: the suite, with template wording where the model never got a case right."""

from __future__ import annotations

from datetime import UTC, datetime

from langgraph.runtime import Runtime

from casewright import __version__
from casewright.agents.context import AgentContext
from casewright.agents.reviewer import check_case
from casewright.agents.state import AgentState
from casewright.agents.writer import scaffold_case
from casewright.approval import SCAFFOLD_LABEL
from casewright.models import Finding, Provenance, Suite, TestCase
from casewright.prompts import load_template

PROMPTS = ("system", "planner", "writer", "reviewer", "fixed_pipeline")


def finish(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Suite]:
    """Assemble the suite; cases still failing a check fall back to the scaffold's wording."""
    context, story, evidence = runtime.context, state["story"], state["evidence"]
    review = state["review"]
    failing = {f.case_id for f in review.findings if f.severity == "error"}
    cases: list[TestCase] = []
    findings = [f for f in review.findings if f.case_id not in failing]
    for objective in state["plan"].objectives:
        case = state["cases"][objective.objective_id]
        if case.case_id in failing and SCAFFOLD_LABEL not in case.labels:
            problems = "; ".join(f.message for f in review.findings if f.case_id == case.case_id)
            case = scaffold_case(story, objective, case.case_id)
            findings.append(Finding(
                check="fallback", severity="warning", case_id=case.case_id,
                criterion_id=objective.criterion_id,
                message=f"kept the template wording after {review.round} reviews "
                        f"({problems})"))
        if case.case_id in failing:
            findings += check_case(case, story, evidence, list(evidence.candidates))
        cases.append(case)
    settings = {**context.provenance, "max_review_rounds": context.max_review_rounds,
                "review_rounds": review.round,
                **{f"prompt_{name}": load_template(name)["version"] for name in PROMPTS}}
    return {"suite": Suite(story=story, cases=cases, findings=findings, sources=evidence.sources,
                           provenance=Provenance(
                               tool_version=__version__, pipeline="agent", settings=settings,
                               workspace=context.workspace,
                               started_at=state["started_at"], finished_at=datetime.now(UTC)))}
