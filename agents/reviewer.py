"""The reviewer node: deterministic checks first, then a short model critique.

Checks: every criterion covered; steps present, distinct and observable; no placeholder,
repeated or exemplar-copied text; cited rules present in evidence; step words grounded in the
story and evidence; not a duplicate of an existing test. Cases with findings go back to the
writer, at most `max_review_rounds` times; then the suite ends with its findings open.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Literal

from langgraph.runtime import Runtime
from pydantic import BaseModel, Field

from casewright.agents.context import AgentContext
from casewright.agents.prompting import ask_structured, story_context
from casewright.agents.state import AgentState, Evidence, Review
from casewright.agents.writer import brief
from casewright.errors import ModelOutputError
from casewright.models import Finding, Story, TestCase
from casewright.prompts import load_template
from casewright.quality import (
    BORROWED_ENOUGH,
    borrowed_words,
    degenerate_problems,
    duplicate_of,
    echoes,
    is_ungrounded,
    names_key_terms,
    ungrounded_words,
)

CRITIQUE_LIMIT = 2


class Critique(BaseModel):
    """The model's verdict: which cases miss their objective."""

    case_numbers: list[int] = Field(default_factory=list, max_length=CRITIQUE_LIMIT)
    reason: str = Field(default="", max_length=120)


def sources_text(story: Story, evidence: Evidence) -> str:
    """Return every text a case may draw its words from: the story, evidence and templates."""
    parts = [story.summary, story.description, *(c.text for c in story.criteria)]
    parts += [f"{s.title} {s.text}" for s in evidence.sources]
    parts += [str(text) for name in ("fixed_pipeline", "planner")
              for text in load_template(name).values()]
    return "\n".join(parts)


def own_sources(case: TestCase, story: Story, evidence: Evidence) -> str:
    """Return what a case may take its subject from: its story and its criteria's rules."""
    ids = {sid for cid in case.criterion_ids for sid in evidence.by_criterion.get(cid, [])}
    parts = [story.summary, story.description, case.objective, *(c.text for c in story.criteria)]
    parts += [f"{s.title} {s.text}" for s in evidence.sources if s.source_id in ids]
    return "\n".join(parts)


def check_case(case: TestCase, story: Story, evidence: Evidence,
               existing: list[TestCase], shown: Iterable[str] = ()) -> list[Finding]:
    """Return the deterministic findings on one case; shown: the problems its task named."""
    def finding(check: str, message: str) -> Finding:
        return Finding(check=check, message=message, severity="error", case_id=case.case_id,
                       criterion_id=case.criterion_ids[0] if case.criterion_ids else None)

    findings = [finding(p.check, p.message)
                for p in degenerate_problems(case, story, evidence.exemplars)]
    if echoes(case, shown):
        findings.append(finding("prompt-echo", "steps repeat the review's findings instead of "
                                "testing the story"))
    criteria = [c for c in story.criteria if c.criterion_id in case.criterion_ids]
    if criteria and not any(names_key_terms(case, criterion) for criterion in criteria):
        findings.append(finding("off-objective", f"never names what {criteria[0].criterion_id} "
                                "is about"))
    taken = borrowed_words(case, own_sources(case, story, evidence), evidence.exemplars)
    if len(taken) >= BORROWED_ENOUGH:
        findings.append(finding("off-subject", "takes an exemplar's subject or data: "
                                + ", ".join(sorted(taken)[:5])))
    unknown = sorted(set(case.rule_ids) - evidence.rule_ids())
    if unknown:
        findings.append(finding("unknown-rule", f"cites {', '.join(unknown)}, not in evidence"))
    sources = f"{sources_text(story, evidence)}\n{case.objective}"
    if is_ungrounded(case, sources):
        invented = ", ".join(sorted(ungrounded_words(case, sources))[:5])
        findings.append(finding("ungrounded", f"uses words found in no source: {invented}"))
    if (twin := duplicate_of(case, existing)) is not None:
        findings.append(finding("duplicate", f"repeats existing test {twin.case_id}"))
    return findings


def _critique(context: AgentContext, story: Story, evidence: Evidence,
              cases: list[TestCase]) -> list[Finding]:
    listing = "\n".join(f"{n}. {c.objective} | steps: " + "; ".join(s.action for s in c.steps)
                        for n, c in enumerate(cases, start=1))
    task = load_template("reviewer")["task"].format(cases=listing, limit=CRITIQUE_LIMIT)
    try:
        critique = ask_structured(context.chat_model, Critique,
                                  shared=story_context(story, evidence), task=task)
    except ModelOutputError:
        return []
    return [Finding(check="critique", message=critique.reason or "misses its objective",
                    case_id=cases[n - 1].case_id, criterion_id=cases[n - 1].criterion_ids[0])
            for n in dict.fromkeys(critique.case_numbers) if 1 <= n <= len(cases)]


def stuck_cases(findings: list[Finding], before: list[Finding]) -> set[str]:
    """Return the cases a rewrite did not help: a check failed again and none was fixed.

    Writing such a case again costs a model call and, with a small model, fails the same
    way; the finish node keeps the template wording for it with the findings open.
    """
    def checks(items: list[Finding]) -> dict[str, set[str]]:
        by_case: dict[str, set[str]] = {}
        for item in items:
            if item.case_id:
                by_case.setdefault(item.case_id, set()).add(item.check)
        return by_case

    now, then = checks(findings), checks(before)
    return {case_id for case_id, failed in now.items()
            if failed & then.get(case_id, set()) and not failed < then[case_id]}


def review(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Review]:
    """Check every case; name the ones to write again."""
    started = time.perf_counter()
    context, story, evidence = runtime.context, state["story"], state["evidence"]
    cases = state["cases"]
    round_number = state["review"].round + 1 if state.get("review") else 1
    existing = list(evidence.candidates)
    shown: dict[str | None, list[str]] = {}
    for earlier in state["review"].findings if state.get("review") else []:
        shown.setdefault(earlier.case_id, []).append(brief(earlier.message))
    findings = [f for case in cases.values()
                for f in check_case(case, story, evidence, existing, shown.get(case.case_id, []))]
    covered = {cid for case in cases.values() for cid in case.criterion_ids}
    findings += [Finding(check="uncovered", message=f"{c.criterion_id} has no case",
                         severity="error", criterion_id=c.criterion_id)
                 for c in story.criteria if c.criterion_id not in covered]
    flagged = {f.case_id for f in findings}
    if context.critique:
        clean = [case for case in cases.values() if case.case_id not in flagged]
        findings += _critique(context, story, evidence, clean) if clean else []
    by_case = {case.case_id: objective_id for objective_id, case in cases.items()}
    stuck = stuck_cases(findings, state["review"].findings) if state.get("review") else set()
    revise = list(dict.fromkeys(by_case[f.case_id] for f in findings
                                if f.case_id in by_case and f.case_id not in stuck))
    context.progress(f"reviewer round {round_number}: {len(findings)} findings, "
                     f"{len(revise)} cases to rewrite, {len(stuck)} not helped by rewriting "
                     f"({time.perf_counter() - started:.1f} s)")
    return {"review": Review(round=round_number, findings=findings, revise=revise)}


def route_review(state: AgentState, runtime: Runtime[AgentContext]) -> Literal["writer", "finish"]:
    """Send flagged cases back to the writer while rounds remain; else finish."""
    review = state["review"]
    return "writer" if review.revise and review.round <= runtime.context.max_review_rounds \
        else "finish"
