"""A LangChain chat model over llama-cpp-python, with grammar-constrained structured output."""

from __future__ import annotations

import functools
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LanguageModelInput
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import Runnable, RunnableConfig
from pydantic import Field, PrivateAttr, field_validator

from casewright.errors import ConfigError
from casewright.llm.cpu import use_extra_buffers
from casewright.llm.gguf import check_gguf
from casewright.llm.grammar import Bounds, bounded_schema, schema_grammar
from casewright.llm.runtime import LlamaKey, LoadedModel, free_threads, get_model
from casewright.llm.structured import output_model, structured_output, to_messages

if TYPE_CHECKING:
    from llama_cpp import Llama
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter
    from llama_cpp.llama_grammar import LlamaGrammar
    from llama_cpp.llama_types import ChatCompletionRequestMessage, CreateChatCompletionResponse

    from casewright.llm.batching import Sampler

_BATCH_OPTIONS = {"grammar", "temperature", "max_tokens", "repeat_penalty", "stop"}
"""What a batch decoded together may set; with anything else, prompts go one at a time."""


class LlamaCppChatModel(BaseChatModel):
    """A GGUF model run in-process by llama.cpp, loaded on first use and shared per process.

    Every call passes the same seed, so equal prompts give equal replies. Sampling options
    bound with `.bind(max_tokens=..., temperature=...)` override the fields for one call.
    """

    model_path: Path = Field(description="The GGUF file.")
    adapter_path: Path | None = Field(default=None, description="A GGUF LoRA adapter llama.cpp "
                                      "applies to the model (see casewright.llm.adapter).")
    # llama.cpp rounds the context up to a multiple of 256 but llama-cpp-python sizes its
    # buffers by the number asked, so any other size crashes once a prompt falls in between.
    n_ctx: int = Field(default=8192, ge=256, multiple_of=256, description="Context in tokens.")
    n_threads: int = Field(default_factory=free_threads, gt=0, description="CPU threads "
                           "(default: the cores other work leaves free when it is built).")
    extra_buffers: bool = Field(
        default=False, description="Whether llama.cpp repacks weights into its extra buffer "
        "types (never where it uses AMX: casewright.llm.cpu).")
    seed: int = 0
    temperature: float = Field(default=0.2, ge=0)
    max_tokens: int = Field(default=1024, gt=0, description="Most tokens in one reply.")
    repeat_penalty: float = Field(default=1.1, description="Damps the small model's loops.")
    bounds: Bounds = Field(default_factory=Bounds,
                           description="String and array bounds for structured output.")
    _prepared: dict[tuple[Any, ...], deque[ChatResult]] = PrivateAttr(default_factory=dict)
    """Replies a batch decoded together, waiting for its per-prompt calls to take them."""

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
                "temperature": self.temperature,
                "adapter_path": str(self.adapter_path) if self.adapter_path else None}

    def loaded(self) -> LoadedModel:
        """Return the process's llama.cpp instance for this file, loading it on first use."""
        return get_model(LlamaKey(self.model_path.resolve(), self.n_ctx, self.n_threads,
                                  self.adapter_path.resolve() if self.adapter_path else None,
                                  use_extra_buffers(self.extra_buffers)))

    def _options(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        """Return one call's sampling options: the fields, overridden by bound kwargs."""
        return {"temperature": self.temperature, "max_tokens": self.max_tokens,
                "repeat_penalty": self.repeat_penalty, **kwargs}

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        chats = [_llama_message(message) for message in messages]
        prepared = self._prepared.get(_request_key(chats, stop, kwargs))
        if prepared:
            return prepared.popleft()
        grammar = kwargs.pop("grammar", None)
        model = self.loaded()
        try:
            with model.lock:
                # without stream=True the reply is one response, not an iterator of chunks
                response = cast("CreateChatCompletionResponse", model.llama.create_chat_completion(
                    messages=chats, stop=stop or [], seed=self.seed,
                    grammar=_grammar(grammar), **self._options(kwargs)))
        except ValueError as error:
            raise _context_error(error) from error
        choice, usage = response["choices"][0], response["usage"]
        return self._result(choice["message"]["content"] or "", choice["finish_reason"],
                            usage["prompt_tokens"], usage["completion_tokens"])

    def batch(self, inputs: list[LanguageModelInput],
              config: RunnableConfig | list[RunnableConfig] | None = None, *,
              return_exceptions: bool = False, **kwargs: Any) -> list[AIMessage]:
        """Answer several prompts, decoding them together (`casewright.llm.batching`).

        The replies are decoded first, in one batch over the prompts' shared prefix; then
        LangChain's own batch answers each prompt from them, so callbacks and usage metadata
        report every reply as for a single call. With `stop` strings, or a GGUF without its
        own chat template, or sampling options beyond temperature, max_tokens and
        repeat_penalty, the prompts are answered one at a time.
        """
        from casewright.llm.batching import Request, decode_together

        model, keys = self.loaded(), []
        stop = kwargs.get("stop")
        if len(inputs) > 1 and not stop and set(kwargs) <= _BATCH_OPTIONS \
                and _own_template(model.llama):
            chats = [[_llama_message(m) for m in to_messages(i)] for i in inputs]
            options = self._options({k: v for k, v in kwargs.items() if k != "grammar"})
            grammar = kwargs.get("grammar")
            with model.lock:
                llama = model.llama
                requests = [Request(prompt=chat_tokens(llama, chat), max_tokens=options[
                    "max_tokens"], sampler=self._sampler(llama, grammar, options))
                    for chat in chats]
                try:
                    completions = decode_together(llama, requests)
                except ValueError as error:
                    raise _context_error(error) from error
                for chat, request, completion in zip(chats, requests, completions, strict=True):
                    text = llama.detokenize(completion.tokens).decode("utf-8", errors="ignore")
                    keys.append(_request_key(chat, None, kwargs))
                    self._prepared.setdefault(keys[-1], deque()).append(
                        self._result(text, completion.finish_reason, len(request.prompt),
                                     len(completion.tokens)))
        try:
            return super().batch(inputs, config, return_exceptions=return_exceptions, **kwargs)
        finally:
            for key in keys:
                self._prepared.pop(key, None)

    def _sampler(self, llama: Llama, grammar: str | None, options: dict[str, Any]) -> Sampler:
        llama.set_seed(self.seed)
        sampler: Sampler = llama._init_sampler(
            temp=options["temperature"], top_k=40, top_p=0.95, min_p=0.05,
            repeat_penalty=options["repeat_penalty"], grammar=_grammar(grammar))
        return sampler

    def _result(self, text: str, finish_reason: str | None, prompt_tokens: int,
                completion_tokens: int) -> ChatResult:
        reply = AIMessage(
            content=text,
            response_metadata={"finish_reason": finish_reason, "model_name": self.model_path.name},
            usage_metadata={"input_tokens": prompt_tokens, "output_tokens": completion_tokens,
                            "total_tokens": prompt_tokens + completion_tokens})
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


def _grammar(grammar: str | None) -> LlamaGrammar | None:
    from llama_cpp.llama_grammar import LlamaGrammar

    return LlamaGrammar.from_string(grammar, verbose=False) if grammar else None


def _context_error(error: ValueError) -> Exception:
    """Turn llama-cpp-python's context overflow into a ConfigError; re-raise anything else."""
    if "exceed context window" not in str(error):
        raise error
    return ConfigError(f"CASEWRIGHT_MODEL_CONTEXT: the prompt does not fit ({error})",
                       hint="raise CASEWRIGHT_MODEL_CONTEXT, as far as the model allows, "
                       "or send less evidence")


def _own_template(llama: Llama) -> bool:
    """Whether llama formats chats with its GGUF's own template, as `chat_tokens` does."""
    return getattr(llama, "chat_format", None) == "chat_template.default"


def _request_key(chat: list[ChatCompletionRequestMessage], stop: list[str] | None,
                 kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Identify a call by what decides its reply: messages, stop strings, options."""
    return (tuple((m["role"], m["content"]) for m in chat), tuple(stop or ()),
            tuple(sorted((k, v) for k, v in kwargs.items() if k != "stop")))


def chat_tokens(llama: Llama, chat: list[ChatCompletionRequestMessage]) -> list[int]:
    """Return the prompt tokens llama-cpp-python's GGUF chat template makes of chat."""
    def text(token: int) -> str:
        return llama._model.token_get_text(token) if token != -1 else ""

    formatter = _formatter(llama.metadata["tokenizer.chat_template"], text(llama.token_eos()),
                           text(llama.token_bos()), llama.token_eos())
    result = formatter(messages=chat)
    return llama.tokenize(result.prompt.encode("utf-8"), add_bos=not result.added_special,
                          special=True)


@functools.cache
def _formatter(template: str, eos: str, bos: str, eos_id: int) -> Jinja2ChatFormatter:
    from llama_cpp.llama_chat_format import Jinja2ChatFormatter

    return Jinja2ChatFormatter(template=template, eos_token=eos, bos_token=bos,
                               stop_token_ids=[eos_id])


def _llama_message(message: BaseMessage) -> ChatCompletionRequestMessage:
    if message.type == "system":
        return {"role": "system", "content": message.text}
    if message.type == "human":
        return {"role": "user", "content": message.text}
    if message.type == "ai":
        return {"role": "assistant", "content": message.text}
    raise ValueError(f"the local model takes system, human and ai messages, "
                     f"not {message.type!r}")
