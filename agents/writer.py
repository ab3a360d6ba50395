"""The writer node: each objective's case, drafted or reworded by the model where it holds.

With `draft` on (the specialist's way) the model drafts every case whole and code checks it
against the engine's configuration (`drafting.py`): one repair round, then the engine's case.
Otherwise:

The engine renders each configuration as a runnable case (`rendering.py`); that wording is
the floor. The model is then asked, in one batch, to reword each case in the style of the
team's exemplars, and code keeps a reworded case only if its values, outcome words and
polarity survive (`keeps_meaning`). Ids, titles, kinds and traces are always set by code. A
case the reviewer sends back gets the engine's wording: rewording is never retried.
"""

from __future__ import annotations

import json
import re
import time
from typing import Annotated

from langgraph.runtime import Runtime
from pydantic import BaseModel, Field

from casewright.agents.cases import case_id, engine_case
from casewright.agents.context import AgentContext
from casewright.agents.drafting import (
    completed,
    draft_problems,
    draftable,
    drafted,
    drafted_kind,
    drafting_task,
    echoes,
    grounded_setup,
    plan_setup,
    repair_task,
    story_section,
)
from casewright.agents.drafts import Draft
from casewright.agents.model_calls import EXEMPLARS_IN_PROMPT, ask_structured_many, story_context
from casewright.agents.state import AgentState, Evidence, Objective, Plan, Review
from casewright.approval import ENGINE_LABEL, MODEL_LABEL, SCAFFOLD_LABEL
from casewright.design.rendering import on_story_page, story_start
from casewright.errors import ModelOutputError
from casewright.llm.messages import neutral
from casewright.models import Finding, Step, Story, TestCase
from casewright.prompts import load_template
from casewright.quality import (
    UAT_VOCABULARY,
    case_text,
    content_words,
    degenerate_problems,
    signature,
)
from casewright.wording import sentence

OUTCOME_KEPT = 0.7
"""Share of each step's and precondition's content words a rewording must still say."""
_NEGATION = re.compile(r"\b(not|no|never|cannot|none|refused|rejected|n't)\b|n't\b",
                       re.IGNORECASE)


class StepDraft(BaseModel):
    """One step as the model writes it.

    The bounds sit a little above the longest texts in the sample workspace's 27 existing cases
    (action 97, expected 132, precondition 114 characters): a longer draft is the small model
    running on, and every character is decoding time.
    """

    action: str = Field(description="What the tester does.", min_length=3, max_length=120)
    data: str = Field(default="", description="Test data used, or empty.", max_length=80)
    expected: str = Field(description="What the tester sees.", min_length=3, max_length=140)


class CaseDraft(BaseModel):
    """The parts of a test case the model rewords."""

    preconditions: list[Annotated[str, Field(max_length=120)]] = Field(
        default_factory=list, max_length=4, description="What must be true before the first step.")
    steps: list[StepDraft] = Field(min_length=1, max_length=4)


def reworded(engine: TestCase, draft: CaseDraft) -> TestCase:
    """Return the engine's case with the model's preconditions and steps."""
    return engine.model_copy(update={
        "preconditions": [sentence(p) for p in draft.preconditions if p.strip()],
        "steps": [Step(action=sentence(s.action), data=s.data.strip(),
                       expected=sentence(s.expected)) for s in draft.steps],
        "labels": [label for label in engine.labels if label != ENGINE_LABEL] + [MODEL_LABEL]})


def keeps_meaning(story: Story, engine: TestCase, candidate: TestCase,
                  exemplars: list[TestCase]) -> bool:
    """Whether a reworded case still tests the engine's configuration, in other words only.

    Step for step: the same number of steps; each action and each expected result keeps
    most of its words, the expected result says "not" exactly when the engine's does, and
    the test data stays with its step. Every precondition keeps most of its words. No word
    is new unless an exemplar or the UAT vocabulary has it; and the wording must pass the
    degenerate-case checks.
    """
    if len(candidate.steps) != len(engine.steps):
        return False
    for mine, theirs in zip(engine.steps, candidate.steps, strict=True):
        if not (_kept(mine.action, theirs.action) and _kept(mine.expected, theirs.expected)):
            return False
        if bool(_NEGATION.search(mine.expected)) != bool(_NEGATION.search(theirs.expected)):
            return False
        if mine.data and mine.data not in f"{theirs.data} {theirs.action}":
            return False
    before = " ".join(candidate.preconditions)
    if len(candidate.preconditions) > len(engine.preconditions) or not all(
            _kept(precondition, before) for precondition in engine.preconditions):
        return False
    allowed = content_words(case_text(engine)) | UAT_VOCABULARY
    for exemplar in exemplars:
        allowed |= content_words(case_text(exemplar))
    if {word for word in content_words(case_text(candidate)) - allowed
            if word.rstrip("s") not in allowed}:
        return False
    return not degenerate_problems(candidate, story, exemplars)


