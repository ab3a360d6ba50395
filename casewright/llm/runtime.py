"""One llama.cpp model per GGUF file per process, loaded on first use and reused.

Loading is cheap (mmap) but the KV cache is not: llama-cpp-python keeps the tokens of the last
prompt and reply, and a new prompt re-evaluates only what follows their common prefix. Calls
for one story share system text, story and evidence, so keeping one `Llama` alive for the
whole process turns a 2,000-token prompt from seconds into a fraction of a second.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from casewright.errors import ConfigError
from casewright.llm.gguf import PATH_SETTING, check_gguf

if TYPE_CHECKING:
    from llama_cpp import Llama


def machine_threads() -> int:
    """Return how many CPU cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _cpu_times() -> tuple[int, int] | None:
    """Return (idle, total) jiffies of all CPUs from /proc/stat, or None off Linux."""
    try:
        fields = Path("/proc/stat").read_text(encoding="ascii").split("\n", 1)[0].split()[1:]
    except OSError:
        return None
    numbers = [int(value) for value in fields]
    return numbers[3] + (numbers[4] if len(numbers) > 4 else 0), sum(numbers)


def free_threads(sample: float = 0.2) -> int:
    """Return the cores other work leaves free now: the default llama.cpp thread count.

    llama.cpp's threads wait for each other at every step, so one that shares its core with
    another busy process stalls them all (7-15x slower on 2 cores, README). Measured over
    `sample` seconds from /proc/stat: with a CPU-bound process beside it on 2 cores this
    gives 1. Every usable core where the load cannot be read.
    """
    usable = machine_threads()
    before = _cpu_times()
    time.sleep(sample)
    after = _cpu_times()
    if before is None or after is None or after[1] <= before[1]:
        return usable
    idle_share = (after[0] - before[0]) / (after[1] - before[1])
    total_cores = os.cpu_count() or usable
    free = round(idle_share * total_cores)
    return max(1, min(usable, free))


@dataclass(frozen=True)
class LlamaKey:
    """What a loaded model depends on: the same key gives the same instance."""

    path: Path
    n_ctx: int
    n_threads: int
    adapter: Path | None = None
    extra_buffers: bool = False
    """Whether llama.cpp may repack weights into its extra buffer types (casewright.llm.cpu)."""


@dataclass
class LoadedModel:
    """A loaded `Llama`, the lock that serialises calls on it, and what loading cost."""

    llama: Llama
    load_seconds: float
    lock: threading.Lock = field(default_factory=threading.Lock)


_LOADED: dict[LlamaKey, LoadedModel] = {}
_LOADING = threading.Lock()


def get_model(key: LlamaKey) -> LoadedModel:
    """Return the process's model for key, loading it on first use.

    Raises:
        ConfigError: the file is missing, not GGUF, or llama.cpp cannot load it.
    """
    with _LOADING:
        if key not in _LOADED:
            _LOADED[key] = _load(key)
        return _LOADED[key]


@atexit.register
def close_all() -> None:
    """Free every loaded model while llama.cpp's bindings still exist.

    Left to the garbage collector at interpreter exit, `Llama.__del__` runs after the
    bindings are torn down and prints an ignored-exception traceback.
    """
    with _LOADING:
        for model in _LOADED.values():
            model.llama.close()
        _LOADED.clear()


def _load(key: LlamaKey) -> LoadedModel:
    from casewright.llm import crash_note
    from casewright.llm.sampling import GrammarCheckingLlama

    check_gguf(key.path)
    crash_note.engage()
    started = time.perf_counter()
    try:
        # No chat_format: llama-cpp-python renders the chat template stored in the GGUF.
        # Flash attention skips the KV cells a sequence cannot see, so replies decoded
        # together (casewright.llm.batching) do not pay attention over each other's tokens:
        # CC-101 took 53.6 s with it and 62-69 s without, in the same batches.
        llama = GrammarCheckingLlama(model_path=str(key.path), n_ctx=key.n_ctx,
                                     n_threads=key.n_threads, n_threads_batch=key.n_threads,
                                     flash_attn=True, verbose=False,
                                     lora_path=str(key.adapter) if key.adapter else None,
                                     extra_buffers=key.extra_buffers)
    except ValueError as error:
        raise ConfigError(f"{PATH_SETTING}: llama.cpp cannot load '{key.path}' ({error})",
                          hint="check that the file is a complete GGUF model that this "
                          "llama.cpp version supports") from error
    return LoadedModel(llama=llama, load_seconds=time.perf_counter() - started)
