"""An OpenAI-compatible server as the chat model: llama.cpp server, vLLM, Ollama, OpenAI."""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import LanguageModelInput
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatResult
from langchain_core.runnables import Runnable
from langchain_openai.chat_models.base import BaseChatOpenAI
from pydantic import Field

from casewright.errors import ConfigError
from casewright.llm.grammar import Bounds, bounded_schema
from casewright.llm.structured import output_model, structured_output

URL_SETTING = "CASEWRIGHT_MODEL_BASE_URL"
KEY_SETTING = "CASEWRIGHT_MODEL_API_KEY"
FORMAT_SETTING = "CASEWRIGHT_MODEL_RESPONSE_FORMAT"
CHECK_TIMEOUT_SECONDS = 5.0
ResponseFormat = Literal["json_schema", "json_object"]


class ServerChatModel(BaseChatOpenAI):
    """A chat model behind an OpenAI-compatible `/v1/chat/completions` endpoint.

    Built on `BaseChatOpenAI` (ChatOpenAI's base, as langchain's own packages for compatible
    servers are) because ChatOpenAI sends `max_completion_tokens`, which llama-cpp-python's
    server ignores; this sends `max_tokens`, which every compatible server reads.
    """

    response_format_mode: ResponseFormat = Field(
        default="json_schema", description="How structured output is asked of the server.")
    bounds: Bounds = Field(default_factory=Bounds,
                           description="String and array bounds for structured output.")

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        from openai import APIStatusError

        try:
            return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)
        except APIStatusError as error:
            if "response_format" in kwargs and "response_format" in str(error):
                raise ConfigError(
                    f"{FORMAT_SETTING}: the server at {self.openai_api_base} rejected "
                    f"response_format {self.response_format_mode!r} (HTTP {error.status_code})",
                    hint=f"set {FORMAT_SETTING}=json_object for llama-cpp-python's server, "
                    "json_schema for the others") from error
            raise

    def with_structured_output(
        self, schema: dict[str, Any] | type | None = None, *, include_raw: bool = False,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, Any]:
        """Return a runnable that replies with an instance of the pydantic model `schema`.

        The server constrains decoding by the model's bounded JSON schema (its JSON-schema
        mode, or a JSON object with a schema); a reply that still fails validation is retried
        once, then `ModelOutputError`.
        """
        output_type = output_model(schema, include_raw=include_raw, options=kwargs)
        json_schema = bounded_schema(output_type, self.bounds)
        if self.response_format_mode == "json_schema":
            response_format: dict[str, Any] = {"type": "json_schema", "json_schema": {
                "name": output_type.__name__, "schema": json_schema}}
        else:
            response_format = {"type": "json_object", "schema": json_schema}
        return structured_output(self.bind(response_format=response_format), output_type)


def served_models(base_url: str, api_key: str) -> list[str]:
    """Return the model names a server lists, proving on the way that it answers.

    Raises:
        ConfigError: the server cannot be reached, refuses the key, or is not OpenAI-compatible.
    """
    import openai

    client = openai.OpenAI(base_url=base_url, api_key=api_key, timeout=CHECK_TIMEOUT_SECONDS,
                           max_retries=0)
    try:
        return [model.id for model in client.models.list()]
    except openai.APIConnectionError as error:
        raise ConfigError(f"{URL_SETTING}: cannot reach {base_url} ({error.__cause__ or error})",
                          hint=f"start the server, or fix {URL_SETTING} (such as "
                          "http://127.0.0.1:8080/v1)") from error
    except (openai.AuthenticationError, openai.PermissionDeniedError) as error:
        raise ConfigError(f"{KEY_SETTING}: the server at {base_url} refused the key "
                          f"(HTTP {error.status_code})",
                          hint=f"set {KEY_SETTING} to a key it accepts") from error
    except openai.APIStatusError as error:
        raise ConfigError(f"{URL_SETTING}: {base_url}/models answered HTTP {error.status_code}",
                          hint="point it at the OpenAI-compatible root, which usually ends "
                          "in /v1") from error
