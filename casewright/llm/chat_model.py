"""A LangChain chat model over llama-cpp-python, with grammar-constrained structured output."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable
from pydantic import Field, field_validator

from casewright.errors import ConfigError
from casewright.llm.gguf import check_gguf
from casewright.llm.grammar import Bounds, bounded_schema, schema_grammar
from casewright.llm.runtime import LlamaKey, LoadedModel, get_model, machine_threads
from casewright.llm.structured import output_model, structured_output

_ROLES = {"system": "system", "human": "user", "ai": "assistant"}


class LlamaCppChatModel(BaseChatModel):
    """A GGUF model run in-process by llama.cpp, loaded on first use and shared per process.

    Every call passes the same seed, so equal prompts give equal replies. Sampling options
    bound with `.bind(max_tokens=..., temperature=...)` override the fields for one call.
    """

    model_path: Path = Field(description="The GGUF file.")
    # llama.cpp rounds the context up to a multiple of 256 but llama-cpp-python sizes its
    # buffers by the number asked, so any other size crashes once a prompt falls in between.
    n_ctx: int = Field(default=8192, ge=256, multiple_of=256, description="Context in tokens.")
    n_threads: int = Field(default_factory=machine_threads, gt=0, description="CPU threads.")
    seed: int = 0
    temperature: float = Field(default=0.2, ge=0)
    max_tokens: int = Field(default=1024, gt=0, description="Most tokens in one reply.")
    repeat_penalty: float = Field(default=1.1, description="Damps the small model's loops.")
    bounds: Bounds = Field(default_factory=Bounds,
                           description="String and array bounds for structured output.")

    @field_validator("model_path")
    @classmethod
    def _is_gguf(cls, path: Path) -> Path:
        return check_gguf(path)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": str(self.model_path), "n_ctx": self.n_ctx, "seed": self.seed,
                "temperature": self.temperature}

    def loaded(self) -> LoadedModel:
        """Return the process's llama.cpp instance for this file, loading it on first use."""
        return get_model(LlamaKey(self.model_path.resolve(), self.n_ctx, self.n_threads))

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        from llama_cpp import LlamaGrammar

        grammar = kwargs.pop("grammar", None)
        options = {"temperature": self.temperature, "max_tokens": self.max_tokens,
                   "repeat_penalty": self.repeat_penalty, **kwargs}
        model = self.loaded()
        try:
            with model.lock:
                response = model.llama.create_chat_completion(
                    messages=[_llama_message(message) for message in messages],
                    stop=stop or [], seed=self.seed,
                    grammar=LlamaGrammar.from_string(grammar) if grammar else None, **options)
        except ValueError as error:
            if "exceed context window" not in str(error):
                raise
            raise ConfigError(f"CASEWRIGHT_MODEL_CONTEXT: the prompt does not fit ({error})",
                              hint="raise CASEWRIGHT_MODEL_CONTEXT, as far as the model allows, "
                              "or send less evidence") from error
        choice, usage = response["choices"][0], response["usage"]
        reply = AIMessage(
            content=choice["message"]["content"] or "",
            response_metadata={"finish_reason": choice["finish_reason"],
                               "model_name": self.model_path.name},
            usage_metadata={"input_tokens": usage["prompt_tokens"],
                            "output_tokens": usage["completion_tokens"],
                            "total_tokens": usage["total_tokens"]})
        return ChatResult(generations=[ChatGeneration(message=reply)])

    def with_structured_output(
        self, schema: dict[str, Any] | type, *, include_raw: bool = False, **kwargs: Any
    ) -> Runnable[LanguageModelInput, Any]:
        """Return a runnable that replies with an instance of the pydantic model `schema`.

        Decoding follows a llama.cpp grammar compiled from the model's bounded JSON schema;
        a reply that still fails validation is retried once, then `ModelOutputError`.
        """
        output_type = output_model(schema, include_raw=include_raw, options=kwargs)
        grammar = schema_grammar(bounded_schema(output_type, self.bounds))
        return structured_output(self.bind(grammar=grammar), output_type)


def _llama_message(message: BaseMessage) -> dict[str, str]:
    role = _ROLES.get(message.type)
    if role is None:
        raise ValueError(f"the local model takes system, human and ai messages, "
                         f"not {message.type!r}")
    return {"role": role, "content": message.text}
