"""Retrieval memory on Qdrant: embedders, chunking, ingestion and hybrid search.

    models.py       Chunk, Hit, Manifest, SearchFilter, IngestReport
    chunking.py     workspace -> chunks (rules, page sections, criteria, test cases)
    embedders.py    all-MiniLM-L6-v2 (int8 ONNX, from a wheel) on ONNX Runtime; BM25
    store.py        the VectorStore interface; edge.py (Qdrant Edge) and server.py (qdrant-client)
    memory.py       Memory (search) and open_memory(settings): which engine, which folder
    ingest.py       ingest(memory, chunks): embed what is new, remove what is gone;
                    ingest_workspace(memory, workspace) keeps all if a page was skipped

Nothing heavy is imported here: ONNX Runtime and the engines load when a memory is opened.
"""

from casewright.memory.chunking import workspace_chunks
from casewright.memory.ingest import chunks_to_ingest, ingest, ingest_workspace
from casewright.memory.memory import Memory, memory_folder, open_memory
from casewright.memory.models import Chunk, ChunkKind, Hit, IngestReport, Manifest, SearchFilter

__all__ = [
    "Chunk",
    "ChunkKind",
    "Hit",
    "IngestReport",
    "Manifest",
    "Memory",
    "SearchFilter",
    "chunks_to_ingest",
    "ingest",
    "ingest_workspace",
    "memory_folder",
    "open_memory",
    "workspace_chunks",
]
