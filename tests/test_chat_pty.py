"""The real `casewright chat` in a pseudo-terminal, typed at as a person would (slow).

The real bundled GGUF model through llama.cpp and the embedded Qdrant memory, in a copy of
the sample workspace; the screen is read back as text (escape codes removed) and the files
the session wrote are checked. To keep it to a few minutes on 2 cores it writes the sample
story CC-204 (4 criteria; CC-205 has fewer, but all three are too vague to test and get
questions instead of cases) with one case per criterion, each reworded by the model, no
review rewrites and no model critique (CASEWRIGHT_AGENT_OBJECTIVES_PER_CRITERION=1,
CASEWRIGHT_AGENT_REWORD=true, CASEWRIGHT_AGENT_REVIEW_ROUNDS=0,
CASEWRIGHT_AGENT_CRITIQUE=false). PROMPT_TOOLKIT_NO_CPR=1 because pexpect's terminal does
not answer cursor-position requests.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")

STEP_TIMEOUT = 600
QUICK = {"CASEWRIGHT_AGENT_OBJECTIVES_PER_CRITERION": "1", "CASEWRIGHT_AGENT_REVIEW_ROUNDS": "0",
         "CASEWRIGHT_AGENT_REWORD": "true",
         "CASEWRIGHT_AGENT_CRITIQUE": "false",
         "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm"}
_ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")


def _default_ctrl_c() -> None:
    """Let Ctrl-C interrupt the program even when the tests run as a background job.

    A shell without job control starts background jobs with SIGINT ignored, and children
    inherit that: the program would never see the Ctrl-C this test presses.
    """
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Terminal:
    """`casewright chat` in a pseudo-terminal, with what it has shown as plain text."""

    def __init__(self, *args: str, cwd: Path) -> None:
        self.log = StringIO()
        self.child = pexpect.spawn(sys.executable, ["-m", "casewright", "chat", *args],
                                   cwd=str(cwd), env={**os.environ, **QUICK}, encoding="utf-8",
                                   dimensions=(50, 200), timeout=STEP_TIMEOUT,
                                   preexec_fn=_default_ctrl_c)
        self.child.logfile_read = self.log
        self.mark = 0

    def wait(self, pattern: str) -> None:
        """Wait until the screen shows a regex."""
        self.child.expect(pattern)

    def type(self, line: str, *, then: str, prompt: str = "CC-204") -> str:
        """Type a line and Enter; return the screen text once `then` and the prompt show.

        The prompt is redrawn with the typed line when Enter is pressed, so the next prompt
        is known only after the output's own last words (`then`).
        """
        self.child.sendline(line)
        return self.until(then, prompt)

    def until(self, then: str, prompt: str = "CC-204") -> str:
        """Wait for a regex, then for the prompt; return the screen text since the last call."""
        self.child.expect(then)
        self.child.expect(f"{prompt}>")
        text = self.screen()[self.mark:]
        self.mark = len(self.screen())
        return text

    def screen(self) -> str:
        """Return everything shown so far, without escape codes."""
        return _ESCAPES.sub("", self.log.getvalue())

    def quit_with_ctrl_d(self) -> str:
        """Press Ctrl-D at the prompt; return the screen text after it, once the program ends."""
        self.child.sendcontrol("d")
        self.child.expect(pexpect.EOF)
        self.child.close()
        assert self.child.exitstatus == 0, self.screen()[-2000:]
        return self.screen()[self.mark:]


@pytest.mark.slow
def test_a_person_writes_amends_approves_exports_and_resumes(sample_copy: Path,
                                                             tmp_path: Path) -> None:
    """Write CC-204, amend a case, approve all, export JSON, leave; come back and find it."""
    desk = tmp_path / "desk"
    desk.mkdir()
    began = time.perf_counter()
    term = Terminal("-w", str(sample_copy), cwd=desk)
    greeting = term.until("Type /help", "casewright")
    session_id = re.search(r"session (\d{8}-\d{6}-[0-9a-f]{4})", greeting).group(1)

    shown = term.type("write UAT cases for CC-204", then="/reject N reason")
    assert "→ write cases for CC-204" in shown
    assert "writer 4/4: CC-204-TC04" in shown
    assert re.search(r"│ 4 │ CC-204-TC04 │ \w+ +│ AC4 .*│ to decide │", shown), shown
    assert "4 cases" in shown and "4 to decide: /approve all" in shown

    term.child.send("/fin\t")
    term.wait("/findings")
    term.child.send("\r")
    assert re.search(r"CC-204: \d+ open findings", term.until("open findings"))

    shown = term.type("make case 2 a negative test when the screen is slow",
                      then="/reject N reason")
    assert "→ make case 2 a negative test (the screen is slow)" in shown
    assert "writer 1/1: CC-204-TC02 AC2-negative" in shown
    assert "objective: When the screen is slow, " in shown

    shown = term.type("/approve all", then="still change a decision")
    assert "approved CC-204-TC01, CC-204-TC02, CC-204-TC03, CC-204-TC04" in shown
    assert "4 approved cases of CC-204 kept as exemplars" in shown

    shown = term.type("/export json", then="wrote ")
    assert "wrote out/CC-204.json" in shown
    shown = term.quit_with_ctrl_d()
    assert f"session saved: {session_id} — resume with casewright chat --session " \
        f"{session_id}" in shown

    exported = json.loads((desk / "out" / "CC-204.json").read_text(encoding="utf-8"))
    assert exported["story"]["key"] == "CC-204"
    assert [case["case_id"] for case in exported["cases"]] == \
        ["CC-204-TC01", "CC-204-TC02", "CC-204-TC03", "CC-204-TC04"]
    assert all("approved" in case["labels"] for case in exported["cases"])
    assert exported["cases"][1]["kind"] == "negative"
    assert exported["cases"][1]["objective"].startswith("When the screen is slow, ")
    assert "The screen is slow" in exported["cases"][1]["preconditions"]
    state = sample_copy / ".casewright"
    kept = json.loads((state / "approved" / "CC-204.json").read_text(encoding="utf-8"))
    assert [case["case_id"] for case in kept] == \
        ["CC-204-TC01", "CC-204-TC02", "CC-204-TC03", "CC-204-TC04"]
    assert "write UAT cases for CC-204" in (state / "chat-history").read_text(encoding="utf-8")
    listing = subprocess.run([sys.executable, "-m", "casewright", "sessions", "-w",
                              str(sample_copy)], cwd=desk, capture_output=True, text=True,
                             timeout=60, check=True)
    assert re.search(rf"{session_id} +CC-204 +CC-204 +20", listing.stdout), listing.stdout

    term = Terminal("--session", session_id, "-w", str(sample_copy), cwd=desk)
    assert "resumed: stories CC-204; current CC-204" in term.until("current CC-204")
    shown = term.type("/show", then="still change a decision")
    assert re.search(r"│ 2 │ CC-204-TC02 │ negative │ AC2 .*│ approved │", shown), shown
    assert shown.count("│ approved │") == 4

    term.child.sendline("add a boundary case for AC1 at 2 seconds")
    term.wait("→ add a boundary case for AC1 \\(2 seconds\\)")
    term.wait("writer: 1 to write")  # its model call evaluates the story prompt: stop it
    term.child.sendcontrol("c")
    assert "stopped; what finished is kept" in term.until("stopped")
    shown = term.type("/show 5", then="error: ")
    assert "error: no case 5 in CC-204's suite (it has 4)" in shown
    assert f"session saved: {session_id}" in term.quit_with_ctrl_d()
    assert time.perf_counter() - began < 900
