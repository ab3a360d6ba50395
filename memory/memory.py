"""The memory the agent reads: embedders plus a store, opened from Settings.

Where it lives: with `qdrant_url` set, in a collection (`qdrant_collection`) on that Qdrant
server (`:memory:` keeps it in qdrant-client's in-process local mode, for tests); otherwise
in an embedded Qdrant Edge folder, by default `<home>/memory/<workspace folder name>-<hash of
its path>`, one per workspace. The home, not the workspace, holds it: the bundled sample sits
inside the installed package, and a workspace is often an export that should stay as it came.
`memory_path` moves it (relative to the workspace).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import TracebackType

from casewright.config import Settings
from casewright.memory.embedders import Bm25Sparse, DenseEmbedder, OnnxMiniLM
from casewright.memory.models import Hit, Manifest, SearchFilter, SparseVector
from casewright.memory.store import Ranking, VectorStore


class Memory:
    """Hybrid search over a store, with the embedders that filled it; a context manager."""

    def __init__(self, store: VectorStore, dense: DenseEmbedder, sparse: Bm25Sparse) -> None:
        self.store = store
        self.dense = dense
        self.sparse = sparse
        self._last: tuple[str, list[float], SparseVector] | None = None

    def _vectors(self, query: str) -> tuple[list[float], SparseVector]:
        """Embed a query; the retriever asks for rules, then pages, with one query: once."""
        if self._last is None or self._last[0] != query:
            self._last = (query, self.dense.embed([query])[0].tolist(),
                          self.sparse.embed_query(query))
        return self._last[1], self._last[2]

    def search(self, query: str, *, limit: int = 5, where: SearchFilter | None = None,
               ranking: Ranking = "hybrid") -> list[Hit]:
        """Return up to `limit` chunks for a query, best first (dense + BM25, fused by RRF)."""
        dense, sparse = self._vectors(query)
        return self.store.query(dense, sparse, limit=limit,
                                where=where if where is not None else SearchFilter(),
                                ranking=ranking)

    def close(self) -> None:
        """Persist and release the store."""
        self.store.close()

    def __enter__(self) -> Memory:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


def manifest_for(dense: DenseEmbedder, sparse: Bm25Sparse) -> Manifest:
    """Return the manifest a memory filled by these embedders carries."""
    return Manifest(embedder=dense.name, dimension=dense.dimension, sparse=sparse.name)


def memory_folder(settings: Settings) -> Path:
    """Return the embedded memory's folder for the settings' workspace."""
    workspace = (settings.workspace or Path.cwd()).resolve()
    if settings.memory_path is not None:
        return workspace / settings.memory_path
    digest = hashlib.sha256(str(workspace).encode("utf-8")).hexdigest()[:8]
    return settings.home / "memory" / f"{workspace.name}-{digest}"


def open_memory(settings: Settings, *, create: bool = False, read_only: bool = False,
                dense: DenseEmbedder | None = None) -> Memory:
    """Open the memory the settings name; `create` makes it when it does not exist yet.

    With `read_only` the caller only searches: an embedded memory another process holds
    (a run) is searched through a private copy instead of being refused (see edge.py). The
    dense embedder defaults to all-MiniLM-L6-v2 (int8) on ONNX Runtime.
    """
    dense = dense if dense is not None else OnnxMiniLM()
    sparse = Bm25Sparse()
    manifest = manifest_for(dense, sparse)
    store: VectorStore
    if settings.qdrant_url is not None:
        from qdrant_client import QdrantClient

        from casewright.memory.server import ServerStore

        key = settings.qdrant_api_key.get_secret_value() if settings.qdrant_api_key else None
        store = ServerStore.open(QdrantClient(location=settings.qdrant_url, api_key=key),
                                 settings.qdrant_collection, manifest, create=create,
                                 location=settings.qdrant_url)
    else:
        from casewright.memory.edge import EdgeStore

        store = EdgeStore.open(memory_folder(settings), manifest, create=create,
                               read_only=read_only)
    return Memory(store, dense, sparse)
