"""Training examples in the writer's own chat: the engine's case in, the team's wording out.

At run time the writer sends the system text, the story, its evidence and the writing guide,
then a task showing the engine's case, and asks for the case reworded (`CaseDraft` JSON). An
example is that chat for one of the team's cases: the engine's case for the same criterion
and kind in the task, the team's preconditions and steps as the answer. So what the model
learns on is exactly what it is asked. JSONL files of chat records (`{"messages": [...]}`,
as `casewright run -f jsonl` writes them) are taken as they are.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from casewright.agents.cases import engine_case
from casewright.agents.model_calls import story_context
from casewright.agents.passages import rule_passages
from casewright.agents.planner import plan_story
from casewright.agents.state import Evidence, Objective
from casewright.agents.writer import CaseDraft, keeps_meaning, reword_task, reworded
from casewright.errors import InputError
from casewright.files import read_text
from casewright.llm.messages import prefix_stable_messages
from casewright.models import Story, TestCase
from casewright.prompts import system_prompt
from casewright.tools.workspace import Workspace

MIN_EXAMPLES = 5
"""Fewest examples `finetune` trains on: one held out, and enough left to learn from."""
HELD_OUT = 0.2
"""Share of the examples kept out of training, to compare the model before and after."""
MAX_JSONL_BYTES = 200_000_000
"""Largest JSONL file read: some 100,000 chat records."""
_ROLES: dict[str, Literal["system", "user", "assistant"]] = {
    "system": "system", "human": "user", "ai": "assistant"}


class Message(BaseModel):
    """One chat message."""

    role: Literal["system", "user", "assistant"]
    content: str


class Example(BaseModel):
    """One chat to learn from; the engine's case and story where it came from a workspace."""

    messages: list[Message] = Field(min_length=2)
    task: Literal["reword", "draft"] = "reword"
    """What the chat asks: a rewording of the engine's case, or a whole case drafted."""
    story: Story | None = None
    engine: TestCase | None = None
    case_id: str | None = None

    def prompt(self) -> list[dict[str, str]]:
        """Return the chat up to the answer, as the model is asked it."""
        return [m.model_dump() for m in self.messages[:-1]]

    def answer(self) -> str:
        """Return the team's answer: the last message."""
        return self.messages[-1].content

    def chat(self) -> list[dict[str, str]]:
        """Return the whole chat, as training reads it."""
        return [m.model_dump() for m in self.messages]


def draft_json(case: TestCase) -> str:
    """Return a case's preconditions and steps as the writer's `CaseDraft` JSON."""
    return json.dumps(case.model_dump(include={"preconditions", "steps"}), ensure_ascii=False)


def case_examples(workspace: Workspace, cases: Iterable[TestCase], product: str | None = None,
                  limit: int = 8) -> list[Example]:
    """Return an example per case whose story the workspace has and whose criterion it plans.

    The evidence is the rules the story's criteria cite (what the retriever finds first);
    exemplars are left out, since the model is to learn the style, not copy it.
    """
    rules = rule_passages(workspace.confluence)
    stories: dict[str, Story | None] = {}
    examples = []
    for case in cases:
        if case.story_key not in stories:
            stories[case.story_key] = _story(workspace, case.story_key)
        story = stories[case.story_key]
        objective = _objective(story, case, limit) if story is not None else None
        if story is None or objective is None:
            continue
        cited = {rule for c in story.criteria for rule in c.rule_ids}
        evidence = Evidence(sources=[rules[r] for r in sorted(cited) if r in rules])
        engine = engine_case(story, objective, case.case_id)
        system = system_prompt(product or story.project_name or story.project)
        messages = prefix_stable_messages(system, story_context(story, evidence),
                                          reword_task(engine))
        examples.append(Example(
            messages=[*(Message(role=_ROLES[m.type], content=str(m.content)) for m in messages),
                      Message(role="assistant", content=draft_json(case))],
            story=story, engine=engine, case_id=case.case_id))
    return examples


def read_jsonl(path: Path) -> list[Example]:
    """Return the chat records of a JSONL file; InputError naming the line that is not one."""
    examples = []
    for number, line in enumerate(read_text(path, limit=MAX_JSONL_BYTES).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            example = Example.model_validate_json(line)
        except ValidationError as error:
            raise InputError(f"{path}:{number}: not a chat record ({_first(error)})",
                             hint='each line must be {"messages": [{"role": ..., "content": '
                             '...}, ...]} ending with the assistant\'s answer') from None
        if example.messages[-1].role != "assistant":
            raise InputError(f"{path}:{number}: the chat does not end with an assistant answer",
                             hint="end each record with the case the model should write")
        examples.append(example)
    return examples


def held_out(examples: Sequence[Example], seed: int = 0) -> tuple[list[Example], list[Example]]:
    """Split examples, seeded: (training, held out), with HELD_OUT of them (at least 1) out.

    InputError when there are fewer than MIN_EXAMPLES.
    """
    if len(examples) < MIN_EXAMPLES:
        raise InputError(f"{len(examples)} training examples; fine-tuning needs at least "
                         f"{MIN_EXAMPLES}",
                         hint="add approved cases (run and approve stories), test cases under "
                         "tests/, or --jsonl files")
    order = list(examples)
    random.Random(seed).shuffle(order)
    cut = max(1, round(len(order) * HELD_OUT))
    return order[cut:], order[:cut]


def kept_by_writer(example: Example, draft: CaseDraft) -> bool | None:
    """Whether the writer would keep a model's rewording as it is; None without an engine case.

    The writer keeps it only when it says the engine's case in other words and passes the
    degenerate-case checks (`keeps_meaning`).
    """
    if example.story is None or example.engine is None:
        return None
    return keeps_meaning(example.story, example.engine, reworded(example.engine, draft), [])


def _story(workspace: Workspace, key: str) -> Story | None:
    try:
        return workspace.jira.get_story(key)
    except InputError:
        return None  # a case of a story the workspace does not hold: nothing to pair it with


def _objective(story: Story, case: TestCase, limit: int) -> Objective | None:
    """Return the engine's objective for the case's criterion, of its kind if there is one."""
    mine = [o for o in plan_story(story, limit).objectives
            if o.criterion_id in case.criterion_ids]
    return next((o for o in mine if o.kind == case.kind), next(iter(mine), None))


def _first(error: ValidationError) -> str:
    detail = error.errors()[0]
    where = ".".join(str(part) for part in detail["loc"])
    return f"{where}: {detail['msg']}" if where else detail["msg"]
