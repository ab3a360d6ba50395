"""Structured replies for every provider: parse into the pydantic model, retry once, or raise.

The provider constrains decoding (a llama.cpp grammar, a server's JSON-schema mode); this
module owns what happens after: parse the reply, and when it does not validate, show the
model its reply and the error and ask once more, then raise `ModelOutputError` with the raw
text. The retry only appends messages, so a local model reuses the cached prompt.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TypeVar

from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, convert_to_messages
from langchain_core.prompt_values import PromptValue
from langchain_core.runnables import Runnable, RunnableConfig, RunnableLambda
from pydantic import BaseModel, ValidationError

from casewright.errors import ModelOutputError

OutputT = TypeVar("OutputT", bound=BaseModel)
ATTEMPTS = 2
RETRY_PROMPT = ("Your reply was not a valid {name}: {problem}. "
                "Reply again with only the corrected JSON.")
_MODEL_HINT = ("try a larger model (CASEWRIGHT_MODEL_PATH or CASEWRIGHT_MODEL_BASE_URL) or a "
               "shorter prompt")


def to_messages(model_input: LanguageModelInput) -> list[BaseMessage]:
    """Return the messages of any chat model input (a string, a prompt value, messages)."""
    if isinstance(model_input, PromptValue):
        return model_input.to_messages()
    if isinstance(model_input, str):
        return [HumanMessage(model_input)]
    return convert_to_messages(model_input)


def parse_reply(text: str, output_type: type[OutputT]) -> OutputT:
    """Parse a JSON reply into output_type; raw control characters inside strings are allowed.

    Raises:
        ValueError: the text is not JSON (`json.JSONDecodeError`) or does not validate
            (`pydantic.ValidationError`).
    """
    return output_type.model_validate(json.loads(text, strict=False))


def describe_problem(error: ValueError, reply: BaseMessage) -> str:
    """Say in one line why a reply was rejected, for the model's retry and for the user."""
    if isinstance(error, ValidationError):
        problem = "; ".join(f"{'.'.join(str(part) for part in detail['loc']) or 'reply'}: "
                            f"{detail['msg']}" for detail in error.errors()[:3])
    else:
        problem = f"invalid JSON ({error})"
    if reply.response_metadata.get("finish_reason") == "length":
        problem += " (the reply was cut off at the token limit)"
    return problem


def structured_output(
    model: Runnable[LanguageModelInput, BaseMessage], output_type: type[OutputT]
) -> Runnable[LanguageModelInput, OutputT]:
    """Wrap a model already bound to output_type's schema so that it returns output_type."""

    def invoke(model_input: LanguageModelInput, config: RunnableConfig) -> OutputT:
        messages: Sequence[BaseMessage] = to_messages(model_input)
        attempts = 0
        while True:
            attempts += 1
            reply = model.invoke(messages, config)
            try:
                return parse_reply(reply.text, output_type)
            except ValueError as error:
                problem = describe_problem(error, reply)
            if attempts == ATTEMPTS:
                raise ModelOutputError(
                    f"the model's reply is not a valid {output_type.__name__} after {attempts} "
                    f"attempts: {problem}", raw_output=reply.text, attempts=attempts,
                    hint=_MODEL_HINT)
            messages = [*messages, AIMessage(reply.text), HumanMessage(
                RETRY_PROMPT.format(name=output_type.__name__, problem=problem))]

    return RunnableLambda(invoke, name=f"{output_type.__name__}Output")


def output_model(
    schema: object, *, include_raw: bool, options: dict[str, object]
) -> type[BaseModel]:
    """Check a `with_structured_output` request and return its pydantic model class.

    Raises:
        TypeError: schema is not a pydantic model class (dict schemas are not supported).
        NotImplementedError: include_raw or provider options were asked for; the raw reply
            of a failure rides on `ModelOutputError` instead.
    """
    if include_raw or options:
        asked = ["include_raw"] * include_raw + sorted(options)
        raise NotImplementedError(f"with_structured_output does not take {', '.join(asked)}")
    if not (isinstance(schema, type) and issubclass(schema, BaseModel)):
        raise TypeError(f"with_structured_output needs a pydantic model class, not {schema!r}")
    return schema
