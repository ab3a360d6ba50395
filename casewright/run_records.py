"""Run records and the state folder: what `casewright run --resume RUN_ID` needs to go on."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ValidationError

from casewright.config import Settings
from casewright.errors import InputError
from casewright.files import write_atomic
from casewright.tools.workspace import bundled_sample

RUN_ID_ALPHABET = "0123456789abcdef"


def state_folder(settings: Settings) -> Path:
    """Return where a workspace's runs, checkpoints and approved cases live.

    The workspace's own `.casewright/` folder, except for the bundled sample (inside the
    installed package), whose state lives under the casewright home.
    """
    workspace = settings.workspace
    if workspace is None or workspace.resolve() == bundled_sample().resolve():
        return settings.home / "sample-workspace"
    return workspace / ".casewright"


class RunRecord(BaseModel):
    """What a run was asked to do, saved before it starts so it can be resumed."""

    run_id: str
    created_at: datetime
    workspace: str
    story_keys: list[str]
    pipeline: str
    formats: list[str]
    output: str | None
    redesign: bool = False


def new_run_id() -> str:
    """Return a fresh run id: the UTC time and four random hex digits."""
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(2)


def save_run(folder: Path, record: RunRecord) -> Path:
    """Write a run record into the state folder."""
    path = folder / "runs" / f"{record.run_id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, record.model_dump_json(indent=2) + "\n")
    return path


def load_run(folder: Path, run_id: str) -> RunRecord:
    """Read a run record; InputError naming the run when there is none."""
    if not run_id or any(ch not in RUN_ID_ALPHABET + "-" for ch in run_id):
        raise InputError(f"{run_id!r} is not a run id", hint="use the id `casewright run` printed")
    path = folder / "runs" / f"{run_id}.json"
    if not path.is_file():
        raise InputError(f"no run {run_id!r} in '{folder}'",
                         hint="use the id `casewright run` printed for this workspace")
    try:
        return RunRecord.model_validate_json(path.read_text(encoding="utf-8"))
    except (ValidationError, UnicodeDecodeError, OSError) as error:
        raise InputError(f"run record '{path}' is damaged ({_first_line(error)})",
                         hint="start the run again without --resume; the stories it finished "
                         "are in its output folder") from None


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0][:120] if str(error).strip() else \
        type(error).__name__
