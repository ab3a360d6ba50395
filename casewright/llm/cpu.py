"""Whether llama.cpp may repack the model's weights into its extra CPU buffer types here.

llama.cpp repacks weights into "extra" buffer types at load time (interleaved layouts for its
AVX2/AVX-512 kernels, and an AMX buffer on Intel CPUs that have AMX: Sapphire Rapids and
later). On AMX CPUs the first inference then dies with SIGSEGV (ggml-org/llama.cpp issue 20824,
closed without a fix), which took down every model call of casewright on most current cloud
servers. Loading with the model parameter `use_extra_bufts` off avoids the AMX buffer and runs
normally. llama.cpp itself says whether its CPU backend uses AMX, in its system information.

Measured on 2 cores (AMD EPYC with AVX-512, no AMX; `python benchmarks/extra_buffers.py`, both
settings alternating in one process): with them off, decoding ran 2.74x and 1.09x as fast as
with them on (two runs, the second under load) and prompt evaluation 1.07x and 0.95x. Off
costs nothing measurable where repacking works and avoids the crash where it does not, so it
is the default; a user may ask for them, and AMX machines still get them off.
"""

from __future__ import annotations

import functools
import logging
import re

SETTING = "CASEWRIGHT_MODEL_EXTRA_BUFFERS"
_AMX = re.compile(r"\bAMX_INT8\s*=\s*1\b")
_log = logging.getLogger("casewright")


@functools.cache
def system_info() -> str:
    """Return llama.cpp's system information line (the CPU features its backend uses)."""
    import llama_cpp

    info: bytes = llama_cpp.llama_print_system_info()
    return info.decode("utf-8", "replace")


def uses_amx(info: str) -> bool:
    """Whether llama.cpp's system information says its CPU backend runs AMX kernels."""
    return _AMX.search(info) is not None


def use_extra_buffers(asked: bool, info: str | None = None) -> bool:
    """Return whether to load models with llama.cpp's extra buffer types.

    Only where asked, and never where llama.cpp uses AMX: there the request is refused with a
    warning, since the first inference would crash the process.
    """
    if asked and uses_amx(system_info() if info is None else info):
        _log.warning("%s=on is ignored: llama.cpp uses AMX on this CPU, and its repacked "
                     "weights crash it (llama.cpp issue 20824)", SETTING)
        return False
    return asked
