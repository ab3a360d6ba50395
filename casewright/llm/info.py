"""What `casewright model` reports: the model in use, and a timed structured smoke generation."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Literal, cast

from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel

from casewright.llm.chat_model import LlamaCppChatModel
from casewright.llm.cpu import use_extra_buffers
from casewright.llm.gguf import file_sha256
from casewright.llm.messages import prefix_stable_messages
from casewright.models import Step

SMOKE_SYSTEM = ('You write UAT test steps as JSON objects. Example: {"action": "Open account '
                '30011234 and pass ID&V", "data": "DOB 03/09/1971", "expected": "The account '
                'summary opens"}')  # one example: the bundled model answers "test_1" without
SMOKE_TASK = ("Write one test step: the agent opens account 40018822 and checks that the "
              "overdue balance shown is £180.00.")


class ModelReport(BaseModel):
    """The facts about a chat model a user needs to trust or reproduce its output."""

    provider: Literal["local", "openai"]
    model: str
    path: Path | None = None
    size_bytes: int | None = None
    sha256: str | None = None
    adapter: Path | None = None
    adapter_sha256: str | None = None
    context_tokens: int | None = None
    threads: int | None = None
    extra_buffers: str | None = None
    load_seconds: float | None = None
    base_url: str | None = None
    response_format: str | None = None

    def lines(self) -> list[str]:
        """Return the report as `name  value` lines, leaving out what does not apply."""
        size = f"{self.size_bytes / 1e6:.1f} MB" if self.size_bytes is not None else None
        rows = [("provider", self.provider), ("model", self.model), ("path", self.path),
                ("size", size), ("sha256", self.sha256), ("adapter", self.adapter),
                ("adapter sha256", self.adapter_sha256), ("context", self.context_tokens),
                ("threads", self.threads), ("buffers", self.extra_buffers),
                ("base url", self.base_url),
                ("response", self.response_format),
                ("load", f"{self.load_seconds:.2f} s" if self.load_seconds is not None else None)]
        return [f"{name:<9} {value}" for name, value in rows if value is not None]


class SmokeResult(BaseModel):
    """A short structured generation and how long it took."""

    seconds: float
    step: Step

    def line(self) -> str:
        """Return the result as one line."""
        return f"{'smoke':<9} Step in {self.seconds:.2f} s: {self.step.model_dump_json()}"


def buffers_line(asked: bool) -> str:
    """Say whether weights are repacked into llama.cpp's extra buffer types, and why not."""
    if use_extra_buffers(asked):
        return "repacked (extra buffer types on)"
    return "not repacked (" + ("AMX on this CPU" if asked else "extra buffer types off") + ")"


def describe_model(model: BaseChatModel) -> ModelReport:
    """Describe a chat model built by `load_chat_model`; a local model is loaded here."""
    if isinstance(model, LlamaCppChatModel):
        loaded = model.loaded()
        return ModelReport(
            provider="local", model=model.model_path.name, path=model.model_path,
            size_bytes=model.model_path.stat().st_size, sha256=file_sha256(model.model_path),
            adapter=model.adapter_path,
            adapter_sha256=file_sha256(model.adapter_path) if model.adapter_path else None,
            context_tokens=loaded.llama.n_ctx(), threads=model.n_threads,
            extra_buffers=buffers_line(model.extra_buffers), load_seconds=loaded.load_seconds)
    from casewright.llm.server import ServerChatModel  # langchain-openai: only when in use

    if isinstance(model, ServerChatModel):
        return ModelReport(provider="openai", model=model.model_name,
                           base_url=model.openai_api_base,
                           response_format=model.response_format_mode)
    raise TypeError(f"cannot describe {type(model).__name__}; use load_chat_model")


def smoke_test(model: BaseChatModel) -> SmokeResult:
    """Ask the model for one test step as structured output, and time it."""
    messages = prefix_stable_messages(SMOKE_SYSTEM, {}, SMOKE_TASK)
    started = time.perf_counter()
    # BaseChatModel types the reply as dict | BaseModel; for a pydantic schema it is an instance
    step = cast(Step, model.with_structured_output(Step).invoke(messages))
    return SmokeResult(seconds=time.perf_counter() - started, step=step)
