"""One line, not a bare "Segmentation fault", when llama.cpp kills the process with a signal.

A crash inside llama.cpp's C code cannot be caught in Python: the process dies. The command
line arms this guard; the first local model load engages it. Python's `faulthandler` then
writes its crash report into a pipe read by a small watcher process. When the pipe carries a
report, the watcher prints one line naming the signal and what to switch off or use
instead, then exits; when casewright ends normally, the pipe closes empty and the
watcher exits silently. With `--debug` the report itself goes to stderr instead.

Libraries embedding casewright are left alone: nothing is installed unless `arm` was called.
"""

from __future__ import annotations

import faulthandler
import os
import subprocess
import sys
import threading

from casewright.llm.cpu import SETTING as EXTRA_BUFFERS_SETTING

NOTE = ("error: llama.cpp crashed ({signal}) while running the local model; "
        f"set {EXTRA_BUFFERS_SETTING}=off if it is on, or run the model on a server "
        "(CASEWRIGHT_MODEL_PROVIDER=openai with CASEWRIGHT_MODEL_BASE_URL), and rerun; "
        "CASEWRIGHT_DEBUG=1 shows llama.cpp's crash report")
_WATCHER = """
import sys
report = sys.stdin.buffer.read().decode("utf-8", "replace")
if "Fatal Python error" in report:
    first = report.split("Fatal Python error:", 1)[1].splitlines()[0].strip()
    sys.stderr.write(sys.argv[1].format(signal=first or "a signal") + "\\n")
"""

_state: dict[str, bool] = {"armed": False, "engaged": False}
_lock = threading.Lock()


def arm(*, debug: bool) -> None:
    """Ask for the guard in this process (the command line does; `debug` keeps the report)."""
    _state["armed"] = True
    _state["debug"] = debug


def engage() -> None:
    """Start the guard if it was armed and is not running yet; called before a model loads."""
    with _lock:
        if not _state["armed"] or _state["engaged"]:
            return
        _state["engaged"] = True
        if _state.get("debug"):
            faulthandler.enable(file=sys.stderr, all_threads=False)
            return
        read_end, write_end = os.pipe()
        try:
            subprocess.Popen([sys.executable, "-S", "-c", _WATCHER, NOTE], stdin=read_end,
                             stdout=subprocess.DEVNULL, start_new_session=True)
        except OSError:  # no watcher: a bare crash is still better than refusing to run
            os.close(write_end)
            return
        finally:
            os.close(read_end)
        faulthandler.enable(file=os.fdopen(write_end, "w", closefd=False), all_threads=False)
