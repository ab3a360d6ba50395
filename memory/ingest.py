"""Ingestion: make a memory hold exactly a workspace's chunks, embedding only what is new.

Chunk ids come from content, so the work is a set difference: chunks whose id is not stored
are embedded and upserted in batches; stored ids no longer produced are removed at the end,
unless pages were skipped (a page that could not be read this time may still hold them).
An interrupted ingest keeps every batch it stored, and the next one picks up the rest.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

from casewright.errors import InputError
from casewright.memory.chunking import workspace_chunks
from casewright.memory.memory import Memory
from casewright.memory.models import Chunk, IngestReport
from casewright.tools.workspace import Workspace

Progress = Callable[[int, int], None]
"""Called with (chunks embedded so far, chunks to embed) before the first batch and after each."""

BATCH_SIZE = 32


def ingest(memory: Memory, chunks: Sequence[Chunk], *, batch_size: int = BATCH_SIZE,
           progress: Progress | None = None, remove_stale: bool = True) -> IngestReport:
    """Store the chunks that are new; remove stored ones not among `chunks` if `remove_stale`."""
    stored = memory.store.chunk_ids()
    new = [chunk for chunk in chunks if chunk.chunk_id not in stored]
    stale = stored - {chunk.chunk_id for chunk in chunks}
    report = IngestReport(unchanged=len(chunks) - len(new))
    if progress is not None:
        progress(0, len(new))
    for start in range(0, len(new), batch_size):
        batch = new[start:start + batch_size]
        texts = [chunk.text for chunk in batch]
        began = time.perf_counter()
        dense = memory.dense.embed(texts)
        sparse = memory.sparse.embed_documents(texts)
        stored_at = time.perf_counter()
        memory.store.upsert(batch, dense, sparse)
        report.embed_seconds += stored_at - began
        report.upsert_seconds += time.perf_counter() - stored_at
        report.added += len(batch)
        if progress is not None:
            progress(report.added, len(new))
    if remove_stale:
        memory.store.delete(sorted(stale))
        report.removed = len(stale)
    else:
        report.kept = len(stale)
    return report


def ingest_workspace(memory: Memory, workspace: Workspace, *,
                     progress: Progress | None = None) -> IngestReport:
    """Make the memory hold a workspace's chunks; nothing is removed if a page was skipped."""
    chunks = chunks_to_ingest(workspace)
    return ingest(memory, chunks, progress=progress,
                  remove_stale=not workspace.confluence.skipped)


class NothingToIngest(InputError):
    """The workspace has no stories, pages or tests to put in memory."""


def chunks_to_ingest(workspace: Workspace) -> list[Chunk]:
    """Return a workspace's chunks; NothingToIngest when it has none.

    Call it before opening the memory, so an empty workspace changes nothing.
    """
    chunks = workspace_chunks(workspace)
    if not chunks:
        raise NothingToIngest(f"workspace '{workspace.root}' has nothing to ingest: no stories, "
                         "Confluence pages or test cases",
                         hint="add files under jira/, confluence/ or tests/")
    return chunks