def _kept(original: str, reworded: str) -> bool:
    words = content_words(original)
    return not words or len(words & content_words(reworded)) / len(words) >= OUTCOME_KEPT


def reword_task(case: TestCase) -> str:
    """Return the task asking the model to reword one engine case."""
    shown = neutral(json.dumps(case.model_dump(include={"preconditions", "steps"}),
                               ensure_ascii=False))
    task: str = load_template("writer")["task"]
    return task.format(kind=case.kind, criterion_id=case.criterion_ids[0], case=shown)


def write(state: AgentState,
          runtime: Runtime[AgentContext]) -> dict[str, dict[str, TestCase] | Plan]:
    """Write the plan's cases, or give the engine's wording to the ones the review sent back."""
    context, plan, review = runtime.context, state["plan"], state.get("review")
    todo = [o for o in plan.objectives if review is None or o.objective_id in review.revise]
    if context.draft:
        askable = [o for o in todo if (review is None or o.origin == "person")
                   and draftable(state["story"], o)]
        written, failed = draft_cases(context, state["story"], state["evidence"],
                                      plan.objectives, todo, askable)
        if review is not None:  # an unread criterion's draft sent back: its template restates
            failed |= {o.objective_id: sent_back(review, state["cases"][o.objective_id])
                       for o in todo if _restates(o) and o not in askable}
        unread = [o for o in todo if _restates(o) and o.objective_id in failed]
        if not unread:
            return {"cases": written}
        return {"cases": {key: case for key, case in written.items()
                          if key not in {o.objective_id for o in unread}},
                "plan": asked_instead(state["story"], plan, unread, failed)}
    askable = [o for o in todo if o.configuration is not None
               and (review is None or o.origin == "person")] if context.reword else []
    return {"cases": write_cases(context, state["story"], state["evidence"], plan.objectives,
                                 todo, askable)}


def _restates(objective: Objective) -> bool:
    """Whether the objective's case without a model draft would only restate its criterion."""
    return objective.origin == "scaffold" or objective.restating


def draft_cases(context: AgentContext, story: Story, evidence: Evidence,
                objectives: list[Objective], todo: list[Objective],
                askable: list[Objective]) -> tuple[dict[str, TestCase], dict[str, list[str]]]:
    """Return the cases of `todo` and why the drafts that never held failed, by objective.

    Each objective in `askable` is drafted whole (`drafting.py`); a draft that fails the
    checks is asked again once with the reasons, then the engine's case (or, for a criterion
    the engine could not read, a question) stands, labelled as such.
    """
    started = time.perf_counter()
    written = {o.objective_id: engine_case(story, o, case_id(story, objectives, o))
               for o in todo}
    context.progress(f"writer: {len(todo)} to write, {len(askable)} to draft")
    tasks = {o.objective_id: drafting_task(story, o) for o in askable}
    failed: dict[str, list[str]] = {}
    for attempt in ("first", "repair"):
        asked = [o for o in askable if attempt == "first" or o.objective_id in failed]
        if not asked:
            break
        drafts = ask_structured_many(
            context.chat_model, Draft, system=context.system_for(story),
            shared=story_section(story),
            tasks=[tasks[o.objective_id] if attempt == "first" else
                   repair_task(tasks[o.objective_id], failed[o.objective_id]) for o in asked])
        for objective, draft in zip(asked, drafts, strict=True):
            engine = written[objective.objective_id]
            if isinstance(draft, ModelOutputError):
                failed[objective.objective_id] = ["it was not valid JSON of a case"]
                continue
            candidate = grounded_setup(drafted(engine, draft, objective,
                                               drafted_kind(story, objective),
                                               repaired=attempt == "repair"), story, evidence)
            refused = failed.get(objective.objective_id) if attempt == "repair" else None
            task = tasks[objective.objective_id]
            problems = _problems(candidate, objective, story, evidence, refused, task)
            if problems and (whole := completed(candidate, engine, objective, story)) and \
                    not _problems(whole, objective, story, evidence, refused, task):
                candidate, problems = whole, []  # the plan completed it
            if problems:
                failed[objective.objective_id] = problems
            else:
                written[objective.objective_id] = with_plan_setup(candidate, engine, objective,
                                                                   story)
                failed.pop(objective.objective_id, None)
    _report(context, todo, written, started)
    return written, failed


