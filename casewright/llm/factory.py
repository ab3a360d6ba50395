"""Build the chat model the settings ask for; the one place that constructs model clients."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from langchain_core.language_models import BaseChatModel
from pydantic import SecretStr

from casewright.config import Settings
from casewright.errors import ConfigError
from casewright.llm.adapter import checked_adapter
from casewright.llm.chat_model import LlamaCppChatModel
from casewright.llm.gguf import check_gguf
from casewright.llm.reencode import runnable_bundled_model
from casewright.llm.specialist import adapter_for

if TYPE_CHECKING:
    from casewright.llm.server import ServerChatModel

NO_KEY = "no-key"
"""Sent when no API key is set: local servers ignore it, the OpenAI client needs one."""


class _Threads(TypedDict, total=False):
    """`n_threads` when set; left out, the model picks the cores free when it is built."""

    n_threads: int


def load_chat_model(settings: Settings) -> BaseChatModel:
    """Return the chat model for settings: the local GGUF (default) or an OpenAI-compatible server.

    A local model is checked (file, GGUF magic) but loaded on its first call; the bundled one
    is first re-encoded as Q8_0, once per home (`casewright.llm.reencode`). A server is
    asked for its model list at once, so a wrong URL or key fails here, not mid-run.

    Raises:
        ConfigError: naming the setting to fix.
    """
    if settings.model_provider == "openai":
        return _server_model(settings)
    threads: _Threads = ({"n_threads": settings.model_threads}
                         if settings.model_threads is not None else {})
    path = local_model_path(settings)
    chosen = adapter_for(settings)
    adapter = checked_adapter(chosen, check_gguf(path)) if chosen is not None else None
    return LlamaCppChatModel(
        model_path=path, adapter_path=adapter, n_ctx=settings.model_context,
        extra_buffers=settings.model_extra_buffers,
        seed=settings.model_seed, temperature=settings.model_temperature,
        max_tokens=settings.model_max_tokens, **threads)


def local_model_path(settings: Settings) -> Path:
    """Return the GGUF file llama.cpp runs: the setting's, or the bundled model as Q8_0."""
    return settings.model_path if settings.model_path is not None \
        else runnable_bundled_model(settings.home / "cache")


def _server_model(settings: Settings) -> ServerChatModel:
    from casewright.llm.server import URL_SETTING, ServerChatModel, served_models

    if settings.model_base_url is None:
        raise ConfigError(f"{URL_SETTING} is not set but CASEWRIGHT_MODEL_PROVIDER is 'openai'",
                          hint=f"set {URL_SETTING} to the server's URL, such as "
                          "http://127.0.0.1:8080/v1, or use CASEWRIGHT_MODEL_PROVIDER=local")
    api_key = (settings.model_api_key.get_secret_value() if settings.model_api_key is not None
               else NO_KEY)
    listed = served_models(settings.model_base_url, api_key)
    name = settings.model_name if settings.model_name is not None else next(iter(listed), None)
    if name is None:
        raise ConfigError(f"the server at {settings.model_base_url} lists no models",
                          hint="set CASEWRIGHT_MODEL_NAME to the model to use")
    return ServerChatModel(
        base_url=settings.model_base_url, api_key=SecretStr(api_key), model=name,
        seed=settings.model_seed, temperature=settings.model_temperature,
        max_tokens=settings.model_max_tokens,
        response_format_mode=settings.model_response_format)
