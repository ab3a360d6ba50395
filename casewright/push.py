"""Pushing a run's approved test cases to Jira, only when a person asks for it.

`casewright push RUN_ID --to jira` and chat's `/push` both come here. A run's suites are read
back from its checkpoints (`run_suites`); each approved case (`casewright.approval`) becomes one
Jira issue of the configured type, linked to its story, its steps in the description
(`push_suites`). Pushing is idempotent: a case's issue is found again by its label
(`casewright-<case id>`) and updated, and an issue already linked to its story is not linked
twice. A dry run reads Jira (to tell what would be created from what would be updated) and
writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, Field

from casewright.approval import APPROVED_LABEL, REJECTED_LABEL, SCAFFOLD_LABEL, approved_cases
from casewright.config import Settings
from casewright.errors import CasewrightError, ConfigError, InputError
from casewright.exports._text import case_name, token
from casewright.models import Story, Suite, TestCase
from casewright.progress import quiet
from casewright.run_records import load_run, state_folder
from casewright.tools.jira_push import (
    BASE_LABEL,
    CaseIssue,
    ExistingIssue,
    JiraWriter,
    case_label,
    summary_line,
)

PushAction = Literal["create", "update", "skip"]
Progress = Callable[[str], None]
TARGETS = ("jira",)
"""Where cases can be pushed."""


class IssueWriter(Protocol):
    """What pushing needs of Jira (`casewright.tools.jira_push.JiraWriter` over REST)."""

    @property
    def url(self) -> str:
        """The site written to."""
        ...

    @property
    def link_type(self) -> str:
        """The issue link type joining a case to its story."""
        ...

    def find(self, story: Story, labels: Sequence[str]) -> dict[str, list[ExistingIssue]]:
        """Return the issues carrying each label, oldest first."""
        ...

    def create(self, issue: CaseIssue) -> str:
        """Create a case's issue; return its key."""
        ...

    def update(self, key: str, issue: CaseIssue, existing: ExistingIssue) -> None:
        """Rewrite a case's issue."""
        ...

    def link(self, key: str, story_key: str) -> None:
        """Link a case's issue to its story."""
        ...


class PushItem(BaseModel):
    """What happened (or, in a dry run, would happen) to one case."""

    case_id: str
    story_key: str
    summary: str
    action: PushAction = Field(description="create: a new issue; update: the issue it was "
                               "pushed to before; skip: not approved, so not pushed.")
    key: str | None = Field(default=None, description="The Jira issue; None for a skipped "
                            "case or one a dry run would create.")
    linked: bool = Field(default=False, description="Whether this push linked the issue to "
                         "its story (or would); False when it was linked before.")
    reason: str | None = Field(default=None, description="Why a case was skipped.")

    def line(self, dry_run: bool) -> str:
        """Return the item as one line for a person."""
        if self.action == "skip":
            return f"{self.case_id} skipped: {self.reason}"
        if dry_run:
            target = "" if self.key is None else f" as {self.key}"
            return (f"{self.case_id} would {self.action}{target} (story {self.story_key}): "
                    f"{self.summary}")
        verb = "created" if self.action == "create" else "updated"
        return f"{self.case_id} {verb} {self.key}" + \
            (f", linked to {self.story_key}" if self.linked else "")


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
        if self.dry_run:
            return (f"dry run: {created} to create, {updated} to update, {skipped} in Jira at "
                    f"{self.site}; nothing written")
        return f"{created} created, {updated} updated, {skipped} in Jira at {self.site}"

    def lines(self) -> list[str]:
        """Return one line per case, then the counts."""
        return [*(item.line(self.dry_run) for item in self.items), self.summary()]


def labels_for(case: TestCase) -> tuple[str, ...]:
    """Return a case's Jira labels: casewright, its own label, its labels and kind as tokens.

    A person's approval is casewright's own record, not a Jira label.
    """
    own = [token(label) for label in case.labels if label not in {APPROVED_LABEL,
                                                                    REJECTED_LABEL}]
    return tuple(dict.fromkeys(label for label in (
        BASE_LABEL, case_label(case.case_id), *own, case.kind) if label))


def case_issue(case: TestCase, story: Story) -> CaseIssue:
    """Return what a case becomes in Jira: summary `<case id>: <title>`, labels, story."""
    return CaseIssue(case=case, story=story, summary=summary_line(case_name(case)),
                     labels=labels_for(case))


def skip_reason(case: TestCase, suite: Suite) -> str:
    """Return why a case is not approved."""
    if REJECTED_LABEL in case.labels:
        return "rejected by a person"
    if any(finding.case_id == case.case_id for finding in suite.findings):
        return "not approved (an open review finding; approve it to push it anyway)"
    if SCAFFOLD_LABEL in case.labels:
        return "not approved (template wording; approve it to push it anyway)"
    return "not approved"


