"""Faults around the memory: locked, foreign, damaged or mismatched memories, empty workspaces.

Each one must end in one clear line and leave whatever is stored exactly as it was. None of
these needs embeddings from the model, so they run fast; the vectors stored here are random.
The server engine's mismatch check runs on qdrant-client's local mode, the nearest stand-in for
a Qdrant server, which cannot be installed on these machines.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from qdrant_client import QdrantClient

from casewright.config import load_settings
from casewright.errors import MemoryStoreError
from casewright.memory import Manifest, open_memory
from casewright.memory.chunking import make_chunk
from casewright.memory.edge import MANIFEST_FILE, EdgeStore
from casewright.memory.embedders import Bm25Sparse, OnnxMiniLM
from casewright.memory.memory import manifest_for
from casewright.memory.server import ServerStore

OTHER = Manifest(embedder="BAAI/bge-small-en-v1.5", dimension=384, sparse="qdrant-bm25")
HOLD = """
import sys
from pathlib import Path
from casewright.memory.edge import EdgeStore
from casewright.memory.models import Manifest
store = EdgeStore.open(Path(sys.argv[1]), Manifest.model_validate_json(sys.argv[2]), create=True)
print("holding", flush=True)
sys.stdin.read()
store.close()
"""

HOLD_AND_WRITE = """
import sys
from pathlib import Path
import numpy as np
from casewright.memory.chunking import make_chunk
from casewright.memory.edge import EdgeStore
from casewright.memory.embedders import Bm25Sparse
from casewright.memory.models import Manifest
manifest = Manifest.model_validate_json(sys.argv[2])
store = EdgeStore.open(Path(sys.argv[1]), manifest, create=False)

def store_chunks(numbers):
    chunks = [make_chunk(kind="rule", source_id=f"BR-{n}", title="Rules", text=f"rule {n} text")
              for n in numbers]
    vectors = np.random.default_rng(numbers[0]).normal(size=(len(chunks), manifest.dimension))
    store.upsert(chunks, vectors / np.linalg.norm(vectors, axis=1, keepdims=True),
                 Bm25Sparse().embed_documents([chunk.text for chunk in chunks]))

store_chunks(range(20, 30))
print("holding", flush=True)
sys.stdin.readline()
store_chunks(range(30, 40))
store.close()
"""


@pytest.fixture
def minilm(tmp_path: Path) -> Manifest:
    """The manifest casewright's own embedders give (building them loads no model)."""
    return manifest_for(OnnxMiniLM(), Bm25Sparse())


def casewright(*args: str, memory: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "casewright", *args], capture_output=True,
                          text=True, timeout=120, check=False,
                          env={**os.environ, "CASEWRIGHT_MEMORY_PATH": str(memory)})


def one_error_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    """Return the single `error:` line of a failed run, checking exit code and no traceback."""
    assert result.returncode == code, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stdout == ""
    return errors[0]


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under a folder with a hash of its bytes."""
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def store_random_chunks(folder: Path, manifest: Manifest, count: int) -> None:
    chunks = [make_chunk(kind="rule", source_id=f"BR-{n}", title="Rules", text=f"rule {n} text")
              for n in range(count)]
    vectors = np.random.default_rng(7).normal(size=(count, manifest.dimension))
    store = EdgeStore.open(folder, manifest, create=True)
    store.upsert(chunks, vectors / np.linalg.norm(vectors, axis=1, keepdims=True),
                 Bm25Sparse().embed_documents([chunk.text for chunk in chunks]))
    store.close()


def test_a_memory_held_by_another_process_is_refused_in_one_line(
        tmp_path: Path, minilm: Manifest) -> None:
    folder = tmp_path / "memory"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(folder), minilm.model_dump_json()],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        line = one_error_line(casewright("ingest", memory=folder), 1)
        assert line == (f"error: memory folder '{folder}' is in use by another casewright "
                        "process; wait for it to finish, then retry")
    finally:
        holder.communicate("", timeout=60)
    assert holder.returncode == 0
    EdgeStore.open(folder, minilm, create=False).close()  # free again once the holder is gone


def test_a_search_reads_a_memory_another_process_holds_and_writes(
        tmp_path: Path, minilm: Manifest) -> None:
    """A run holds the memory and keeps writing to it: `search` answers from a copy, read
    between two of the run's writes; nothing stored before, during or after is lost."""
    folder = tmp_path / "memory"
    store_random_chunks(folder, minilm, 20)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_AND_WRITE, str(folder),
                               minilm.model_dump_json()],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        before = snapshot(folder)
        result = casewright("search", "rule", "--limit", "50", memory=folder)
        assert result.returncode == 0, result.stderr
        found = re.findall(r"^\d+\. (BR-\d+)  \[rule\]", result.stdout, re.MULTILINE)
        assert sorted(found) == sorted(f"BR-{n}" for n in range(30))  # its writes so far too
        assert "error" not in result.stderr and "Traceback" not in result.stderr
        assert snapshot(folder) == before  # the search only read the memory
    finally:
        holder.communicate("write more\n", timeout=60)
    assert holder.returncode == 0
    store = EdgeStore.open(folder, minilm, create=False)  # free again once the holder is gone
    try:
        assert store.count() == 40
    finally:
        store.close()