def _problems(case: TestCase, objective: Objective, story: Story, evidence: Evidence,
              refused: list[str] | None, task: str) -> list[str]:
    """Return why a draft cannot stand.

    A repaired one (`refused`: why its first draft was not kept) may not copy those words.
    """
    problems = draft_problems(case, objective, story, evidence)
    if refused is not None and echoes(case, refused, story, task):
        problems.append("it copies the words of why it was refused")
    return problems


def with_plan_setup(case: TestCase, engine: TestCase, objective: Objective,
                    story: Story) -> TestCase:
    """Return a checked draft with the engine's preconditions it left out put first.

    The plan decides what a case sets up (who signs in, what exists, each condition's
    value); the model words the rest. An unread criterion's template plans nothing. Every
    case of a story named after its page starts there, and "the page" it names is that one.
    """
    steps = on_story_page(case.steps, story)
    planned = engine.preconditions if objective.configuration is not None else []
    page = story_start(story, [*planned, *case.preconditions], steps)
    missing, _ = plan_setup(case, [page] if page else [])
    missing += plan_setup(case, planned)[0]
    return case.model_copy(update={"preconditions": [*missing, *case.preconditions],
                                   "steps": steps})


def sent_back(review: Review, case: TestCase) -> list[str]:
    """Return why the reviewer sent a case back: its findings' messages."""
    return [f.message for f in review.findings if f.case_id == case.case_id] or \
        ["the reviewer sent it back"]


def asked_instead(story: Story, plan: Plan, unread: list[Objective],
                  failed: dict[str, list[str]]) -> Plan:
    """Return the plan with a question instead of a case for criteria no draft held for.

    The engine could not read them, or its own case would only say them again, and the
    model's drafts failed: the template or the engine's wording would only restate the
    criterion.
    """
    dropped = {o.objective_id for o in unread}
    questions = [Finding(check="ambiguity", criterion_id=o.criterion_id, severity="warning",
                         message=f"{o.criterion_id} ('{o.intent}'): the model's case did not "
                         f"hold ({'; '.join(failed[o.objective_id])}) and the engine "
                         f"{'can only restate' if o.restating else 'cannot read'} it: what "
                         "does the user do, and what should they see?")
                 for o in unread]
    return plan.model_copy(update={
        "objectives": [o for o in plan.objectives if o.objective_id not in dropped],
        "findings": [*plan.findings, *questions]})


def write_cases(context: AgentContext, story: Story, evidence: Evidence,
                objectives: list[Objective], todo: list[Objective],
                askable: list[Objective]) -> dict[str, TestCase]:
    """Return the cases of `todo` by objective id: the engine's, reworded where it holds.

    Only the objectives in `askable` are given to the model to reword; ids are positions in
    `objectives`.
    """
    started = time.perf_counter()
    written = {o.objective_id: engine_case(story, o, case_id(story, objectives, o))
               for o in todo}
    context.progress(f"writer: {len(todo)} to write, {len(askable)} to reword")
    if askable:
        exemplars = evidence.exemplars[:EXEMPLARS_IN_PROMPT]
        drafts = ask_structured_many(
            context.chat_model, CaseDraft, system=context.system_for(story),
            shared=story_context(story, evidence),
            tasks=[reword_task(written[o.objective_id]) for o in askable])
        for objective, draft in zip(askable, drafts, strict=True):
            engine = written[objective.objective_id]
            if isinstance(draft, ModelOutputError):
                continue
            candidate = reworded(engine, draft)
            if signature(candidate) == signature(engine):
                continue  # a copy is the engine's wording, not the model's
            if keeps_meaning(story, engine, candidate, exemplars):
                written[objective.objective_id] = candidate
    _report(context, todo, written, started)
    return written


def _report(context: AgentContext, todo: list[Objective], written: dict[str, TestCase],
            started: float) -> None:
    """Say, per case, whose wording it has; then how long writing took."""
    for count, objective in enumerate(todo, start=1):
        case = written[objective.objective_id]
        wording = "model" if MODEL_LABEL in case.labels else \
            "template" if SCAFFOLD_LABEL in case.labels else "engine"
        context.progress(f"writer {count}/{len(todo)}: {case.case_id} {objective.objective_id} "
                         f"({wording} wording)")
    context.progress(f"writer: {len(todo)} cases in {time.perf_counter() - started:.1f} s")