def push_suites(suites: Sequence[Suite], writer: IssueWriter, *, dry_run: bool = False,
                progress: Progress | None = None) -> PushReport:
    """Push each suite's approved cases, story by story; return what was done.

    A dry run only reads (finds the issues pushed before) and writes nothing. When a write
    fails, the error says how many cases were pushed before it; pushing again updates those.
    """
    say = progress or (lambda line: None)
    report = PushReport(site=writer.url, dry_run=dry_run)
    total = sum(len(suite.cases) for suite in suites)
    try:
        for suite in suites:
            _push_suite(suite, writer, report, total, dry_run, say)
    except CasewrightError as error:
        done = report.count("create") + report.count("update")
        if done and not dry_run:
            error.hint = (f"{error.hint}; " if error.hint else "") + \
                f"{done} {'case was' if done == 1 else 'cases were'} pushed before it: " \
                "pushing again updates those, never duplicates them"
        raise
    return report


def _push_suite(suite: Suite, writer: IssueWriter, report: PushReport, total: int,
                dry_run: bool, say: Progress) -> None:
    story = suite.story
    approved = {case.case_id for case in approved_cases(suite)}
    issues = [case_issue(case, story) for case in suite.cases if case.case_id in approved]
    found = writer.find(story, [issue.label for issue in issues])
    by_id = {issue.case.case_id: issue for issue in issues}
    for case in suite.cases:
        number = len(report.items) + 1
        issue = by_id.get(case.case_id)
        if issue is None:
            item = PushItem(case_id=case.case_id, story_key=story.key,
                            summary=summary_line(case_name(case)), action="skip",
                            reason=skip_reason(case, suite))
        else:
            item = _push_case(issue, found.get(issue.label, []), writer, dry_run, say)
        report.items.append(item)
        say(f"[{number}/{total}] {item.line(dry_run)}")


def _push_case(issue: CaseIssue, existing: list[ExistingIssue], writer: IssueWriter,
               dry_run: bool, say: Progress) -> PushItem:
    story_key = issue.story.key
    item = PushItem(case_id=issue.case.case_id, story_key=story_key, summary=issue.summary,
                    action="update" if existing else "create")
    if existing:
        first = existing[0]
        if len(existing) > 1:
            others = ", ".join(other.key for other in existing[1:])
            say(f"warning: {issue.label} is on {len(existing)} Jira issues; updating the "
                f"oldest, {first.key} (the others, {others}, are likely clones)")
        item.key, item.linked = first.key, story_key not in first.linked
        if not dry_run:
            writer.update(first.key, issue, first)
    else:
        item.linked = True
        if not dry_run:
            item.key = writer.create(issue)
    if item.linked and not dry_run:
        assert item.key is not None
        writer.link(item.key, story_key)
    return item


def run_suites(state: Path, run_id: str, progress: Progress | None = None) -> list[Suite]:
    """Return the suites of a run's finished stories, read back from its checkpoints.

    A story that did not finish is left out with a warning naming it. InputError for an
    unknown run id, or a run with no finished story (a fixed-pipeline run keeps no record).
    """
    from casewright.agents.checkpoints import finished_suites

    record = load_run(state, run_id)
    suites, unfinished = finished_suites(state, record.run_id, record.story_keys)
    for key in unfinished:
        (progress or (lambda line: None))(
            f"warning: {key} did not finish in run {run_id}, so it is not pushed; finish it "
            f"with `casewright run --resume {run_id}`")
    if not suites:
        raise InputError(f"run {run_id} has no finished story to push",
                         hint=f"finish it with `casewright run --resume {run_id}`, or push "
                         "another run")
    return suites


def jira_writer(settings: Settings, progress: Progress | None = None) -> JiraWriter:
    """Return the REST writer; ConfigError when Jira is read from the workspace folder."""
    writer = JiraWriter.from_settings(settings, progress or quiet)
    if writer is None:
        raise ConfigError("push needs Jira over REST; this workspace reads jira/*.json",
                          hint="set CASEWRIGHT_JIRA_URL with CASEWRIGHT_JIRA_EMAIL and "
                          "CASEWRIGHT_JIRA_TOKEN (Cloud) or CASEWRIGHT_JIRA_PAT (Server/DC)")
    return writer


def push_run(run_id: str, settings: Settings, *, target: str = "jira", dry_run: bool = False,
             progress: Progress | None = None) -> PushReport:
    """Push a run's approved cases to Jira (the one target so far)."""
    if target not in TARGETS:
        raise InputError(f"cannot push to {target!r}", hint="use --to jira")
    writer = jira_writer(settings, progress)
    return push_suites(run_suites(state_folder(settings), run_id, progress), writer,
                       dry_run=dry_run, progress=progress)
