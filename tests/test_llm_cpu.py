"""llama.cpp's extra buffer types (off where it uses AMX) and the one-line note on a crash.

The AMX crash itself cannot happen on machines without AMX, so the choice is tested on
llama.cpp's own system-information lines (one copied from an AMX machine's report), and the
bundled model is loaded with each setting to check llama.cpp really received it. The crash
note is tested with a real signal: a child process arms and engages the guard, then dies of
SIGSEGV as llama.cpp would.
"""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from casewright.config import load_settings
from casewright.llm import LlamaCppChatModel, load_chat_model
from casewright.llm.cpu import system_info, use_extra_buffers, uses_amx
from casewright.llm.info import describe_model

AMX_MACHINE = ("CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | BMI2 = 1 "
               "| AVX512 = 1 | AVX512_VBMI = 1 | AVX512_VNNI = 1 | AVX512_BF16 = 1 | "
               "AMX_INT8 = 1 | LLAMAFILE = 1 | OPENMP = 1 | REPACK = 1 | ")
AVX512_MACHINE = ("CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | "
                  "BMI2 = 1 | AVX512 = 1 | AVX512_VNNI = 1 | AVX512_BF16 = 1 | LLAMAFILE = 1 "
                  "| OPENMP = 1 | REPACK = 1 | ")


def test_extra_buffers_are_off_unless_asked_and_never_where_llama_cpp_uses_amx(
        caplog: pytest.LogCaptureFixture) -> None:
    assert uses_amx(AMX_MACHINE) and not uses_amx(AVX512_MACHINE)
    assert use_extra_buffers(False, AVX512_MACHINE) is False
    assert use_extra_buffers(True, AVX512_MACHINE) is True
    assert not caplog.records
    assert use_extra_buffers(True, AMX_MACHINE) is False
    assert "llama.cpp uses AMX on this CPU" in caplog.text


def test_this_machines_report_is_llama_cpps_own() -> None:
    assert "CPU :" in system_info()


@pytest.mark.slow
@pytest.mark.parametrize("setting", [None, "on", "off"])
def test_the_bundled_model_loads_with_the_chosen_buffers(
        setting: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    if setting is not None:
        monkeypatch.setenv("CASEWRIGHT_MODEL_EXTRA_BUFFERS", setting)
    model = load_chat_model(load_settings())
    assert isinstance(model, LlamaCppChatModel)
    expected = setting == "on" and not uses_amx(system_info())
    assert model.loaded().llama.model_params.use_extra_bufts is expected
    assert model.invoke("Say OK.", max_tokens=4).content  # it runs with that choice
    report = describe_model(model).extra_buffers
    assert report is not None and report.startswith("repacked" if expected else "not repacked")


CRASHING = """
import os, signal, sys
from casewright.llm import crash_note
crash_note.arm(debug={debug})
crash_note.engage()
os.kill(os.getpid(), signal.SIGSEGV)
"""


def crash(debug: bool) -> subprocess.CompletedProcess[str]:
    """Run a process that engages the guard and dies of SIGSEGV; wait for its watcher too."""
    return subprocess.run([sys.executable, "-c", CRASHING.format(debug=debug)],
                          capture_output=True, text=True, timeout=60)


def test_a_crash_in_llama_cpp_is_one_line_naming_the_fix() -> None:
    result = crash(debug=False)
    assert result.returncode == -signal.SIGSEGV
    lines = result.stderr.strip().splitlines()
    assert lines == [lines[0]] and lines[0].startswith(
        "error: llama.cpp crashed (Segmentation fault)")
    assert "CASEWRIGHT_MODEL_EXTRA_BUFFERS=off" in lines[0]
    assert "Traceback" not in result.stderr and "Fatal Python error" not in result.stderr


def test_debug_shows_the_crash_report_instead() -> None:
    result = crash(debug=True)
    assert result.returncode == -signal.SIGSEGV
    assert "Fatal Python error: Segmentation fault" in result.stderr


def test_a_normal_exit_says_nothing() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from casewright.llm import crash_note\n"
         "crash_note.arm(debug=False)\ncrash_note.engage()\nprint('done')"],
        capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, "done\n", "")
