"""The reviewer node: deterministic checks first, then a short model critique.

Checks: every criterion covered; no case that only restates its criterion; no negative case
that expects what a positive case of its criterion expects; no two cases of a criterion that
test one configuration; steps present, distinct and observable; no placeholder, repeated or
exemplar-copied text; cited rules present in evidence; step words grounded in the story and
evidence; not a duplicate of an existing test. Cases with findings go back to the writer
(which gives a reworded case the engine's wording again), at most `max_review_rounds` times;
then the suite ends with its findings open.
"""

from __future__ import annotations

import time
from typing import Literal

from langgraph.runtime import Runtime
from pydantic import BaseModel, Field

from casewright.agents.checks import check_case, suite_findings
from casewright.agents.context import AgentContext
from casewright.agents.model_calls import ask_structured, story_context
from casewright.agents.state import AgentState, Evidence, Review
from casewright.approval import MODEL_LABEL
from casewright.errors import ModelOutputError
from casewright.llm.messages import neutral
from casewright.models import Finding, Story, TestCase
from casewright.prompts import load_template

CRITIQUE_LIMIT = 2


class Critique(BaseModel):
    """The model's verdict: which cases miss their objective."""

    case_numbers: list[int] = Field(default_factory=list, max_length=CRITIQUE_LIMIT)
    reason: str = Field(default="", max_length=120)


def _critique(context: AgentContext, story: Story, evidence: Evidence,
              cases: list[TestCase]) -> list[Finding]:
    listing = "\n".join(f"{n}. {c.objective} | steps: " + "; ".join(s.action for s in c.steps)
                        for n, c in enumerate(cases, start=1))
    task = load_template("reviewer")["task"].format(cases=neutral(listing), limit=CRITIQUE_LIMIT)
    try:
        critique = ask_structured(context.chat_model, Critique, system=context.system_for(story),
                                  shared=story_context(story, evidence), task=task)
    except ModelOutputError:
        return []
    return [Finding(check="critique", message=critique.reason or "misses its objective",
                    case_id=cases[n - 1].case_id, criterion_id=cases[n - 1].criterion_ids[0])
            for n in dict.fromkeys(critique.case_numbers) if 1 <= n <= len(cases)]


def review(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Review]:
    """Check every case; send the model's rewordings that failed back for the engine's."""
    started = time.perf_counter()
    context, story, evidence = runtime.context, state["story"], state["evidence"]
    cases = state["cases"]
    round_number = state["review"].round + 1 if state.get("review") else 1
    existing = list(evidence.candidates)
    findings = [f for case in cases.values() for f in check_case(case, story, evidence, existing)]
    findings += suite_findings(list(cases.values()))
    covered = {cid for case in cases.values() for cid in case.criterion_ids}
    findings += [Finding(check="uncovered", message=f"{c.criterion_id} has no case",
                         severity="error", criterion_id=c.criterion_id)
                 for c in story.criteria if c.criterion_id not in covered
                 and c.criterion_id not in _asked(state)]
    flagged = {f.case_id for f in findings}
    reworded = [case for case in cases.values() if MODEL_LABEL in case.labels]
    if context.critique:
        clean = [case for case in reworded if case.case_id not in flagged]
        findings += _critique(context, story, evidence, clean) if clean else []
    by_case = {case.case_id: objective_id for objective_id, case in cases.items()}
    revise = list(dict.fromkeys(by_case[f.case_id] for f in findings
                                if f.case_id in {c.case_id for c in reworded}))
    context.progress(f"reviewer round {round_number}: {len(findings)} findings, "
                     f"{len(revise)} rewordings sent back for the engine's wording "
                     f"({time.perf_counter() - started:.1f} s)")
    return {"review": Review(round=round_number, findings=findings, revise=revise)}


def _asked(state: AgentState) -> set[str]:
    """Return the criteria that have an open question instead of a case."""
    return {f.criterion_id for f in state["plan"].findings
            if f.check == "ambiguity" and f.criterion_id}


def route_review(state: AgentState, runtime: Runtime[AgentContext]) -> Literal["writer", "finish"]:
    """Send flagged cases back to the writer while rounds remain; else finish."""
    review = state["review"]
    return "writer" if review.revise and review.round <= runtime.context.max_review_rounds \
        else "finish"
