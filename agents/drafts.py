"""A case the model drafts whole: its shape, and the task that asks for it.

Bounds sit above the human-written scenarios of the training corpus (benchmarks/corpus/): a
draft longer than them is the model running on, and every character is decoding time. A
step's expected result may be empty where the step only leads to the next one, as testers
write them; the last step's may not (the writer's checks).
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from casewright.llm.messages import neutral
from casewright.prompts import load_template

MAX_PRECONDITIONS = 8
MAX_STEPS = 8
UNSTATED = "what the criterion says"
"""The outcome named in a task when the engine could not read one."""
MAX_VALUES = 6
"""Most values named in a task: more is noise for a small model."""
_VALUE = re.compile(r"\"([^\"]{1,60})\"|'([^']{1,60})'|(?<![\w.])(\d+(?:[.,]\d+)*%?)(?![\w.])")


def _result_said(schema: dict[str, Any]) -> None:
    """Make every generated step say its result (validation still allows a lead-in step)."""
    schema["required"] = [*schema.get("required", []), "expected"]
    schema["properties"]["expected"]["minLength"] = 3


class DraftStep(BaseModel):
    """One step as the model drafts it."""

    model_config = ConfigDict(json_schema_extra=_result_said)

    action: str = Field(description="What the tester does, as an instruction.", min_length=3,
                        max_length=200)
    data: str = Field(default="", description="Test data the action uses, or empty.",
                      max_length=200)
    expected: str = Field(default="", description="What the tester sees after it; empty when "
                          "the step only leads to the next one.", max_length=320)


def _set_up_first(schema: dict[str, Any]) -> None:
    """Make the generated draft open with its preconditions (validation still allows none)."""
    schema["required"] = ["preconditions", *schema.get("required", [])]


class Draft(BaseModel):
    """A whole test case as the model drafts it; ids, titles, kinds and traces are code's."""

    model_config = ConfigDict(json_schema_extra=_set_up_first)

    preconditions: list[Annotated[str, Field(min_length=3, max_length=240)]] = Field(
        default_factory=list, max_length=MAX_PRECONDITIONS,
        description="What must be true before the first step.",
        # generation only: a drafted case starts from its set-up, while a human case without
        # one still validates (json_schema_extra shapes the grammar, not validation)
        json_schema_extra={"minItems": 1})
    steps: list[DraftStep] = Field(min_length=1, max_length=MAX_STEPS)


def draft_task(criterion: str, kind: str, outcome: str, values: list[str]) -> str:
    """Return the task asking the model to draft one case (the writer's, and training's)."""
    template: str = load_template("writer")["draft"]
    shown = ", ".join(json.dumps(value, ensure_ascii=False) for value in values) or "none"
    return template.format(kind=kind, criterion=neutral(criterion),
                           outcome=neutral(outcome) or UNSTATED, values=shown)


def story_text(title: str, narrative: str) -> str:
    """Return the story section of a drafting chat: the title and its narrative."""
    return f"{title}\n{narrative}".strip()


def quoted_values(text: str) -> list[str]:
    """Return the quoted strings and numbers in text, in order."""
    return [next(group for group in match.groups() if group is not None)
            for match in _VALUE.finditer(text)]
