"""`casewright model` as a user runs it: a real subprocess, settings from the environment.

The error cases never load a model. The working one (marked slow) loads the bundled GGUF, as
its Q8_0 re-encoding, and runs the structured smoke generation for real.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from casewright.config import load_settings
from casewright.llm.gguf import file_sha256
from casewright.llm.reencode import runnable_bundled_model


def casewright(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run `python -m casewright ARGS` from an empty folder with extra environment variables."""
    return subprocess.run([sys.executable, "-m", "casewright", *args], cwd=tmp_path,
                          env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=300)


def error_line(result: subprocess.CompletedProcess[str]) -> str:
    """Return the last stderr line, checking that no traceback came with it."""
    assert "Traceback" not in result.stderr
    return result.stderr.strip().splitlines()[-1]


def test_missing_model_file_exits_2_with_one_line_naming_the_setting(tmp_path):
    missing = tmp_path / "nowhere.gguf"

    result = casewright(tmp_path, "model", CASEWRIGHT_MODEL_PATH=str(missing))

    assert result.returncode == 2
    assert error_line(result) == (
        f"error: CASEWRIGHT_MODEL_PATH: no file at '{missing}'; point CASEWRIGHT_MODEL_PATH at "
        "a .gguf model file, or unset it to use the bundled model")
    assert result.stdout == ""


def test_a_file_that_is_not_gguf_exits_2(tmp_path):
    text_file = tmp_path / "notes.gguf"
    text_file.write_text("not a model")

    result = casewright(tmp_path, "model", CASEWRIGHT_MODEL_PATH=str(text_file))

    assert result.returncode == 2
    assert error_line(result).startswith(
        f"error: CASEWRIGHT_MODEL_PATH: '{text_file}' is not a GGUF file")


def test_an_unreachable_server_exits_2_naming_the_url_setting(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{probe.getsockname()[1]}/v1"

    result = casewright(tmp_path, "model", CASEWRIGHT_MODEL_PROVIDER="openai",
                        CASEWRIGHT_MODEL_BASE_URL=url)

    assert result.returncode == 2
    assert error_line(result).startswith(f"error: CASEWRIGHT_MODEL_BASE_URL: cannot reach {url}")


def test_debug_shows_the_traceback(tmp_path):
    result = casewright(tmp_path, "--debug", "model",
                        CASEWRIGHT_MODEL_PATH=str(tmp_path / "nowhere.gguf"))

    assert result.returncode == 2  # as without --debug: a setting is wrong
    assert "Traceback" in result.stderr and "ConfigError" in result.stderr


def test_help_loads_no_model_runtime(tmp_path):
    probe = dedent("""
        import sys
        from casewright.cli import main
        sys.argv = ["casewright", "--help"]
        try:
            main()
        except SystemExit:
            pass
        heavy = {"llama_cpp", "langchain_openai", "openai", "langchain_core", "casewright.llm"}
        print(sorted(heavy & set(sys.modules)))
    """)

    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60)

    assert " model " in result.stdout
    assert result.stdout.strip().endswith("[]")


@pytest.mark.slow
def test_model_command_reports_the_bundled_gguf_and_a_timed_smoke_step(tmp_path):
    result = casewright(tmp_path, "model")

    gguf = runnable_bundled_model(load_settings().home / "cache")  # made by the command
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(maxsplit=1) for line in result.stdout.splitlines())
    assert lines["path"] == str(gguf)
    assert lines["sha256"] == file_sha256(gguf)
    assert lines["size"] == f"{gguf.stat().st_size / 1e6:.1f} MB"
    assert lines["provider"] == "local" and lines["context"] == "8192"
    assert lines["smoke"].startswith("Step in ") and '"action":' in lines["smoke"]
