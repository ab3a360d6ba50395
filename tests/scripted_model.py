"""A scripted chat model for fast tests: canned structured replies, no weights.

Like LangGraph's own test model, it answers `with_structured_output(Schema).invoke(messages)`
from a script: a function of (schema, prompt text) returning a Schema instance (or raising).
Every call is recorded so a test can assert what each node asked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable, RunnableLambda
from pydantic import BaseModel, ConfigDict

Script = Callable[[type[BaseModel], str], BaseModel]


class ScriptedChatModel(BaseChatModel):
    """Answers structured requests from a script and records them."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    script: Script
    calls: list[tuple[str, str]] = []

    @property
    def _llm_type(self) -> str:
        return "scripted"

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: Any = None, **kwargs: Any) -> ChatResult:
        text = "\n".join(str(message.content) for message in messages)
        self.calls.append(("text", text))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content="ok"))])

    def with_structured_output(self, schema: Any, **kwargs: Any) -> Runnable:
        def answer(messages: list[BaseMessage]) -> BaseModel:
            text = "\n".join(str(message.content) for message in messages)
            self.calls.append((schema.__name__, text))
            return self.script(schema, text)

        return RunnableLambda(answer)

    def asked(self, schema_name: str) -> list[str]:
        """Return the prompts of the calls for one schema."""
        return [text for name, text in self.calls if name == schema_name]
