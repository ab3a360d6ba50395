"""What goes into the memory and what comes out of it: chunks, vectors, hits and reports."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ChunkKind = Literal["rule", "page", "story", "test"]
"""A business rule, a section of a Confluence page, a story (summary or criterion), a test case."""

CHUNK_KINDS: tuple[ChunkKind, ...] = ("rule", "page", "story", "test")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Chunk(_Model):
    """One retrievable piece of a workspace, with everything needed to cite it."""

    chunk_id: str = Field(description="uuid5 of the source id and the content hash.")
    kind: ChunkKind
    source_id: str = Field(description="Rule id, page id, story key or test case id.")
    title: str = Field(description="Page title, story summary or test case title.")
    text: str = Field(description="What is embedded and shown: a context line, then content.")
    url: str | None = None
    project: str | None = Field(default=None, description="Jira project key.")
    space: str | None = Field(default=None, description="Confluence space key.")
    page_id: str | None = None
    story_key: str | None = None
    criterion_id: str | None = None
    heading_path: list[str] = Field(default_factory=list)
    rule_ids: list[str] = Field(default_factory=list, description="Rule ids it defines or cites.")


class SparseVector(_Model):
    """A BM25 vector: token ids and their weights."""

    indices: list[int]
    values: list[float]


class Manifest(_Model):
    """What made a memory's vectors; a memory only accepts vectors from the same embedders."""

    format: int = 1
    embedder: str = Field(description="Dense embedder name, such as "
                          "'sentence-transformers/all-MiniLM-L6-v2'.")
    dimension: int
    sparse: str = Field(description="Sparse embedder name, such as 'qdrant-bm25'.")

    def describe(self) -> str:
        """Return the embedders in a few words, for error messages."""
        return f"{self.embedder} ({self.dimension}-d) + {self.sparse}"


class SearchFilter(_Model):
    """Payload conditions a hit must meet; None means any."""

    kind: ChunkKind | None = None
    project: str | None = None
    space: str | None = None
    story_key: str | None = None

    def conditions(self) -> dict[str, str]:
        """Return the set conditions as payload key -> required value."""
        return {key: value for key, value in self.model_dump().items() if value is not None}


class Hit(_Model):
    """A chunk found by a search, with its fused rank score."""

    chunk: Chunk
    score: float


class IngestReport(_Model):
    """What an ingest changed."""

    added: int = 0
    unchanged: int = 0
    removed: int = 0
    kept: int = Field(default=0, description="Chunks no longer produced but kept, because "
                      "pages were skipped and may still hold them.")
    embed_seconds: float = 0.0
    upsert_seconds: float = 0.0
