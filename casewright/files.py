"""Writing result files so that a failure never leaves a partial file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from casewright.errors import InputError


def ensure_writable_dir(path: Path) -> Path:
    """Create the output folder if needed and prove it is writable, or raise InputError."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".casewright-probe-"):
            pass
    except OSError as error:
        reason = error.strerror or str(error)
        raise InputError(f"cannot write to output folder '{path}': {reason}",
                         hint="choose another folder with -o") from error
    return path


def write_atomic(path: Path, text: str) -> None:
    """Write text to path through a temporary file in the same folder and a rename.

    Raises:
        InputError: the file cannot be written; nothing partial is left behind.
    """
    temporary: str | None = None
    try:
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                                 suffix=".tmp")
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException as error:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            reason = error.strerror or str(error)
            raise InputError(f"cannot write '{path}': {reason}",
                             hint="free the path or choose another folder with -o") from error
        raise
