"""The writer node: one test case per objective, one structured model call each.

The model writes only what needs words (preconditions, steps, rule citations); the case id,
title, kind, priority and traces are set by code from the objective, so they are always right.
A call that fails to give valid output falls back to the scaffold's wording for that objective.
"""

from __future__ import annotations

import time
from typing import Annotated

from langgraph.runtime import Runtime
from pydantic import BaseModel, Field

from casewright.agents.context import AgentContext
from casewright.agents.fixed_pipeline import priority, template_case
from casewright.agents.prompting import ask_structured_many, story_context
from casewright.agents.state import AgentState, Objective
from casewright.approval import SCAFFOLD_LABEL
from casewright.errors import ModelOutputError
from casewright.models import Step, Story, TestCase
from casewright.prompts import load_template
from casewright.quality import key_terms
from casewright.wording import headline, sentence

FIX_PROBLEMS = 3
"""Most problems a rewrite task names (its prompt is evaluated for every rewrite)."""
BRIEF_CHARACTERS = 80
TASK_TERMS = 8
"""Key terms of the criterion a task lists: what the case must name to count as testing it."""


class StepDraft(BaseModel):
    """One step as the model writes it.

    The bounds sit a little above the longest texts in the sample workspace's 21 existing cases
    (action 97, expected 132, precondition 114 characters): a longer draft is the small model
    running on, and every character is decoding time.
    """

    action: str = Field(description="What the tester does.", min_length=3, max_length=120)
    data: str = Field(default="", description="Test data used, or empty.", max_length=80)
    expected: str = Field(description="What the tester sees.", min_length=3, max_length=140)


class CaseDraft(BaseModel):
    """The parts of a test case the model writes."""

    preconditions: list[Annotated[str, Field(max_length=120)]] = Field(
        default_factory=list, max_length=3, description="What must be true before the first step.")
    steps: list[StepDraft] = Field(min_length=1, max_length=4)
    rule_ids: list[str] = Field(default_factory=list, max_length=3,
                                description="Ids of the evidence rules the case checks.")


def brief(message: str) -> str:
    """Return a finding's message without the word list after its colon, for a rewrite task.

    The bundled model copies what a task shows it: given "takes an exemplar's subject or
    data: backdate, history" it wrote those words again, and it answered with the
    messages themselves as expected results. The names of the problems are enough.
    """
    return message.split(":", 1)[0].strip()[:BRIEF_CHARACTERS]


def case_id(story: Story, objectives: list[Objective], objective: Objective) -> str:
    """Return the stable id of an objective's case: its position in the plan."""
    return f"{story.key}-TC{objectives.index(objective) + 1:02d}"


def _labels(*extra: str) -> list[str]:
    return ["casewright", "agent", *extra]


def scaffold_case(story: Story, objective: Objective, number: str) -> TestCase:
    """Return the template case for an objective, used when the model cannot write one."""
    criterion = next(c for c in story.criteria if c.criterion_id == objective.criterion_id)
    base = template_case(story, criterion, 1)
    steps = base.steps
    if objective.origin != "scaffold":
        steps = [Step(action=f"Set up the {objective.kind} condition: {objective.intent}",
                      expected="The condition is in place before the check"), *steps]
    return base.model_copy(update={
        "case_id": number, "title": f"{objective.criterion_id} {objective.kind}: "
        f"{headline(objective.intent, 70)}", "objective": objective.intent,
        "kind": objective.kind, "steps": steps, "labels": _labels(SCAFFOLD_LABEL)})


def draft_case(story: Story, objective: Objective, draft: CaseDraft, number: str) -> TestCase:
    """Turn the model's draft into a case with code-set id, title, kind and traces."""
    return TestCase(
        case_id=number, title=f"{objective.criterion_id} {objective.kind}: "
        f"{headline(objective.intent, 70)}", objective=objective.intent, kind=objective.kind,
        priority=priority(story), preconditions=[sentence(p) for p in draft.preconditions if p],
        steps=[Step(action=sentence(s.action), data=s.data.strip(), expected=sentence(s.expected))
               for s in draft.steps],
        story_key=story.key, criterion_ids=[objective.criterion_id],
        rule_ids=list(dict.fromkeys([*objective.rule_ids, *draft.rule_ids])), labels=_labels())


def write(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, dict[str, TestCase]]:
    """Write the plan's cases, or rewrite the ones the last review sent back."""
    context, story, evidence = runtime.context, state["story"], state["evidence"]
    objectives = state["plan"].objectives
    started, review = time.perf_counter(), state.get("review")
    todo = [o for o in objectives if review is None or o.objective_id in review.revise]
    problems: dict[str | None, dict[str, None]] = {}  # per case, distinct, in review order
    if review is not None:
        for finding in review.findings:
            problems.setdefault(finding.case_id, {})[brief(finding.message)] = None
    template = load_template("writer")
    tasks = []
    for objective in todo:
        number = case_id(story, objectives, objective)
        fix = template["fix"].format(problems="; ".join(list(problems[number])[:FIX_PROBLEMS])) \
            if number in problems else ""
        criterion = next(c for c in story.criteria if c.criterion_id == objective.criterion_id)
        tasks.append(template["task"].format(
            kind=objective.kind, criterion_id=objective.criterion_id, intent=objective.intent,
            terms=", ".join(key_terms(criterion)[:TASK_TERMS]), fix=fix,
            rules=", ".join(evidence.by_criterion.get(objective.criterion_id, [])) or "none"))
    context.progress(f"writer: {len(todo)} to write")
    drafts = ask_structured_many(context.chat_model, CaseDraft,
                                 shared=story_context(story, evidence), tasks=tasks)
    written: dict[str, TestCase] = {}
    for count, (objective, draft) in enumerate(zip(todo, drafts, strict=True), start=1):
        number = case_id(story, objectives, objective)
        written[objective.objective_id] = scaffold_case(story, objective, number) \
            if isinstance(draft, ModelOutputError) else draft_case(story, objective, draft, number)
        context.progress(f"writer {count}/{len(todo)}: {number} {objective.objective_id}"
                         + (" (template wording)" if isinstance(draft, ModelOutputError) else ""))
    context.progress(f"writer: {len(todo)} cases in {time.perf_counter() - started:.1f} s")
    return {"cases": written}
