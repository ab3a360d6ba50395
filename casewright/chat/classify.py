"""What the patterns in `intents.py` miss, asked of the chat model as a small classification.

The small default model misroutes free text, so this is the last resort: one structured call
(prompt: prompts/chat.toml) whose answer must name a known action with the fields it needs, or
nothing is done. Pushing to Jira is not among the actions: it is only ever asked for by /push.
"""

from __future__ import annotations

from typing import Literal

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, Field, ValidationError

from casewright.agents.model_calls import ask_structured, story_text
from casewright.chat.intents import AddCase, AmendCase, Explain, Intent, Show, WriteCases
from casewright.errors import InputError, ModelOutputError
from casewright.keys import parse_issue_key
from casewright.llm.messages import tagged
from casewright.models import CaseKind, Story
from casewright.prompts import load_template, system_prompt


class Guess(BaseModel):
    """The model's reading of a request."""

    action: Literal["write", "add", "amend", "explain", "show", "unknown"]
    story_key: str | None = Field(default=None, max_length=16)
    case_number: int | None = Field(default=None, ge=1, le=99)
    criterion_id: str | None = Field(default=None, max_length=5)
    kind: CaseKind | None = None
    condition: str | None = Field(default=None, max_length=60)
    rule_id: str | None = Field(default=None, max_length=12)


def classify(chat_model: BaseChatModel, line: str, story: Story | None,
             system: str | None = None) -> Intent | None:
    """Return what the model reads in a line, or None when it fails or cannot say.

    `system` is the session's system text, so the call shares the cached prefix of the
    session's other calls; without it, the text with no product named.
    """
    shared = {"story": story_text(story)} if story is not None else {}
    try:
        guess = ask_structured(chat_model, Guess, system=system or system_prompt(),
                               shared=shared,
                               task=load_template("chat")["classify"].format(
                                   request=tagged("request", line)))
    except ModelOutputError:
        return None
    return to_intent(guess)


def to_intent(guess: Guess) -> Intent | None:
    """Return the intent a guess names, or None when it lacks a field that intent needs."""
    try:
        match guess:
            case Guess(action="write", story_key=str(key)):
                return WriteCases(story_key=parse_issue_key(key))
            case Guess(action="add", criterion_id=str(criterion), kind=str(kind)):
                return AddCase(criterion_id=criterion.upper(), case_kind=kind,
                               condition=guess.condition or None)
            case Guess(action="amend", case_number=int(number), kind=str(kind)):
                return AmendCase(case_number=number, case_kind=kind,
                                 condition=guess.condition or None)
            case Guess(action="explain") if guess.case_number or guess.rule_id:
                return Explain(case_number=guess.case_number,
                               rule_id=guess.rule_id.upper() if guess.rule_id else None)
            case Guess(action="show"):
                return Show(case_number=guess.case_number)
    except (InputError, ValidationError):
        return None
    return None
