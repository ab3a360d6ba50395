"""A real OpenAI-compatible model server on loopback: `python -m llama_cpp.server`.

It serves the bundled GGUF (SmolLM2-135M-Instruct) with llama-cpp-python's server, which
stands in here for the llama.cpp server image and vLLM of a deployment. `serve_gguf` is used
by the tests (through the `llama_server` fixture) and by benchmarks/server.py.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

from casewright.llm import bundled_model_path

START_SECONDS = 90
CONTEXT_TOKENS = 8192


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve_gguf(log: Path, model: Path | None = None, *,
               extra: Sequence[str] = ()) -> Iterator[str]:
    """Serve a GGUF (default: the bundled one) until the block ends; yield its `/v1` URL.

    Raises:
        RuntimeError: the server exited or did not answer within START_SECONDS (with the
            end of its log).
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}/v1"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server",
             "--model", str(model if model is not None else bundled_model_path()),
             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(CONTEXT_TOKENS),
             *extra],
            stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_until_serving(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_serving(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    """Poll the model list until the server answers, it exits, or time runs out."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"llama_cpp.server exited ({server.returncode}): "
                               f"{log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"llama_cpp.server did not answer within {START_SECONDS} s: "
                       f"{log.read_text(errors='replace')[-2000:]}")


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bundled GGUF behind `python -m llama_cpp.server`; its `/v1` URL."""
    with serve_gguf(tmp_path_factory.mktemp("llama-server") / "server.log") as url:
        yield url
