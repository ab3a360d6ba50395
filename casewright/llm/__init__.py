"""The chat model runtime: llama.cpp in-process by default, or an OpenAI-compatible server.

Nodes talk to a LangChain `BaseChatModel` built by `load_chat_model(settings)`; its
`with_structured_output(PydanticModel)` returns validated instances or raises
`casewright.errors.ModelOutputError`. Names load lazily: the server client (langchain-openai)
costs a second to import and the local path never needs it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "Bounds": "casewright.llm.grammar",
    "LlamaCppChatModel": "casewright.llm.chat_model",
    "ServerChatModel": "casewright.llm.server",
    "bounded_schema": "casewright.llm.grammar",
    "bundled_model_path": "casewright.llm.gguf",
    "load_chat_model": "casewright.llm.factory",
    "prefix_stable_messages": "casewright.llm.messages",
    "tagged": "casewright.llm.messages",
}

__all__ = [*_EXPORTS]

if TYPE_CHECKING:  # redundant aliases mark re-exports for type checkers and linters
    from casewright.llm.chat_model import LlamaCppChatModel as LlamaCppChatModel
    from casewright.llm.factory import load_chat_model as load_chat_model
    from casewright.llm.gguf import bundled_model_path as bundled_model_path
    from casewright.llm.grammar import Bounds as Bounds
    from casewright.llm.grammar import bounded_schema as bounded_schema
    from casewright.llm.messages import prefix_stable_messages as prefix_stable_messages
    from casewright.llm.messages import tagged as tagged
    from casewright.llm.server import ServerChatModel as ServerChatModel


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'casewright.llm' has no attribute {name!r}")
