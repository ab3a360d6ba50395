"""Chat session records in the state folder: what `casewright chat --session ID` resumes.

A record names the session's stories and the current one; the suites themselves, with the
person's decisions, live in the checkpointer, one thread per story (`thread_prefix`), and a
new one each time the story is written anew after its criteria changed (`story_prefix`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from casewright.errors import InputError
from casewright.files import write_atomic
from casewright.run_records import RUN_ID_ALPHABET, new_run_id

SESSIONS_FOLDER = "sessions"


class SessionRecord(BaseModel):
    """One chat session: its stories in the order written, and the one being worked on."""

    session_id: str
    created_at: datetime
    updated_at: datetime
    workspace: str
    story_keys: list[str] = Field(default_factory=list)
    current_key: str | None = None
    rewrites: dict[str, int] = Field(default_factory=dict, description="Story key -> times "
                                     "it was written anew after its criteria changed.")

    @property
    def thread_prefix(self) -> str:
        """Return the first part of each story's checkpoint thread id in this session."""
        return f"chat-{self.session_id}"

    def story_prefix(self, story_key: str) -> str:
        """Return the first part of a story's thread id: a fresh thread for each rewrite."""
        rewrites = self.rewrites.get(story_key, 0)
        return self.thread_prefix if not rewrites else f"{self.thread_prefix}@{rewrites}"


def new_session(workspace: Path) -> SessionRecord:
    """Return a fresh session record for a workspace (saved on its first change)."""
    now = datetime.now(UTC)
    return SessionRecord(session_id=new_run_id(), created_at=now, updated_at=now,
                         workspace=str(workspace))


def save_session(folder: Path, record: SessionRecord) -> Path:
    """Write a session record into the state folder, stamping its update time."""
    record.updated_at = datetime.now(UTC)
    path = folder / SESSIONS_FOLDER / f"{record.session_id}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, record.model_dump_json(indent=2) + "\n")
    return path


def load_session(folder: Path, session_id: str, workspace: Path) -> SessionRecord:
    """Read a session of this workspace; InputError naming it when there is none."""
    if not session_id or any(ch not in RUN_ID_ALPHABET + "-" for ch in session_id):
        raise InputError(f"{session_id!r} is not a session id",
                         hint="use an id `casewright sessions` lists")
    path = folder / SESSIONS_FOLDER / f"{session_id}.json"
    if not path.is_file():
        raise InputError(f"no chat session {session_id!r} in '{folder}'",
                         hint="`casewright sessions` lists this workspace's sessions")
    record = _read(path)
    if record.workspace != str(workspace):
        raise InputError(f"session {session_id} belongs to workspace '{record.workspace}'",
                         hint=f"add -w {record.workspace}")
    return record


def list_sessions(folder: Path) -> list[SessionRecord]:
    """Return the state folder's sessions, the most recently used first."""
    records = [_read(path) for path in sorted((folder / SESSIONS_FOLDER).glob("*.json"))]
    return sorted(records, key=lambda record: record.updated_at, reverse=True)


def _read(path: Path) -> SessionRecord:
    try:
        return SessionRecord.model_validate_json(path.read_text(encoding="utf-8"))
    except ValidationError as error:
        raise InputError(f"session file '{path}' is damaged",
                         hint="delete it; its suites stay in checkpoints.sqlite") from error
