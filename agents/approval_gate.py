"""The approval gate: a person approves or rejects each case before the suite is final.

It runs after `finish`. Without human approval in the runtime context (`casewright run`, the
library) it ends the graph at once. In a chat session it pauses the graph with `interrupt`,
naming the undecided cases; the caller resumes it with `Command(resume=decision)`, where the
decision is an `ApprovalDecision` as a dict. The gate applies it with
`casewright.approval.decide` and, since a resumed node runs again from its start, routes back
to itself for the next pause while cases remain undecided and the person has not said done.
"""

from __future__ import annotations

from typing import Final, Literal

from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt
from pydantic import BaseModel, Field

from casewright.agents.context import AgentContext
from casewright.agents.state import AgentState
from casewright.approval import APPROVED_LABEL, REJECTED_LABEL, decide
from casewright.models import Finding, Suite

GATE: Final = "approval_gate"
_END: Final = "__end__"
"""langgraph's END, typed as the literal that `Command[...]` names."""
REJECTED_CHECK = "rejected"
"""The check name of the finding that records why a person rejected a case."""


class ApprovalDecision(BaseModel):
    """What a person decided while the gate was paused (the resume value, as a dict)."""

    approve: list[str] = Field(default_factory=list, description="Case ids to approve.")
    reject: dict[str, str] = Field(default_factory=dict, description="Case id -> reason.")
    done: bool = Field(default=False, description="End approval; undecided cases keep the "
                       "reviewer's verdict.")


def undecided(suite: Suite) -> list[str]:
    """Return the ids of the live cases nobody has approved or rejected yet."""
    return [case.case_id for case in suite.live_cases
            if not {APPROVED_LABEL, REJECTED_LABEL} & set(case.labels)]


def apply_decision(suite: Suite, decision: ApprovalDecision) -> Suite:
    """Return the suite with the decisions labelled and each rejection's reason as a finding."""
    cases = [decide(case, True) if case.case_id in decision.approve
             else decide(case, False) if case.case_id in decision.reject else case
             for case in suite.cases]
    decided = set(decision.approve) | set(decision.reject)
    findings = [f for f in suite.findings
                if not (f.check == REJECTED_CHECK and f.case_id in decided)]
    for case in cases:
        if case.case_id in decision.reject:
            findings.append(Finding(
                check=REJECTED_CHECK, severity="warning", case_id=case.case_id,
                criterion_id=case.criterion_ids[0] if case.criterion_ids else None,
                message=f"rejected: {decision.reject[case.case_id]}"))
    return suite.model_copy(update={"cases": cases, "findings": findings})


def approval_gate(state: AgentState, runtime: Runtime[AgentContext]
                  ) -> Command[Literal["approval_gate", "__end__"]]:
    """Pause for a person's decisions on the undecided cases; apply them; pause again."""
    suite = state["suite"]
    waiting = undecided(suite)
    if not runtime.context.human_approval or not waiting:
        return Command(goto=_END)
    answer = interrupt({"story_key": suite.story.key, "undecided": waiting})
    decision = ApprovalDecision.model_validate(answer)
    suite = apply_decision(suite, decision)
    again = bool(undecided(suite)) and not decision.done
    return Command(update={"suite": suite}, goto=GATE if again else _END)
