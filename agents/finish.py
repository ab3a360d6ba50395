"""The last node: the suite, with the engine's wording where the model's did not hold."""

from __future__ import annotations

from datetime import UTC, datetime

from langgraph.runtime import Runtime

from casewright.agents.cases import engine_case
from casewright.agents.checks import check_case, suite_findings
from casewright.agents.context import AgentContext
from casewright.agents.state import AgentState
from casewright.approval import MODEL_LABEL
from casewright.living import update_suite
from casewright.models import Provenance, Suite, TestCase
from casewright.prompts import load_template
from casewright.version import __version__

PROMPTS = ("system", "writer", "reviewer", "fixed_pipeline")


def finish(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Suite]:
    """Assemble the suite; a reworded case still failing a check gets the engine's wording.

    With the story's earlier suite in the state, the new one updates it (`update_suite`).
    """
    context, story, evidence = runtime.context, state["story"], state["evidence"]
    review, plan = state["review"], state["plan"]
    failing = {f.case_id for f in review.findings if f.severity == "error"}
    cases: list[TestCase] = []
    for objective in plan.objectives:
        case = state["cases"][objective.objective_id]
        if case.case_id in failing and MODEL_LABEL in case.labels:
            case = engine_case(story, objective, case.case_id)
        cases.append(case)
    replaced = {case.case_id for case in cases} & failing
    findings = [f for f in review.findings if f.case_id not in replaced]
    for case in cases:
        if case.case_id in replaced:
            findings += check_case(case, story, evidence, list(evidence.candidates))
    findings += [f for f in suite_findings(cases) if f.case_id in replaced]
    settings = {**context.provenance, "max_review_rounds": context.max_review_rounds,
                "review_rounds": review.round, "product": context.product,
                "reword": context.reword,
                **{f"prompt_{name}": load_template(name)["version"] for name in PROMPTS}}
    suite = Suite(story=story, cases=cases, findings=[*plan.findings, *findings],
                  sources=evidence.sources, provenance=Provenance(
                      tool_version=__version__, pipeline="agent", settings=settings,
                      workspace=context.workspace,
                      started_at=state["started_at"], finished_at=datetime.now(UTC)))
    return {"suite": update_suite(state.get("previous"), suite,
                                  redesign=state.get("redesign", False))}
