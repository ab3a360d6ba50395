"""Structured replies for every provider: parse into the pydantic model, retry once, or raise.

The provider constrains decoding (a llama.cpp grammar, a server's JSON-schema mode); this
module owns what happens after: parse the reply, and when it does not validate, show the
model its reply and the error and ask once more, then raise `ModelOutputError` with the raw
text. The retry only appends messages, so a local model reuses the cached prompt.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, convert_to_messages
from langchain_core.prompt_values import PromptValue
from langchain_core.runnables import Runnable, RunnableConfig, get_config_list
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
    return StructuredOutput(model, output_type)


class StructuredOutput(Runnable[LanguageModelInput, OutputT]):
    """Replies parsed into a pydantic model; an invalid one is asked for again, once.

    `batch` hands all prompts to the model's own `batch` (the local model decodes them
    together), then asks again, together, for the replies that did not validate.
    """

    def __init__(self, model: Runnable[LanguageModelInput, BaseMessage],
                 output_type: type[OutputT]) -> None:
        self.model, self.output_type = model, output_type
        self.name = f"{output_type.__name__}Output"

    def invoke(self, input: LanguageModelInput, config: RunnableConfig | None = None,
               **kwargs: Any) -> OutputT:
        """Return one parsed reply, or raise `ModelOutputError`."""
        return self.batch([input], config, **kwargs)[0]

    def batch(self, inputs: list[LanguageModelInput],
              config: RunnableConfig | list[RunnableConfig] | None = None, *,
              return_exceptions: bool = False, **kwargs: Any) -> list[OutputT]:
        """Return a parsed reply for every input (or its exception, with return_exceptions)."""
        conversations = [list(to_messages(model_input)) for model_input in inputs]
        configs = get_config_list(config, len(inputs))
        results: list[Any] = [None] * len(inputs)
        todo = list(range(len(inputs)))
        for attempt in range(1, ATTEMPTS + 1):
            replies = self.model.batch([conversations[i] for i in todo],
                                       [configs[i] for i in todo], return_exceptions=True)
            again = []
            for i, reply in zip(todo, replies, strict=True):
                results[i], retry = self._parse(reply, attempt)
                if retry is not None:
                    conversations[i] += retry
                    again.append(i)
            todo = again
        for result in results:
            if isinstance(result, Exception) and not return_exceptions:
                raise result
        return results

    def _parse(self, reply: BaseMessage | Exception,
               attempt: int) -> tuple[OutputT | Exception | None, list[BaseMessage] | None]:
        """Return the parsed reply, or its error, or the messages that ask again."""
        if isinstance(reply, Exception):
            return reply, None
        try:
            return parse_reply(reply.text, self.output_type), None
        except ValueError as error:
            problem = describe_problem(error, reply)
        name = self.output_type.__name__
        if attempt == ATTEMPTS:
            return ModelOutputError(
                f"the model's reply is not a valid {name} after {attempt} attempts: {problem}",
                raw_output=reply.text, attempts=attempt, hint=_MODEL_HINT), None
        return None, [AIMessage(reply.text),
                      HumanMessage(RETRY_PROMPT.format(name=name, problem=problem))]


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
