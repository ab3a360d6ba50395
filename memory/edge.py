"""The embedded engine: Qdrant Edge (`qdrant-edge-py`), an on-disk shard in this process.

A memory folder holds

    casewright-memory.json   the manifest: which embedders made the vectors (written first)
    casewright-memory.lock   held while a process has the memory open
    shard/                   the Qdrant Edge shard (segments and write-ahead log)

A folder without the manifest is never written to: it is someone else's.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from filelock import FileLock, Timeout
from pydantic import ValidationError
from qdrant_edge import (
    CountRequest,
    Distance,
    EdgeConfig,
    EdgeShard,
    EdgeSparseVectorParams,
    EdgeVectorParams,
    FieldCondition,
    Filter,
    Fusion,
    MatchValue,
    Modifier,
    PayloadSchemaType,
    Point,
    Prefetch,
    Query,
    QueryRequest,
    ScrollRequest,
    UpdateOperation,
)
from qdrant_edge import SparseVector as EdgeSparseVector

from casewright.errors import MemoryStoreError
from casewright.memory.models import Chunk, Hit, Manifest, SearchFilter, SparseVector
from casewright.memory.store import (
    DENSE,
    INDEXED_FIELDS,
    RRF_K,
    RRF_WEIGHTS,
    SPARSE,
    Ranking,
    check_manifest,
    hit_from,
    prefetch_limit,
)

if TYPE_CHECKING:
    import numpy as np

MANIFEST_FILE = "casewright-memory.json"
LOCK_FILE = "casewright-memory.lock"
SHARD_FOLDER = "shard"
_REBUILD = "move the folder aside and run `casewright ingest` to build a new memory"


def _read_manifest(folder: Path) -> Manifest | None:
    """Return the folder's manifest; None for a new or empty folder; raise for a foreign one."""
    if not folder.exists() or not set(os.listdir(folder)) - {LOCK_FILE}:
        return None
    path = folder / MANIFEST_FILE
    if not path.is_file():
        raise MemoryStoreError(
            f"'{folder}' is not a casewright memory folder (it has no {MANIFEST_FILE}); "
            "nothing in it was changed",
            hint="set CASEWRIGHT_MEMORY_PATH to a new or empty folder")
    try:
        return Manifest.model_validate_json(path.read_bytes())
    except (OSError, ValidationError) as error:
        raise MemoryStoreError(f"memory folder '{folder}' is damaged: {path.name} cannot be "
                               "read; nothing in it was changed", hint=_REBUILD) from error


def _write_manifest(folder: Path, manifest: Manifest) -> None:
    partial = folder / f".{MANIFEST_FILE}.partial"
    partial.write_text(manifest.model_dump_json(indent=2), encoding="utf-8")
    os.replace(partial, folder / MANIFEST_FILE)


def _filter(where: SearchFilter) -> Filter | None:
    conditions = where.conditions()
    return Filter(must=[FieldCondition(key, match=MatchValue(value))
                        for key, value in conditions.items()]) if conditions else None


