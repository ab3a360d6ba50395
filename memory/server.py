"""The server engine: a collection on a Qdrant server or cluster through `qdrant-client`.

The manifest lives in the collection's metadata. Tests drive this class with qdrant-client's
local mode, which speaks the same client API without a server.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from pydantic import ValidationError
from qdrant_client import QdrantClient, models
from qdrant_client.http.exceptions import ResponseHandlingException, UnexpectedResponse

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


def _sparse(vector: SparseVector) -> models.SparseVector:
    return models.SparseVector(indices=vector.indices, values=vector.values)


def _filter(where: SearchFilter) -> models.Filter | None:
    conditions = where.conditions()
    return models.Filter(must=[
        models.FieldCondition(key=key, match=models.MatchValue(value=value))
        for key, value in conditions.items()]) if conditions else None


@contextmanager
def _answering(location: str, doing: str) -> Iterator[None]:
    """Turn a failed request to the server into one line saying what was being done."""
    try:
        yield
    except (ResponseHandlingException, UnexpectedResponse) as error:
        raise MemoryStoreError(f"Qdrant at {location} failed {doing}: {error}",
                               hint="check CASEWRIGHT_QDRANT_URL, the API key and that the "
                                    "server is up; chunks already stored are kept, and "
                                    "`casewright ingest` picks up where it stopped") from error


class ServerStore:
    """A memory held in one collection of a Qdrant server (or qdrant-client's local mode)."""

    def __init__(self, client: QdrantClient, collection: str, location: str) -> None:
        self.location = f"{location} collection {collection!r}"
        self._client = client
        self._collection = collection

    @classmethod
    def open(cls, client: QdrantClient, collection: str, manifest: Manifest, *,
             create: bool, location: str) -> ServerStore:
        """Open (or with `create`, make) the collection for these embedders.

        Raises MemoryStoreError when the server cannot be reached, the collection is missing
        (without `create`), was not made by casewright, or was made by other embedders.
        """
        store = cls(client, collection, location)
        with _answering(location, "opening the memory"):
            exists = client.collection_exists(collection)
            if not exists and not create:
                raise MemoryStoreError(f"no memory at {store.location} yet",
                                       hint="run `casewright ingest` first")
            if not exists:
                store._create(manifest)
                return store
            metadata = client.get_collection(collection).config.metadata or {}
        try:
            found = Manifest.model_validate(metadata)
        except ValidationError as error:
            raise MemoryStoreError(
                f"{store.location} was not made by casewright (no manifest in its metadata); "
                "nothing in it was changed",
                hint="set CASEWRIGHT_QDRANT_COLLECTION to another name") from error
        check_manifest(found, manifest, store.location)
        return store

    def _create(self, manifest: Manifest) -> None:
        self._client.create_collection(
            self._collection, metadata=manifest.model_dump(),
            vectors_config={DENSE: models.VectorParams(size=manifest.dimension,
                                                       distance=models.Distance.COSINE)},
            sparse_vectors_config={SPARSE: models.SparseVectorParams(
                modifier=models.Modifier.IDF)})
        with warnings.catch_warnings():  # local mode warns that it ignores payload indexes
            warnings.filterwarnings("ignore", "Payload indexes have no effect")
            for field in INDEXED_FIELDS:
                self._client.create_payload_index(self._collection, field,
                                                  models.PayloadSchemaType.KEYWORD)

    def chunk_ids(self) -> set[str]:
        """Return the ids of every stored chunk."""
        ids: set[str] = set()
        offset = None
        while True:
            with _answering(self.location, "listing the stored chunks"):
                records, offset = self._client.scroll(
                    self._collection, limit=1000, offset=offset, with_payload=False,
                    with_vectors=False)
            ids.update(str(record.id) for record in records)
            if offset is None:
                return ids

    def upsert(self, chunks: Sequence[Chunk], dense: np.ndarray,
               sparse: Sequence[SparseVector]) -> None:
        """Store chunks with their dense and sparse vectors."""
        points = [models.PointStruct(id=chunk.chunk_id, payload=chunk.model_dump(),
                                     vector={DENSE: vector.tolist(), SPARSE: _sparse(terms)})
                  for chunk, vector, terms in zip(chunks, dense, sparse, strict=True)]
        with _answering(self.location, f"storing {len(points)} chunks"):
            self._client.upsert(self._collection, points=points)

    def delete(self, chunk_ids: Sequence[str]) -> None:
        """Remove chunks by id."""
        if chunk_ids:
            with _answering(self.location, f"removing {len(chunk_ids)} chunks"):
                self._client.delete(self._collection,
                                    points_selector=models.PointIdsList(points=list(chunk_ids)))

    def count(self) -> int:
        """Return the number of stored chunks."""
        with _answering(self.location, "counting the chunks"):
            return self._client.count(self._collection, exact=True).count

    def query(self, dense: Sequence[float], sparse: SparseVector, *, limit: int,
              where: SearchFilter, ranking: Ranking = "hybrid") -> list[Hit]:
        """Return the best chunks by RRF of the dense and BM25 rankings (or by one of them)."""
        candidates = prefetch_limit(limit)
        single: dict[str, tuple[list[float] | models.SparseVector, str]] = {
            "dense": (list(dense), DENSE), "bm25": (_sparse(sparse), SPARSE)}
        with _answering(self.location, "searching"):
            if ranking != "hybrid":
                query, using = single[ranking]
                response = self._client.query_points(
                    self._collection, limit=limit, query_filter=_filter(where),
                    with_payload=True, query=query, using=using)
            else:
                response = self._client.query_points(
                    self._collection, limit=limit, query_filter=_filter(where),
                    with_payload=True,
                    query=models.RrfQuery(rrf=models.Rrf(k=RRF_K, weights=RRF_WEIGHTS)),
                    prefetch=[models.Prefetch(query=list(dense), using=DENSE, limit=candidates),
                              models.Prefetch(query=_sparse(sparse), using=SPARSE,
                                              limit=candidates)])
        return [hit_from(point.payload, point.score) for point in response.points]

    def close(self) -> None:
        """Close the client (a server keeps everything already written)."""
        self._client.close()