def test_a_foreign_folder_is_never_written_to(tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "todo.txt").write_text("buy milk\n", encoding="utf-8")
    before = snapshot(folder)
    line = one_error_line(casewright("ingest", memory=folder), 1)
    assert line == (f"error: '{folder}' is not a casewright memory folder (it has no "
                    f"{MANIFEST_FILE}); nothing in it was changed; set CASEWRIGHT_MEMORY_PATH "
                    "to a new or empty folder")
    assert snapshot(folder) == before


def test_a_damaged_manifest_is_reported_and_kept(tmp_path: Path, minilm: Manifest) -> None:
    folder = tmp_path / "memory"
    store_random_chunks(folder, minilm, 3)
    (folder / MANIFEST_FILE).write_text("{not json", encoding="utf-8")
    before = snapshot(folder)
    line = one_error_line(casewright("search", "rule", memory=folder), 1)
    assert f"memory folder '{folder}' is damaged: {MANIFEST_FILE} cannot be read" in line
    assert "run `casewright ingest` to build a new memory" in line
    assert snapshot(folder) == before


def test_a_damaged_shard_is_reported_and_kept(tmp_path: Path, minilm: Manifest) -> None:
    folder = tmp_path / "memory"
    store_random_chunks(folder, minilm, 20)
    for path in (folder / "shard" / "segments").rglob("*.json"):
        path.write_bytes(b"\xff" * 64)
    before = snapshot(folder)
    with pytest.raises(MemoryStoreError, match=f"memory folder '{folder}' is damaged: "):
        EdgeStore.open(folder, minilm, create=False)
    assert snapshot(folder) == before


def test_stored_chunks_survive_closing_and_reopening(tmp_path: Path, minilm: Manifest) -> None:
    folder = tmp_path / "memory"
    store_random_chunks(folder, minilm, 20)
    store = EdgeStore.open(folder, minilm, create=False)
    try:
        assert store.count() == 20 and len(store.chunk_ids()) == 20
    finally:
        store.close()


def test_a_memory_made_by_another_embedder_names_both(tmp_path: Path, minilm: Manifest) -> None:
    folder = tmp_path / "memory"
    EdgeStore.open(folder, OTHER, create=True).close()
    with pytest.raises(MemoryStoreError) as caught:
        EdgeStore.open(folder, minilm, create=True)
    assert caught.value.message == (
        f"memory '{folder}' holds vectors from BAAI/bge-small-en-v1.5 (384-d) + qdrant-bm25, "
        "but this casewright embeds with sentence-transformers/all-MiniLM-L6-v2 int8 (384-d) + "
        "qdrant-bm25")


def test_the_server_engine_checks_the_embedder_too(tmp_path: Path, minilm: Manifest) -> None:
    """qdrant-client local mode stands in for a Qdrant server (none can be installed here)."""
    client = QdrantClient(path=str(tmp_path / "qdrant"))
    try:
        ServerStore.open(client, "casewright", OTHER, create=True, location="local")
        with pytest.raises(MemoryStoreError, match="holds vectors from BAAI/bge-small-en-v1.5 "
                           r"\(384-d\) \+ qdrant-bm25, but this casewright embeds with "
                           "sentence-transformers/all-MiniLM-L6-v2"):
            ServerStore.open(client, "casewright", minilm, create=True, location="local")
    finally:
        client.close()


def test_searching_before_any_ingest_says_what_to_do(tmp_path: Path) -> None:
    settings = load_settings(memory_path=tmp_path / "memory")
    with pytest.raises(MemoryStoreError) as caught:
        open_memory(settings)
    assert caught.value.one_line() == (f"no memory at '{tmp_path / 'memory'}' yet; "
                                       "run `casewright ingest` first")
    assert not (tmp_path / "memory").exists()