class EdgeStore:
    """A memory folder on Qdrant Edge, held under an exclusive lock while open."""

    def __init__(self, folder: Path, shard: EdgeShard, lock: FileLock) -> None:
        self.location = str(folder)
        self._shard = shard
        self._lock = lock

    @classmethod
    def open(cls, folder: Path, manifest: Manifest, *, create: bool) -> EdgeStore:
        """Open (or with `create`, make) the memory in `folder` for these embedders.

        Raises MemoryStoreError for a missing, foreign, damaged or locked folder, or one made
        by other embedders; none of these changes anything in the folder.
        """
        if _read_manifest(folder) is None and not create:
            raise MemoryStoreError(f"no memory at '{folder}' yet",
                                   hint="run `casewright ingest` first")
        folder.mkdir(parents=True, exist_ok=True)
        lock = FileLock(folder / LOCK_FILE, timeout=0)
        try:
            lock.acquire()
        except Timeout:
            raise MemoryStoreError(f"memory folder '{folder}' is in use by another casewright "
                                   "process", hint="wait for it to finish, then retry") from None
        try:
            found = _read_manifest(folder)  # again: another process may have made it meanwhile
            if found is None:
                _write_manifest(folder, manifest)
            else:
                check_manifest(found, manifest, f"'{folder}'")
            return cls(folder, _load_shard(folder / SHARD_FOLDER, manifest), lock)
        except BaseException:
            lock.release()
            raise

    def chunk_ids(self) -> set[str]:
        """Return the ids of every stored chunk."""
        ids: set[str] = set()
        offset = None
        while True:
            records, offset = self._shard.scroll(ScrollRequest(
                offset=offset, limit=1000, with_payload=False, with_vector=False))
            ids.update(str(record.id) for record in records)
            if offset is None:
                return ids

    def upsert(self, chunks: Sequence[Chunk], dense: np.ndarray,
               sparse: Sequence[SparseVector]) -> None:
        """Store chunks with their dense and sparse vectors."""
        points = [Point(chunk.chunk_id,
                        {DENSE: vector.tolist(),
                         SPARSE: EdgeSparseVector(terms.indices, terms.values)},
                        chunk.model_dump())
                  for chunk, vector, terms in zip(chunks, dense, sparse, strict=True)]
        self._shard.update(UpdateOperation.upsert_points(points))

    def delete(self, chunk_ids: Sequence[str]) -> None:
        """Remove chunks by id."""
        if chunk_ids:
            self._shard.update(UpdateOperation.delete_points(list(chunk_ids)))

    def count(self) -> int:
        """Return the number of stored chunks."""
        return self._shard.count(CountRequest(exact=True))

    def query(self, dense: Sequence[float], sparse: SparseVector, *, limit: int,
              where: SearchFilter, ranking: Ranking = "hybrid") -> list[Hit]:
        """Return the best chunks by RRF of the dense and BM25 rankings (or by one of them)."""
        nearest = {
            "dense": Query.Nearest(list(dense), using=DENSE),
            "bm25": Query.Nearest(EdgeSparseVector(sparse.indices, sparse.values), using=SPARSE)}
        if ranking != "hybrid":
            request = QueryRequest(limit=limit, filter=_filter(where), with_payload=True,
                                   query=nearest[ranking])
        else:
            candidates = prefetch_limit(limit)
            request = QueryRequest(
                limit=limit, filter=_filter(where), with_payload=True,
                # Fusion.Rrf subclasses Fusion at run time; the stub declares it without a base
                query=Fusion.Rrf(k=RRF_K, weights=RRF_WEIGHTS),  # type: ignore[arg-type]
                prefetches=[Prefetch(limit=candidates, query=nearest["dense"]),
                            Prefetch(limit=candidates, query=nearest["bm25"])])
        return [hit_from(point.payload, point.score) for point in self._shard.query(request)]

    def close(self) -> None:
        """Flush the shard to disk, close it and release the lock."""
        try:
            self._shard.flush()
            self._shard.close()
        finally:
            self._lock.release()


def _load_shard(path: Path, manifest: Manifest) -> EdgeShard:
    try:
        if (path / "edge_config.json").is_file():
            return EdgeShard.load(str(path))
        shard = EdgeShard.create(str(path), EdgeConfig(
            vectors={DENSE: EdgeVectorParams(size=manifest.dimension, distance=Distance.Cosine)},
            sparse_vectors={SPARSE: EdgeSparseVectorParams(modifier=Modifier.Idf)}))
    except Exception as error:  # qdrant-edge raises plain Exception for every failure
        raise MemoryStoreError(f"memory folder '{path.parent}' is damaged: {error}; nothing "
                               "in it was changed", hint=_REBUILD) from error
    for field in INDEXED_FIELDS:
        shard.update(UpdateOperation.create_field_index(field, PayloadSchemaType.Keyword))
    return shard
