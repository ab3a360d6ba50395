"""What a push did (or, in a dry run, would do): a line per case, and the counts."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

PushAction = Literal["create", "update", "obsolete", "skip"]


class PushItem(BaseModel):
    """What happened (or, in a dry run, would happen) to one case."""

    case_id: str
    story_key: str
    summary: str
    action: PushAction = Field(description="create: a new issue; update: the issue it was "
                               "pushed to before; obsolete: the case is obsolete, its issue "
                               "(if any) marked so; skip: not approved, so not pushed.")
    key: str | None = Field(default=None, description="The Jira issue; None for a skipped "
                            "case, one a dry run would create, or an obsolete case never "
                            "pushed.")
    linked: bool = Field(default=False, description="Whether this push linked the issue to "
                         "its story (or would); False when it was linked before.")
    reason: str | None = Field(default=None, description="Why a case was skipped.")
    done: list[str] = Field(default_factory=list, description="What marking an obsolete "
                            "case's issue did; empty when it was marked before.")

    def line(self, dry_run: bool) -> str:
        """Return the item as one line for a person."""
        if self.action == "skip":
            return f"{self.case_id} skipped: {self.reason}"
        if self.action == "obsolete":
            return self._obsolete_line(dry_run)
        if dry_run:
            target = "" if self.key is None else f" as {self.key}"
            return (f"{self.case_id} would {self.action}{target} (story {self.story_key}): "
                    f"{self.summary}")
        verb = "created" if self.action == "create" else "updated"
        return f"{self.case_id} {verb} {self.key}" + \
            (f", linked to {self.story_key}" if self.linked else "")

    def _obsolete_line(self, dry_run: bool) -> str:
        if self.key is None:
            return f"{self.case_id} is obsolete and was never pushed: nothing to mark"
        if dry_run:
            return f"{self.case_id} would mark {self.key} obsolete (story {self.story_key})"
        if not self.done:
            return f"{self.case_id} is obsolete: {self.key} was marked before"
        return f"{self.case_id} marked obsolete: {self.key} {', '.join(self.done)}"


class PushReport(BaseModel):
    """One push: an item per case of the suites pushed, in suite order."""

    site: str
    dry_run: bool
    items: list[PushItem] = Field(default_factory=list)

    def count(self, action: PushAction) -> int:
        """Return how many cases got (or would get) an action."""
        return sum(item.action == action for item in self.items)

    def summary(self) -> str:
        """Return the counts as one line."""
        created, updated = self.count("create"), self.count("update")
        skipped = f"{self.count('skip')} skipped (not approved)"
        marked = sum(item.action == "obsolete" and item.key is not None for item in self.items)
        obsolete = "" if not marked else \
            f", {marked} {'to mark' if self.dry_run else 'marked'} obsolete"
        if self.dry_run:
            return (f"dry run: {created} to create, {updated} to update{obsolete}, {skipped} in "
                    f"Jira at {self.site}; nothing written")
        return f"{created} created, {updated} updated{obsolete}, {skipped} in Jira at {self.site}"

    def lines(self) -> list[str]:
        """Return one line per case, then the counts."""
        return [*(item.line(self.dry_run) for item in self.items), self.summary()]
