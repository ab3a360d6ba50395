"""Ingest and hybrid search on both engines, with the real embedder, over the bundled sample.

`edge` is Qdrant Edge in-process, the default. `server` is the qdrant-client code path used for
a Qdrant server or cluster; here it runs on qdrant-client's local mode (a folder), the nearest
stand-in, since no Qdrant server can be installed on these machines.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from qdrant_client import QdrantClient

from casewright.config import load_settings
from casewright.memory import Chunk, Memory, SearchFilter, ingest, workspace_chunks
from casewright.memory.edge import EdgeStore
from casewright.memory.embedders import Bm25Sparse, OnnxMiniLM
from casewright.memory.memory import manifest_for
from casewright.memory.server import ServerStore
from casewright.memory.store import VectorStore
from casewright.tools.workspace import Workspace, bundled_sample

pytestmark = pytest.mark.slow
ENGINES = ["edge", "server"]
PAYMENT_EXTENSION_RULES = {f"BR-{n}" for n in range(1, 8)}


@pytest.fixture(scope="module")
def dense() -> OnnxMiniLM:
    return OnnxMiniLM()


def chunks_of(root: Path) -> list[Chunk]:
    return workspace_chunks(Workspace(root, load_settings(workspace=root)))


def open_engine(engine: str, folder: Path, dense: object) -> Memory:
    """Open (creating if need be) a memory of either engine in a folder."""
    sparse = Bm25Sparse()
    manifest = manifest_for(dense, sparse)  # type: ignore[arg-type]
    store: VectorStore
    if engine == "edge":
        store = EdgeStore.open(folder, manifest, create=True)
    else:
        store = ServerStore.open(QdrantClient(path=str(folder)), "casewright", manifest,
                                 create=True, location=f"local mode {folder}")
    return Memory(store, dense, sparse)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory, dense: OnnxMiniLM) -> dict[str, Path]:
    """The bundled sample ingested once into each engine; tests copy or reopen the folder."""
    folders = {}
    for engine in ENGINES:
        folders[engine] = tmp_path_factory.mktemp(engine) / "memory"
        with open_engine(engine, folders[engine], dense) as memory:
            ingest(memory, chunks_of(bundled_sample()))
    return folders


@pytest.fixture(params=ENGINES)
def memory(request: pytest.FixtureRequest, ingested: dict[str, Path], dense: OnnxMiniLM,
           tmp_path: Path) -> Iterator[Memory]:
    """A private copy of the ingested sample on one engine."""
    folder = tmp_path / "memory"
    shutil.copytree(ingested[request.param], folder)
    with open_engine(request.param, folder, dense) as opened:
        yield opened


def test_search_finds_the_payment_extension_rule_first(memory: Memory) -> None:
    first = memory.search("payment extension limit", limit=5)[0].chunk
    assert first.kind == "rule" and first.source_id in PAYMENT_EXTENSION_RULES
    assert first.title == "Payment extensions and arrears limits" and first.space == "CCOPS"
    assert first.url is not None and "/pages/229376013/Payment+extensions+and+arrears+limits#" \
        in first.url  # the link opens the rule's section


@pytest.mark.parametrize("where", [SearchFilter(kind="test"), SearchFilter(kind="page"),
                                   SearchFilter(project="CC", kind="story"),
                                   SearchFilter(story_key="CC-101"), SearchFilter(space="CCOPS")])
def test_filters_keep_only_matching_chunks(memory: Memory, where: SearchFilter) -> None:
    hits = memory.search("payment extension limit", limit=5, where=where)
    assert len(hits) == 5
    for hit in hits:
        assert all(getattr(hit.chunk, key) == value for key, value in where.conditions().items())


def test_both_engines_rank_alike(ingested: dict[str, Path], dense: OnnxMiniLM) -> None:
    queries = ["payment extension limit", "how long are call recordings kept",
               "third party authority", "late payment fee waiver"]
    rankings = {}
    for engine in ENGINES:
        with open_engine(engine, ingested[engine], dense) as opened:
            rankings[engine] = [[hit.chunk.chunk_id for hit in opened.search(query, limit=3)]
                                for query in queries]
    assert rankings["edge"] == rankings["server"]


def test_reingesting_an_unchanged_workspace_embeds_nothing(memory: Memory) -> None:
    chunks = chunks_of(bundled_sample())
    report = ingest(memory, chunks)
    assert (report.added, report.unchanged, report.removed) == (0, len(chunks), 0)
    assert report.embed_seconds == 0 and memory.store.count() == len(chunks)


def test_changed_and_deleted_sources_replace_their_chunks(memory: Memory,
                                                          sample_copy: Path) -> None:
    ingest(memory, chunks_of(sample_copy))  # the copy's file pages link to its own files
    page = sample_copy / "confluence" / "direct-debit-and-payment-plans.md"
    page.write_text(page.read_text(encoding="utf-8").replace("1st to the 28th", "1st to the 25th"),
                    encoding="utf-8")
    (sample_copy / "tests" / "wave2-uat-drafts.json").unlink()
    before = memory.store.count()
    chunks = chunks_of(sample_copy)
    report = ingest(memory, chunks)
    dropped_cases = before - len(chunks)
    assert dropped_cases > 0
    assert (report.added, report.removed) == (1, 1 + dropped_cases)
    assert memory.store.count() == len(chunks)
    hits = memory.search("direct debit collection date", limit=3, where=SearchFilter(kind="rule"))
    (br38,) = [hit.chunk for hit in hits if hit.chunk.source_id == "BR-38"]
    assert "1st to the 25th" in br38.text
    stored = {hit.chunk.text for hit in memory.search("collection date 28th", limit=50)}
    assert not any("1st to the 28th" in text for text in stored)


class InterruptedOnSecondBatch:
    """The real embedder, with Ctrl-C pressed while it embeds the second batch."""

    def __init__(self, dense: OnnxMiniLM) -> None:
        self.name, self.dimension, self.dense, self.calls = dense.name, dense.dimension, dense, 0

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed, except on the second call, where the user presses Ctrl-C."""
        self.calls += 1
        if self.calls == 2:
            raise KeyboardInterrupt
        return self.dense.embed(texts)


