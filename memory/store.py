"""The one small interface both Qdrant engines implement, and what they share.

Each point holds a chunk as payload, a dense vector named `dense` (cosine) and a BM25 sparse
vector named `bm25` (IDF modifier). A hybrid query prefetches from both and fuses the two
rankings with reciprocal rank fusion (RRF, k=2 as in Qdrant, dense weighted 1.0 and BM25 0.99),
under one payload filter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, Protocol

from casewright.errors import MemoryStoreError
from casewright.memory.models import Chunk, Hit, Manifest, SearchFilter, SparseVector

if TYPE_CHECKING:
    import numpy as np

DENSE = "dense"
SPARSE = "bm25"
RRF_K = 2
RRF_WEIGHTS = [1.0, 0.99]
"""Dense prefetch first, BM25 second; the slight difference settles an exact tie, which an
engine would otherwise break arbitrarily, in favour of the closer meaning."""
INDEXED_FIELDS = ("kind", "project", "space", "story_key")
Ranking = Literal["hybrid", "dense", "bm25"]
"""How a query ranks: both fused (what the agent uses), or one alone (benchmarks/memory.py)."""


def prefetch_limit(limit: int) -> int:
    """Return how many candidates each prefetch gives the fusion for `limit` hits."""
    return max(5 * limit, 50)


class VectorStore(Protocol):
    """Where chunks and their vectors live: Qdrant's embedded engine or a Qdrant server."""

    location: str
    """Folder or URL and collection, for messages."""

    def chunk_ids(self) -> set[str]:
        """Return the ids of every stored chunk."""
        ...

    def upsert(self, chunks: Sequence[Chunk], dense: np.ndarray,
               sparse: Sequence[SparseVector]) -> None:
        """Store chunks with their vectors (row i of `dense` belongs to chunk i)."""
        ...

    def delete(self, chunk_ids: Sequence[str]) -> None:
        """Remove chunks by id."""
        ...

    def count(self) -> int:
        """Return the number of stored chunks."""
        ...

    def query(self, dense: Sequence[float], sparse: SparseVector, *, limit: int,
              where: SearchFilter, ranking: Ranking = "hybrid") -> list[Hit]:
        """Return the best `limit` chunks by RRF of dense and sparse rankings (or by one)."""
        ...

    def close(self) -> None:
        """Persist what is pending and release the store (and its lock)."""
        ...


def check_manifest(found: Manifest, expected: Manifest, location: str) -> None:
    """Raise MemoryStoreError, naming both, when a memory was made by other embedders."""
    if found.model_dump(exclude={"format"}) != expected.model_dump(exclude={"format"}):
        raise MemoryStoreError(
            f"memory {location} holds vectors from {found.describe()}, but this casewright "
            f"embeds with {expected.describe()}",
            hint="point CASEWRIGHT_MEMORY_PATH (or CASEWRIGHT_QDRANT_COLLECTION) elsewhere, "
                 "or remove that memory, then run `casewright ingest`")


def hit_from(payload: dict[str, object] | None, score: float) -> Hit:
    """Turn a point's payload and score back into a Hit."""
    return Hit(chunk=Chunk.model_validate(payload or {}), score=score)
