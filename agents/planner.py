"""The planner node: objectives per criterion, built on the fixed pipeline's scaffold.

Every criterion keeps its scaffold objective (the criterion as written), so no criterion can
be dropped. The criterion's wording and the rules it names add the angles it implies (a
rejection, a limit, a role, a data format); the model may add a few more, which are kept only
when they name a real criterion, a new angle and words from that criterion.
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from typing import Literal

from langgraph.runtime import Runtime
from pydantic import BaseModel, Field

from casewright.agents.context import AgentContext
from casewright.agents.fixed_pipeline import case_kind
from casewright.agents.prompting import ask_structured, story_text
from casewright.agents.state import AgentState, Objective, Plan
from casewright.errors import ModelOutputError
from casewright.models import AcceptanceCriterion, CaseKind, Story
from casewright.prompts import load_template
from casewright.quality import content_words
from casewright.wording import headline

IMPLIED: tuple[tuple[CaseKind, re.Pattern[str]], ...] = (
    ("negative", re.compile(
        r"\b(only|must|unless|without|requires?|needs?|cannot|refus\w*|block\w*|reject\w*|"
        r"declin\w*|disabled|verif\w*|limit\w*|not allowed)\b", re.IGNORECASE)),
    ("boundary", re.compile(
        r"£\s?\d[\d,.]*|\b\d+(?:\.\d+)?\s*(?:working days?|days?|months?|minutes?|hours?|"
        r"years?|digits?|%|calls?|times|extensions?|waivers?)\b|\b(at most|at least|up to|"
        r"maximum|minimum|more than|less than|within)\b", re.IGNORECASE)),
    ("role", re.compile(
        r"\b(team leaders?|supervisors?|managers?|approv\w*|permissions?|authori[sz]\w*|"
        r"back office)\b", re.IGNORECASE)),
    ("data", re.compile(
        r"\b(e-?mail address|e-?mail|phone number|mobile number|postcode|date of birth|"
        r"sort code|account number|card number|reference number|reference|format)\b",
        re.IGNORECASE)),
)


class Addition(BaseModel):
    """One objective the model proposes."""

    criterion_id: str = Field(description="The id of an existing criterion, such as 'AC2'.",
                              max_length=5)
    kind: Literal["negative", "boundary", "role", "data"]
    intent: str = Field(description="What the case must show, in one sentence.",
                        min_length=10, max_length=140)


class Additions(BaseModel):
    """Objectives the model adds to the plan."""

    objectives: list[Addition] = Field(max_length=4)


def implied_kinds(criterion: AcceptanceCriterion) -> list[tuple[CaseKind, str]]:
    """Return the kinds a criterion's wording implies, each with the phrase that implied it."""
    found = []
    for kind, pattern in IMPLIED:
        if match := pattern.search(criterion.text):
            found.append((kind, match.group(0)))
    return found


def scaffold_objectives(story: Story, limit: int) -> list[Objective]:
    """Return the scaffold objective of every criterion and the angles its wording implies."""
    template = load_template("planner")
    objectives = []
    for criterion in story.criteria:
        name = headline(criterion.title or criterion.text, 120)
        first = case_kind(criterion)
        angles: list[tuple[CaseKind, str]] = [(first, "")]
        if first == "negative":
            angles.append(("positive", ""))
        angles += [(kind, detail) for kind, detail in implied_kinds(criterion)
                   if kind not in {first, "positive"}]
        for number, (kind, detail) in enumerate(angles[:limit]):
            wording = template["positive" if number == 0 else
                               "counterpart" if kind == "positive" else kind]
            objectives.append(Objective(
                objective_id=f"{criterion.criterion_id}-{kind}",
                criterion_id=criterion.criterion_id,
                kind=kind, intent=wording.format(criterion=name, detail=detail),
                rule_ids=criterion.rule_ids, origin="scaffold" if number == 0 else "wording"))
    return objectives


def accept_additions(story: Story, objectives: list[Objective], additions: Additions,
                     limit: int) -> list[Objective]:
    """Keep the model's objectives that name a real criterion, a new angle and its words."""
    criteria = {c.criterion_id: c for c in story.criteria}
    taken = {o.objective_id for o in objectives}
    kept = []
    for addition in additions.objectives:
        criterion = criteria.get(addition.criterion_id)
        objective_id = f"{addition.criterion_id}-{addition.kind}"
        per_criterion = sum(o.criterion_id == addition.criterion_id for o in objectives + kept)
        if criterion is None or objective_id in taken or per_criterion >= limit:
            continue
        if not content_words(addition.intent) & content_words(criterion.text):
            continue
        taken.add(objective_id)
        kept.append(Objective(objective_id=objective_id, criterion_id=criterion.criterion_id,
                              kind=addition.kind, intent=addition.intent.strip(),
                              rule_ids=criterion.rule_ids, origin="model"))
    return kept


def retrieval_query(criterion: AcceptanceCriterion) -> str:
    """Return the text to look up rules for a criterion: its words without the keywords."""
    return " ".join(word for word in criterion.text.split()
                    if word.lower() not in {"given", "when", "then", "and", "but"})


def plan(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Plan | datetime]:
    """Plan the objectives for the story."""
    started_at, started = datetime.now(UTC), time.perf_counter()
    context, story = runtime.context, state["story"]
    limit = context.max_objectives_per_criterion
    objectives = scaffold_objectives(story, limit)
    if context.model_objectives and story.criteria:
        template = load_template("planner")
        try:
            additions = ask_structured(
                context.chat_model, Additions, shared={"story": story_text(story)},
                task=template["task"].format(limit=context.model_objectives))
            added = accept_additions(story, objectives, additions, limit)
        except ModelOutputError:
            added = []
        objectives = sorted(objectives + added, key=lambda o: _criterion_order(story, o))
    context.progress(f"planner: {len(objectives)} objectives for {len(story.criteria)} "
                     f"criteria ({time.perf_counter() - started:.1f} s)")
    queries = {c.criterion_id: retrieval_query(c) for c in story.criteria}
    return {"plan": Plan(objectives=objectives, queries=queries), "started_at": started_at}


def _criterion_order(story: Story, objective: Objective) -> int:
    ids = [criterion.criterion_id for criterion in story.criteria]
    return ids.index(objective.criterion_id)