def test_ingesting_an_empty_workspace_creates_no_memory(tmp_path: Path) -> None:
    workspace = tmp_path / "empty"
    (workspace / "jira").mkdir(parents=True)
    result = casewright("ingest", "--workspace", str(workspace), memory=tmp_path / "memory")
    line = one_error_line(result, 2)
    assert line == (f"error: workspace '{workspace}' has nothing to ingest: no stories, "
                    "Confluence pages or test cases; add files under jira/, confluence/ or tests/")
    assert not (tmp_path / "memory").exists()


def test_an_unreachable_qdrant_server_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a loopback port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    result = subprocess.run([sys.executable, "-m", "casewright", "search", "payment"],
                            capture_output=True, text=True, timeout=120, check=False,
                            env={**os.environ, "CASEWRIGHT_QDRANT_URL": url})
    line = one_error_line(result, 1)
    assert line.startswith(f"error: Qdrant at {url} failed opening the memory: ")
    assert line.endswith("check CASEWRIGHT_QDRANT_URL, the API key and that the server is up; "
                         "chunks already stored are kept, and `casewright ingest` picks up "
                         "where it stopped")


def test_a_qdrant_server_lost_mid_ingest_says_what_failed(tmp_path: Path) -> None:
    """A server that stops answering after the memory was opened: every store operation
    gives one line naming what it was doing (no server here: a loopback port nobody serves)."""
    from qdrant_client import QdrantClient

    from casewright.errors import MemoryStoreError
    from casewright.memory.models import Chunk, SearchFilter, SparseVector
    from casewright.memory.server import ServerStore

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}"
    store = ServerStore(QdrantClient(url=url, timeout=2), "casewright", url)
    chunk = Chunk(chunk_id="00000000-0000-0000-0000-000000000001", kind="rule",
                  source_id="BR-1", title="t", text="text")
    empty = SparseVector(indices=[], values=[])
    for doing, call in [
            ("storing 1 chunks", lambda: store.upsert([chunk], np.zeros((1, 384)), [empty])),
            ("removing 1 chunks", lambda: store.delete([chunk.chunk_id])),
            ("listing the stored chunks", store.chunk_ids),
            ("searching", lambda: store.query([0.0] * 384, empty, limit=3,
                                              where=SearchFilter()))]:
        with pytest.raises(MemoryStoreError) as caught:
            call()
        assert caught.value.one_line().startswith(
            f"Qdrant at {url} collection 'casewright' failed {doing}: "), doing


@pytest.mark.slow
def test_a_page_that_turns_bad_is_skipped_and_its_stored_chunks_kept(tmp_path: Path) -> None:
    """Real embedder and engine on a two-page workspace: the second ingest cannot read one
    page, warns naming it, and keeps that page's chunks instead of removing them."""
    sample = Path(__file__).parents[1] / "casewright" / "sample_workspace"
    workspace = tmp_path / "ws"
    (workspace / "jira").mkdir(parents=True)
    (workspace / "confluence").mkdir()
    shutil.copy(sample / "jira" / "CC-105.json", workspace / "jira")
    for page in ("direct-debit-and-payment-plans.md", "glossary.md"):
        shutil.copy(sample / "confluence" / page, workspace / "confluence")
    env = {**os.environ, "CASEWRIGHT_HOME": str(tmp_path / "home"),
           "CASEWRIGHT_MEMORY_PATH": str(tmp_path / "memory")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "casewright", *args, "-w", str(workspace)],
                              capture_output=True, text=True, timeout=300, check=False, env=env)

    first = run("ingest")
    assert first.returncode == 0, first.stderr
    stored = int(first.stdout.split("(")[1].split()[0])
    (workspace / "confluence" / "direct-debit-and-payment-plans.md").write_bytes(b"\xff\xfe\x00")
    second = run("ingest")
    assert second.returncode == 0, second.stderr
    assert "warning: " in second.stderr and "direct-debit-and-payment-plans.md: skipped, not " \
        "UTF-8 text" in second.stderr
    assert " 0 removed, " in second.stdout and f"({stored} chunks in memory)" in second.stdout
    found = run("search", "collection date from the 1st to the 28th", "--kind", "page")
    assert "Direct debit and payment plans" in found.stdout, found.stderr
