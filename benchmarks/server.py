"""Benchmark: stories per minute at concurrency 1 and N against a model server on this machine.

Starts `python -m llama_cpp.server` with the bundled GGUF (as the tests do), then runs the same
stories through `casewright run`'s runner twice, side by side in one process: one story at a
time, then N at once. Both start from the same memory (the sample workspace, ingested once
before timing) with no approved cases, and write JSON. Prints stories per minute for each and
their ratio. llama-cpp-python's server answers one request at a time (it holds one `Llama`
under a lock; it has no parallel slots), so here N at once can only overlap the agent's own
work with the model's; a server that batches (llama.cpp server `--parallel`, vLLM) is what
turns concurrency into throughput.

Run: python benchmarks/server.py [--stories CC-101,CC-102] [--concurrency 4] [--rounds 0]
(needs the test extras: llama-cpp-python[server]). `--base-url` measures a server already
running instead, such as the compose stack's llama service or vLLM on a GPU host.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
import time
from contextlib import ExitStack
from importlib.metadata import version
from pathlib import Path

from casewright.config import Settings, load_settings
from casewright.llm.runtime import machine_threads
from casewright.memory import chunks_to_ingest, ingest, open_memory
from casewright.run_command import RunRequest, execute
from casewright.tools.workspace import Workspace, bundled_sample

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from llama_server import serve_gguf  # noqa: E402  (the tests' helper: one way to start it)


def parse_arguments() -> argparse.Namespace:
    """Read the options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", help="comma-separated story keys (default: the epic's)")
    parser.add_argument("--epic", default="CC-1", help="epic whose stories to run")
    parser.add_argument("--concurrency", type=int, default=4, help="stories at once (N)")
    parser.add_argument("--rounds", type=int, help="agent_review_rounds")
    parser.add_argument("--objectives", type=int, help="agent_objectives_per_criterion")
    parser.add_argument("--no-reword", action="store_true", help="agent_reword false (the model "
                        "is then not called at all)")
    parser.add_argument("--no-critique", action="store_true", help="agent_critique false")
    parser.add_argument("--threads", type=int, default=machine_threads(),
                        help="the server's CPU threads (default: every core usable here)")
    parser.add_argument("--base-url", help="measure this OpenAI-compatible server instead")
    parser.add_argument("--response-format", choices=["json_schema", "json_object"],
                        default="json_object", help="model_response_format")
    return parser.parse_args()


def timed_run(keys: list[str], workers: int, settings: Settings, home: Path,
              baseline: Path) -> tuple[float, int, int]:
    """Run the stories at `workers` at once from a copy of the baseline memory.

    Returns seconds, cases written and open findings.
    """
    memory = home / f"memory-{workers}"
    shutil.copytree(baseline, memory)
    settings = settings.model_copy(update={"memory_path": memory})
    workspace = Workspace(bundled_sample(), settings, approved=home / f"approved-{workers}")
    request = RunRequest(keys=keys, output=home / f"out-{workers}", concurrency=workers)
    began = time.perf_counter()
    suites = execute(request, workspace, settings,
                     lambda line: print(f"[{workers} at once] {line}", file=sys.stderr))
    seconds = time.perf_counter() - began
    return (seconds, sum(len(suite.cases) for suite in suites),
            sum(len(suite.findings) for suite in suites))


def main() -> None:
    """Serve the bundled model (or use --base-url), run the stories at 1 and N at once."""
    arguments = parse_arguments()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the server on the way out
    home = Path(tempfile.mkdtemp(prefix="casewright-bench-server-"))
    limits = {"agent_review_rounds": arguments.rounds,
              "agent_objectives_per_criterion": arguments.objectives,
              "agent_reword": not arguments.no_reword,
              "agent_critique": False if arguments.no_critique else None}
    with ExitStack() as stack:
        url = arguments.base_url or stack.enter_context(serve_gguf(
            home / "server.log", extra=["--n_threads", str(arguments.threads),
                                        "--n_threads_batch", str(arguments.threads)]))
        settings = load_settings(bundled_sample(), home=home, model_provider="openai",
                                 model_base_url=url,
                                 model_response_format=arguments.response_format,
                                 memory_path=home / "memory-baseline", **limits)
        workspace = Workspace(bundled_sample(), settings)
        keys = (arguments.stories.split(",") if arguments.stories else
                [story.key for story in workspace.jira.epic_stories(arguments.epic)])
        with open_memory(settings, create=True) as memory:  # the embedder's export, once
            ingest(memory, chunks_to_ingest(workspace))
        rows = [(workers, *timed_run(keys, workers, settings, home, home / "memory-baseline"))
                for workers in (1, arguments.concurrency)]
    print(f"server: {arguments.base_url}" if arguments.base_url else
          f"server: llama_cpp.server (llama-cpp-python {version('llama_cpp_python')}), "
          f"bundled GGUF, {arguments.threads} threads, one request at a time")
    print(f"stories: {', '.join(keys)}; review rounds {settings.agent_review_rounds}, "
          f"objectives per criterion {settings.agent_objectives_per_criterion}, reword "
          f"{settings.agent_reword}, critique {settings.agent_critique}")
    print(f"\n{'at once':>7} {'seconds':>8} {'stories/min':>12} {'cases':>6} {'findings':>9}")
    for workers, seconds, cases, findings in rows:
        print(f"{workers:>7} {seconds:>8.1f} {len(keys) / seconds * 60:>12.2f} {cases:>6} "
              f"{findings:>9}")
    (_, serial, *_), (_, parallel, *_) = rows
    print(f"\nratio, {arguments.concurrency} at once / 1 at a time: {serial / parallel:.2f}x "
          "stories per minute")


if __name__ == "__main__":
    main()