@pytest.mark.parametrize("engine", ENGINES)
def test_ctrl_c_mid_batch_keeps_what_was_stored_and_the_next_ingest_resumes(
        engine: str, dense: OnnxMiniLM, tmp_path: Path) -> None:
    chunks = chunks_of(bundled_sample())[:40]
    with open_engine(engine, tmp_path / "memory", InterruptedOnSecondBatch(dense)) as memory:
        with pytest.raises(KeyboardInterrupt):
            ingest(memory, chunks, batch_size=16)
    with open_engine(engine, tmp_path / "memory", dense) as memory:
        assert memory.store.chunk_ids() == {chunk.chunk_id for chunk in chunks[:16]}
        report = ingest(memory, chunks, batch_size=16)
        assert (report.added, report.unchanged, report.removed) == (24, 16, 0)
        assert memory.store.count() == 40


def test_cli_ingest_then_search_shows_the_rule_first(tmp_path: Path) -> None:
    env = {**os.environ, "CASEWRIGHT_HOME": str(tmp_path / "home"),
           "CASEWRIGHT_MEMORY_PATH": str(tmp_path / "memory")}

    def casewright(*args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([sys.executable, "-m", "casewright", *args], cwd=tmp_path,
                                env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return result

    total = len(chunks_of(bundled_sample()))
    first = casewright("ingest")
    assert first.stdout == f"{total} added, 0 unchanged, 0 removed ({total} chunks in memory)\n"
    assert f"memory: {tmp_path / 'memory'}" in first.stderr
    again = casewright("ingest")
    assert again.stdout == f"0 added, {total} unchanged, 0 removed ({total} chunks in memory)\n"
    found = casewright("search", "payment extension limit", "-k", "3").stdout.splitlines()
    assert len(found) == 9  # three hits, three lines each
    assert found[0].split()[1] in PAYMENT_EXTENSION_RULES and "[rule]" in found[0]
    assert found[0].endswith("Payment extensions and arrears limits › Payment extensions")
    assert "/pages/229376013/Payment+extensions+and+arrears+limits#" in found[1]
    tests = casewright("search", "payment extension limit", "--kind", "test").stdout
    assert tests.count("[test]") == 5 and "[rule]" not in tests
