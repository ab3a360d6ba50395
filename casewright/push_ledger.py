"""Where each case was pushed: the Jira issue made for a case id, per site, kept on disk.

`casewright push` records each issue it creates the moment Jira answers with its key, so a
push run again after a failure half-way (or before Jira's search has indexed the new issues)
updates those issues instead of creating others: a case is matched to its issue by this stored
link, not by its title. The label `casewright-<case id>` still finds an issue the ledger lacks
(a state folder lost, a push from another machine). The ledger lives in the workspace's state
folder, one file per site: `pushed/<site hash>.json`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from casewright.errors import InputError
from casewright.files import UnreadableFile, read_text, write_atomic

LEDGER_LIMIT = 50_000_000
"""Largest ledger file read, in bytes."""


class _Ledger(BaseModel):
    site: str
    issues: dict[str, str] = Field(default_factory=dict, description="Case id -> issue key.")


class PushLedger:
    """The issues a site holds for the cases pushed to it from this workspace."""

    def __init__(self, path: Path, site: str) -> None:
        self.path = path
        self._ledger = _Ledger(site=site)
        if path.exists():
            self._ledger = self._read()

    @classmethod
    def for_site(cls, state: Path, site: str) -> PushLedger:
        """Return the ledger of a site in a state folder (empty until the first push)."""
        digest = hashlib.sha256(site.rstrip("/").encode("utf-8")).hexdigest()[:12]
        return cls(state / "pushed" / f"{digest}.json", site)

    def _read(self) -> _Ledger:
        hint = "move it aside: the next push finds the issues again by their labels"
        try:
            return _Ledger.model_validate_json(read_text(self.path, limit=LEDGER_LIMIT))
        except UnreadableFile as error:
            error.hint = hint
            raise
        except ValidationError as error:
            raise InputError(f"push ledger '{self.path}' is damaged "
                             f"({error.errors()[0]['msg']})", hint=hint) from None

    def issue(self, case_id: str) -> str | None:
        """Return the key of the issue a case was pushed to, if it was."""
        return self._ledger.issues.get(case_id)

    def record(self, case_id: str, key: str) -> None:
        """Store the issue a case was pushed to, at once (a later failure keeps it)."""
        if self._ledger.issues.get(case_id) == key:
            return
        self._ledger.issues[case_id] = key
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, self._ledger.model_dump_json(indent=2) + "\n")
