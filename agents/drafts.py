"""The shape of a case the model drafts whole: preconditions, then steps with their results.

Bounds sit above the human-written scenarios of the training corpus (benchmarks/corpus/): a
draft longer than them is the model running on, and every character is decoding time. A
step's expected result may be empty where the step only leads to the next one, as testers
write them; the last step's may not (the writer's checks).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

MAX_PRECONDITIONS = 8
MAX_STEPS = 8


class DraftStep(BaseModel):
    """One step as the model drafts it."""

    action: str = Field(description="What the tester does, as an instruction.", min_length=3,
                        max_length=200)
    data: str = Field(default="", description="Test data the action uses, or empty.",
                      max_length=200)
    expected: str = Field(default="", description="What the tester sees after it; empty when "
                          "the step only leads to the next one.", max_length=240)


class Draft(BaseModel):
    """A whole test case as the model drafts it; ids, titles, kinds and traces are code's."""

    preconditions: list[Annotated[str, Field(min_length=3, max_length=200)]] = Field(
        default_factory=list, max_length=MAX_PRECONDITIONS,
        description="What must be true before the first step.")
    steps: list[DraftStep] = Field(min_length=1, max_length=MAX_STEPS)
