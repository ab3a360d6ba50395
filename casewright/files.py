"""Reading workspace files safely; writing result files so that no failure leaves half a file."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from casewright.errors import InputError


class UnreadableFile(InputError):
    """A file that cannot be read as text; `why` says so without naming the file."""

    def __init__(self, path: Path, why: str, hint: str) -> None:
        super().__init__(f"'{path}' is {why}", hint=hint)
        self.why = why


def read_text(path: Path, *, limit: int) -> str:
    """Read a file as UTF-8 (a BOM allowed); refuse the files that could never be read.

    What is not a regular file is refused before it is opened (a FIFO, a device or a folder
    would block or never end), and so is anything over `limit` bytes.

    Raises:
        UnreadableFile: naming the file and what is wrong with it.
    """
    try:
        if not path.is_file():
            raise UnreadableFile(path, "not a regular file (a folder, FIFO, device or broken "
                                 "link)", "keep only regular files there, or remove it")
        if path.stat().st_size > limit:
            raise UnreadableFile(path, f"larger than {limit // 1_000_000} MB",
                                 "split it, or remove it")
        return path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise UnreadableFile(path, f"unreadable ({error.strerror or error})",
                             "check the file's permissions, or remove it") from error
    except UnicodeDecodeError as error:
        raise UnreadableFile(path, f"not UTF-8 text (byte {error.start}: {error.reason})",
                             "save it as UTF-8") from error


def ensure_writable_dir(path: Path, *, create: bool = True) -> Path:
    """Create the output folder if needed and prove it is writable, or raise InputError.

    Without `create` nothing is made: the folder, or where it would be made (its nearest
    existing parent), is proved writable, so a run can check its `-o` folder before any
    work and make it only when its first file is written.
    """
    try:
        if create:
            path.mkdir(parents=True, exist_ok=True)
        nearest = next(folder for folder in (path, *path.parents) if folder.exists())
        with tempfile.NamedTemporaryFile(dir=nearest, prefix=".casewright-probe-"):
            pass
    except OSError as error:
        reason = error.strerror or str(error)
        raise InputError(f"cannot write to output folder '{path}': {reason}",
                         hint="choose another folder with -o") from error
    return path


_TEMPORARY = re.compile(r"^\..+\.cw(?P<pid>\d+)\.[^.]+\.tmp$")
"""A temporary file of write_atomic: '.<name>.cw<pid>.<random>.tmp'."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def clean_stale(folder: Path) -> None:
    """Remove temporary files a killed casewright left in a folder (their process is gone)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        if (match := _TEMPORARY.match(name)) and not _alive(int(match["pid"])):
            (folder / name).unlink(missing_ok=True)


def _umask() -> int:
    """Return the process's umask (read once: setting it back and forth is not thread-safe)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return umask


_NEW_FILE_MODE = 0o666 & ~_umask()


def _mode(path: Path) -> int:
    """Return the mode a new file gets under the umask, or the replaced file's own mode."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return _NEW_FILE_MODE


def write_atomic(path: Path, text: str) -> None:
    """Write text to path through a temporary file in the same folder and a rename.

    The file gets the permissions the umask gives a new file (or keeps a replaced file's),
    not the temporary file's 0600; temporary files a killed run left are cleaned first.

    Raises:
        InputError: the file cannot be written; nothing partial is left behind.
    """
    temporary: str | None = None
    try:
        clean_stale(path.parent)
        descriptor, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.cw{os.getpid()}.", suffix=".tmp")
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(temporary, _mode(path))
        os.replace(temporary, path)
    except BaseException as error:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            reason = error.strerror or str(error)
            raise InputError(f"cannot write '{path}': {reason}",
                             hint="free the path or choose another folder with -o") from error
        raise
