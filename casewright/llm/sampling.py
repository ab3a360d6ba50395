"""Grammar-constrained sampling that checks the sampled token instead of the whole vocabulary.

llama-cpp-python puts the grammar in the sampler chain before top-k, so every generated token
tests all ~49,000 vocabulary entries against the grammar: structured output decoded at 62
tok/s where free text decodes at 108 on two cores. llama.cpp's own samplers (`common_sampler`)
sample first and ask the grammar only whether that one token fits; most tokens do. When it
does not, the grammar filters the most likely tokens, and the whole vocabulary only when none
of those fits. The result is always grammatical; greedy decoding picks the same tokens as the
grammar-first chain whenever the best grammatical token is among the most likely ones.
"""

from __future__ import annotations

import ctypes
import math
import weakref
from typing import TYPE_CHECKING, Any, Literal, overload

import llama_cpp
import numpy as np
from llama_cpp import Llama
from llama_cpp import _internals as internals

from casewright.llm.batching import SEQUENCES

if TYPE_CHECKING:
    from llama_cpp.llama_grammar import LlamaGrammar

LIKELY = 256
"""How many of the most likely tokens the grammar filters after a rejection."""

_TOKEN_DATA = np.dtype([("id", np.intc), ("logit", np.single), ("p", np.single)], align=True)


class _Candidates:
    """A reusable `llama_token_data_array` over a numpy buffer of `capacity` entries."""

    def __init__(self, capacity: int) -> None:
        self.data = np.recarray((capacity,), dtype=_TOKEN_DATA)
        self.array = llama_cpp.llama_token_data_array(
            data=self.data.ctypes.data_as(llama_cpp.llama_token_data_p), size=capacity,
            selected=-1, sorted=False)

    def fill(self, ids: np.ndarray, logits: np.ndarray) -> None:
        """Load candidate ids with their logits; sampling state starts afresh."""
        self.data.id[: len(ids)] = ids
        self.data.logit[: len(ids)] = logits
        self.data.p[: len(ids)] = 0.0
        self.array.size, self.array.selected, self.array.sorted = len(ids), -1, False

    def apply(self, sampler: llama_cpp.llama_sampler_p) -> None:
        """Run a llama.cpp sampler (or chain) over the candidates, in place."""
        llama_cpp.llama_sampler_apply(sampler, ctypes.byref(self.array))

    def any_allowed(self) -> bool:
        """Whether a grammar left any candidate possible."""
        return not np.isneginf(self.data.logit[: self.array.size]).all()

    def selected(self) -> int:
        """The token the chain's final sampler chose."""
        return int(self.array.data[self.array.selected].id)


class GrammarCheckedSampler:
    """Samples with a grammar-free chain and lets the grammar veto, as `common_sampler` does.

    Quacks like `llama_cpp._internals.LlamaSampler` where `Llama.sample` uses it.
    """

    def __init__(self, chain: internals.LlamaSampler, grammar: llama_cpp.llama_sampler_p,
                 n_vocab: int) -> None:
        self._chain = chain
        self._grammar = grammar
        self._vocab_ids = np.arange(n_vocab, dtype=np.intc)
        self._all = _Candidates(n_vocab)
        self._likely = _Candidates(min(LIKELY, n_vocab))
        self._one = _Candidates(1)
        weakref.finalize(self, llama_cpp.llama_sampler_free, grammar)

    def sample(self, ctx: internals.LlamaContext, idx: int = -1) -> int:
        """Return the next token for the logits at idx, accepted by chain and grammar."""
        logits = np.ctypeslib.as_array(llama_cpp.llama_get_logits_ith(ctx.ctx, idx),
                                       shape=(len(self._vocab_ids),))
        token: int | None
        token = self._choose(self._all, self._vocab_ids, logits, constrained=False)
        if not self._fits(token):
            likely = np.argpartition(logits, -len(self._likely.data))[-len(self._likely.data):]
            token = self._choose(self._likely, likely, logits[likely], constrained=True)
            if token is None:
                token = self._choose(self._all, self._vocab_ids, logits, constrained=True)
        if token is None:
            raise RuntimeError("the grammar allows no token here")
        llama_cpp.llama_sampler_accept(self._grammar, token)
        self._chain.accept(token)
        return token

    @overload
    def _choose(self, candidates: _Candidates, ids: np.ndarray, logits: np.ndarray,
                *, constrained: Literal[False]) -> int: ...
    @overload
    def _choose(self, candidates: _Candidates, ids: np.ndarray, logits: np.ndarray,
                *, constrained: Literal[True]) -> int | None: ...
    def _choose(self, candidates: _Candidates, ids: np.ndarray, logits: np.ndarray,
                *, constrained: bool) -> int | None:
        candidates.fill(ids, logits)
        if constrained:
            candidates.apply(self._grammar)
            if not candidates.any_allowed():
                return None
        candidates.apply(self._chain.sampler)
        return candidates.selected()

    def _fits(self, token: int) -> bool:
        self._one.fill(np.array([token], dtype=np.intc), np.zeros(1, dtype=np.single))
        self._one.apply(self._grammar)
        return not math.isinf(self._one.data.logit[0])


class GrammarCheckingLlama(Llama):
    """`Llama` whose grammar-constrained generation uses `GrammarCheckedSampler`.

    Its context also holds `batching.SEQUENCES` sequences in one unified KV cache, so
    `batching.decode_together` can decode several prompts at once over their shared prefix,
    and its weights load without llama.cpp's extra buffer types unless `extra_buffers=True`
    (casewright.llm.cpu); `Llama` takes neither option, so the parameters are set as `Llama`
    assigns them.
    """

    def __init__(self, *args: Any, extra_buffers: bool = False, **kwargs: Any) -> None:
        self._extra_buffers = extra_buffers
        super().__init__(*args, **kwargs)

    @property
    def model_params(self) -> llama_cpp.llama_model_params:
        """llama.cpp's model parameters, with extra buffer types as asked."""
        return self._model_params

    @model_params.setter
    def model_params(self, params: llama_cpp.llama_model_params) -> None:
        params.use_extra_bufts = self._extra_buffers
        self._model_params = params

    @property
    def context_params(self) -> llama_cpp.llama_context_params:
        """llama.cpp's context parameters, with room for parallel sequences."""
        return self._context_params

    @context_params.setter
    def context_params(self, params: llama_cpp.llama_context_params) -> None:
        params.n_seq_max, params.kv_unified = SEQUENCES, True
        self._context_params = params

    def _init_sampler(self, *args: Any,
                      **kwargs: Any) -> internals.LlamaSampler | GrammarCheckedSampler:
        grammar: LlamaGrammar | None = kwargs.pop("grammar", None)
        chain: internals.LlamaSampler = super()._init_sampler(*args, **kwargs)
        if grammar is None:
            return chain
        checker = llama_cpp.llama_sampler_init_grammar(
            self._model.vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8"))
        return GrammarCheckedSampler(chain, checker, self._n_vocab)
