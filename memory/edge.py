"""The embedded engine: Qdrant Edge (`qdrant-edge-py`), an on-disk shard in this process.

A memory folder holds

    casewright-memory.json         the manifest: which embedders made the vectors (written first)
    casewright-memory.lock         held while a process has the memory open
    casewright-memory.write.lock   held while that process changes the shard's files
    shard/                         the Qdrant Edge shard (segments and write-ahead log)

A folder without the manifest is never written to: it is someone else's.

One process at a time opens a shard (Qdrant Edge allows no more, and its Python API has no
read-only mode). A process that only searches (`casewright search`) while another holds the
memory copies the shard between two of the holder's writes (each is applied under the write
lock) and searches its private copy, which loads as the shard would after a crash, its
write-ahead log replayed: the memory itself is only read.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
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
WRITE_LOCK_FILE = "casewright-memory.write.lock"
SHARD_FOLDER = "shard"
WRITE_WAIT_SECONDS = 30
"""How long a search waits for the holder to finish one write (a batch, or its loading)."""
_REBUILD = "move the folder aside and run `casewright ingest` to build a new memory"


def _read_manifest(folder: Path) -> Manifest | None:
    """Return the folder's manifest; None for a new or empty folder; raise for a foreign one."""
    if not folder.exists() or not set(os.listdir(folder)) - {LOCK_FILE, WRITE_LOCK_FILE}:
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
    """A memory folder on Qdrant Edge, held under an exclusive lock while open.

    `writing` is held around every change to the shard's files (a no-op on a private copy);
    `release` lets the folder go (unlocks it, or removes the copy).
    """

    def __init__(self, folder: Path, shard: EdgeShard, writing: AbstractContextManager[object],
                 release: Callable[[], None]) -> None:
        self.location = str(folder)
        self._shard = shard
        self._writing = writing
        self._release = release

    @classmethod
    def open(cls, folder: Path, manifest: Manifest, *, create: bool,
             read_only: bool = False) -> EdgeStore:
        """Open (or with `create`, make) the memory in `folder` for these embedders.

        With `read_only` (the caller only searches), a memory another process holds is opened
        as a private copy instead of being refused.

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
            if read_only:
                return cls._open_copy(folder, manifest)
            raise MemoryStoreError(f"memory folder '{folder}' is in use by another casewright "
                                   "process", hint="wait for it to finish, then retry") from None
        try:
            writing = FileLock(folder / WRITE_LOCK_FILE)
            with writing:
                found = _read_manifest(folder)  # again: another process may have made it
                if found is None:
                    _write_manifest(folder, manifest)
                else:
                    check_manifest(found, manifest, f"'{folder}'")
                shard = _load_shard(folder / SHARD_FOLDER, manifest, folder)
            return cls(folder, shard, writing, lock.release)
        except BaseException:
            lock.release()
            raise

    @classmethod
    def _open_copy(cls, folder: Path, manifest: Manifest) -> EdgeStore:
        """Copy the shard another process holds between two of its writes; open the copy."""
        found = _read_manifest(folder)
        if found is not None:
            check_manifest(found, manifest, f"'{folder}'")
        copy = Path(tempfile.mkdtemp(prefix="casewright-memory-"))
        try:
            shard = _copy_shard(folder, copy, manifest)
        except BaseException:
            shutil.rmtree(copy, ignore_errors=True)
            raise
        return cls(folder, shard, nullcontext(), lambda: shutil.rmtree(copy, ignore_errors=True))

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
        self._write(UpdateOperation.upsert_points(points))

    def delete(self, chunk_ids: Sequence[str]) -> None:
        """Remove chunks by id."""
        if chunk_ids:
            self._write(UpdateOperation.delete_points(list(chunk_ids)))

    def _write(self, operation: UpdateOperation) -> None:
        """Apply a change under the write lock: a search copies the shard only between two."""
        with self._writing:
            self._shard.update(operation)

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
        """Flush the shard to disk, close it and release the folder."""
        try:
            with self._writing:
                self._shard.flush()
                self._shard.close()
        finally:
            self._release()


def _copy_shard(folder: Path, copy: Path, manifest: Manifest) -> EdgeShard:
    """Copy the shard in `folder` into `copy` between two of its holder's writes; load it."""
    try:
        with FileLock(folder / WRITE_LOCK_FILE, timeout=WRITE_WAIT_SECONDS):
            shutil.copytree(folder / SHARD_FOLDER, copy / SHARD_FOLDER)
    except Timeout:  # an OSError too: first
        raise MemoryStoreError(
            f"memory folder '{folder}' is being written by another casewright process (still "
            f"after {WRITE_WAIT_SECONDS} s)", hint="retry in a moment") from None
    except OSError as error:
        raise MemoryStoreError(
            f"memory folder '{folder}' is in use by another casewright process and cannot be "
            f"copied to search it: {error.strerror or error}",
            hint="free space in the temporary folder, or retry when that process has finished",
        ) from error
    return _load_shard(copy / SHARD_FOLDER, manifest, folder)


def _load_shard(path: Path, manifest: Manifest, folder: Path) -> EdgeShard:
    """Load the shard at `path`, or make it with its fields indexed; errors name `folder`."""
    try:
        if (path / "edge_config.json").is_file():
            return EdgeShard.load(str(path))
        shard = EdgeShard.create(str(path), EdgeConfig(
            vectors={DENSE: EdgeVectorParams(size=manifest.dimension, distance=Distance.Cosine)},
            sparse_vectors={SPARSE: EdgeSparseVectorParams(modifier=Modifier.Idf)}))
    except Exception as error:  # qdrant-edge raises plain Exception for every failure
        raise MemoryStoreError(f"memory folder '{folder}' is damaged: {error}; nothing "
                               "in it was changed", hint=_REBUILD) from error
    for field in INDEXED_FIELDS:
        shard.update(UpdateOperation.create_field_index(field, PayloadSchemaType.Keyword))
    return shard
