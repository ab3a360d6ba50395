"""Benchmark: one story alone, then beside a CPU burner, and the slowdown ratio.

A tester's laptop is never idle. This runs `casewright run STORY` (as a command, with its
start-up) alone, then again while another process keeps one core busy, and prints both times
and their ratio: the fair share on 2 cores is 2x. It does so with the model's threads at their
default (the cores other work leaves free) and at every core (CASEWRIGHT_MODEL_THREADS), with
the model rewording cases (agent_reword), since the model is what a busy core slows most; and
once with the default engine wording. Run it with nothing else running:

    python benchmarks/under_load.py [--story CC-101]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from casewright.llm.runtime import machine_threads


def run_story(story: str, home: Path, env: dict[str, str]) -> float:
    """Return the seconds `casewright run STORY` takes, checking it succeeds."""
    began = time.perf_counter()
    subprocess.run([sys.executable, "-m", "casewright", "run", story], check=True,
                   capture_output=True, env={**os.environ, "CASEWRIGHT_HOME": str(home), **env})
    return time.perf_counter() - began


def alone_and_loaded(story: str, home: Path, env: dict[str, str]) -> tuple[float, float]:
    """Return the seconds alone and beside a CPU-bound process."""
    run_story(story, home, env)  # warm: the Q8_0 cache, the memory, the page cache
    alone = run_story(story, home, env)
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(1)
        loaded = run_story(story, home, env)
    finally:
        burner.kill()
        burner.wait()
    return alone, loaded


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--story", default="CC-101")
    options = parser.parse_args()
    cores = machine_threads()
    cases = [("engine wording, default threads", {}),
             ("model rewording, default threads", {"CASEWRIGHT_AGENT_REWORD": "true"}),
             (f"model rewording, {cores} threads", {"CASEWRIGHT_AGENT_REWORD": "true",
                                                    "CASEWRIGHT_MODEL_THREADS": str(cores)})]
    print(f"{options.story} on {cores} cores; one CPU-bound process beside it")
    print(f"{'configuration':36} {'alone s':>8} {'loaded s':>9} {'ratio':>6}")
    with tempfile.TemporaryDirectory(prefix="casewright-load-") as home:
        for label, env in cases:
            alone, loaded = alone_and_loaded(options.story, Path(home), env)
            print(f"{label:36} {alone:>8.1f} {loaded:>9.1f} {loaded / alone:>6.2f}")


if __name__ == "__main__":
    main()
