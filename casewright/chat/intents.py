"""What a person can ask of a chat session, as typed intents, and the slash commands.

Every intent says in words what was understood (`describe`); the session prints it before
acting. `routing.py` reads intents from lines, `classify.py` from the model's reading.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from casewright.models import CaseKind

SimpleAction = Literal["help", "stories", "findings", "done", "quit"]


class _Intent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class WriteCases(_Intent):
    """Write (or go back to) the suite of one story."""

    action: Literal["write"] = "write"
    story_key: str

    def describe(self) -> str:
        """Say what will be done."""
        return f"write cases for {self.story_key}"


class AddCase(_Intent):
    """Add one case of a kind for a criterion of the current story."""

    action: Literal["add"] = "add"
    criterion_id: str
    case_kind: CaseKind
    condition: str | None = None

    def describe(self) -> str:
        """Say what will be done."""
        detail = f" ({self.condition})" if self.condition else ""
        return f"add a {self.case_kind} case for {self.criterion_id}{detail}"


class AmendCase(_Intent):
    """Rewrite one case of the current suite as another kind, under a condition."""

    action: Literal["amend"] = "amend"
    case_number: int = Field(ge=1)
    case_kind: CaseKind
    condition: str | None = None

    def describe(self) -> str:
        """Say what will be done."""
        detail = f" ({self.condition})" if self.condition else ""
        return f"make case {self.case_number} a {self.case_kind} test{detail}"


class Explain(_Intent):
    """Say why a case cites a rule, from the evidence: the rule's text, page and link."""

    action: Literal["explain"] = "explain"
    case_number: int | None = Field(default=None, ge=1)
    rule_id: str | None = None

    def describe(self) -> str:
        """Say what will be done."""
        if self.case_number is None:
            return f"explain {self.rule_id}"
        rules = self.rule_id or "the rules it cites"
        return f"explain why case {self.case_number} cites {rules}"


class Show(_Intent):
    """Show a suite, or one case of the current suite."""

    action: Literal["show"] = "show"
    case_number: int | None = Field(default=None, ge=1)
    story_key: str | None = None

    def describe(self) -> str:
        """Say what will be done."""
        if self.case_number is not None:
            return f"show case {self.case_number}"
        return f"show the suite of {self.story_key}" if self.story_key else "show the suite"


class Approve(_Intent):
    """Approve cases (none named: every undecided one)."""

    action: Literal["approve"] = "approve"
    case_numbers: list[int] = Field(default_factory=list)

    def describe(self) -> str:
        """Say what will be done."""
        if not self.case_numbers:
            return "approve every undecided case"
        return f"approve case{'s' if len(self.case_numbers) > 1 else ''} " + \
            ", ".join(str(n) for n in self.case_numbers)


class Reject(_Intent):
    """Reject one case, with the reason."""

    action: Literal["reject"] = "reject"
    case_number: int = Field(ge=1)
    reason: str = Field(min_length=1)

    def describe(self) -> str:
        """Say what will be done."""
        return f"reject case {self.case_number}: {self.reason}"


class Export(_Intent):
    """Write the current suite in a format, to a path (default: out/<KEY><suffix>)."""

    action: Literal["export"] = "export"
    format: str
    path: str | None = None

    def describe(self) -> str:
        """Say what will be done."""
        return f"export as {self.format}" + (f" to {self.path}" if self.path else "")


class Push(_Intent):
    """Push the approved cases of the session's stories to Jira (only ever asked in words)."""

    action: Literal["push"] = "push"
    dry_run: bool = False

    def describe(self) -> str:
        """Say what will be done."""
        return "push the approved cases to Jira" + (
            " (dry run: nothing is written)" if self.dry_run else "")


class Simple(_Intent):
    """A request with no arguments."""

    action: SimpleAction

    def describe(self) -> str:
        """Say what will be done."""
        return {"help": "show help", "stories": "list the stories",
                "findings": "show the open findings",
                "done": "end approval; undecided cases keep the reviewer's verdict",
                "quit": "quit"}[self.action]


Intent = Annotated[WriteCases | AddCase | AmendCase | Explain | Show | Approve | Reject
                   | Export | Push | Simple, Field(discriminator="action")]

SLASH_COMMANDS: dict[str, str] = {
    "/help": "this help",
    "/stories": "the workspace's stories, and which this session has written",
    "/show": "[case] the current suite, or one case in full",
    "/approve": "[case ...|all] approve cases (default: every undecided one)",
    "/reject": "N reason: reject case N, saying why",
    "/export": "FORMAT [path] write the suite (default path: out/<KEY><suffix>)",
    "/push": "[dry-run] approved cases of this session's stories to Jira, one issue each "
             "(again: updates them)",
    "/findings": "the current suite's open findings",
    "/done": "end approval; undecided cases keep the reviewer's verdict",
    "/quit": "save and leave (Ctrl-D does the same)",
}
