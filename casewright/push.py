"""Pushing a run's approved test cases to Jira, only when a person asks for it.

`casewright push RUN_ID --to jira` and chat's `/push` both come here. A run's suites are read
back from its checkpoints (`run_suites`); each approved case (`casewright.approval`) becomes one
Jira issue of the configured type, linked to its story, its steps in the description
(`push_suites`). Pushing is idempotent: a case's issue is found again by the link the push
ledger stored when it was created (`casewright.push_ledger`), else by its label
(`casewright-<case id>`), and updated; an issue already linked to its story is not linked
twice. A case made obsolete by a later run (`casewright.living`) has its issue labelled, and
moved through a transition if the team names one, never deleted. A dry run reads Jira (to
tell what would be created from what would be updated) and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol

from casewright.approval import APPROVED_LABEL, REJECTED_LABEL, SCAFFOLD_LABEL, approved_cases
from casewright.config import Settings
from casewright.errors import CasewrightError, ConfigError, InputError
from casewright.exports._text import case_name, token
from casewright.models import Story, Suite, TestCase
from casewright.progress import quiet
from casewright.push_ledger import PushLedger
from casewright.push_report import PushItem, PushReport
from casewright.run_records import load_run, state_folder
from casewright.tools.jira_push import (
    BASE_LABEL,
    CaseIssue,
    ExistingIssue,
    JiraWriter,
    case_label,
    summary_line,
)

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

    def issue(self, key: str, case_id: str, stored_in: str) -> ExistingIssue:
        """Read the issue a case was pushed to, by the key the ledger stored."""
        ...

    def retire(self, key: str, issue: CaseIssue, existing: ExistingIssue) -> list[str]:
        """Mark an obsolete case's issue; return what was done (nothing: marked before)."""
        ...

    def link(self, key: str, story_key: str) -> None:
        """Link a case's issue to its story."""
        ...


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
                progress: Progress | None = None,
                ledger: PushLedger | None = None) -> PushReport:
    """Push each suite's approved cases, story by story; return what was done.

    A dry run only reads (finds the issues pushed before) and writes nothing. Each issue
    created is stored in `ledger` at once. When a write fails, the error says how many cases
    were pushed before it; pushing again updates those.
    """
    say = progress or (lambda line: None)
    report = PushReport(site=writer.url, dry_run=dry_run)
    push = _Push(writer, report, sum(len(suite.cases) for suite in suites), dry_run, say,
                 ledger)
    try:
        for suite in suites:
            push.suite(suite)
    except CasewrightError as error:
        done = report.count("create") + report.count("update")
        if done and not dry_run:
            error.hint = (f"{error.hint}; " if error.hint else "") + \
                f"{done} {'case was' if done == 1 else 'cases were'} pushed before it: " \
                "pushing again updates those, never duplicates them"
        raise
    return report


class _Push:
    """One push in progress, suite by suite."""

    def __init__(self, writer: IssueWriter, report: PushReport, total: int, dry_run: bool,
                 say: Progress, ledger: PushLedger | None) -> None:
        self.writer, self.report, self.total = writer, report, total
        self.dry_run, self.say, self.ledger = dry_run, say, ledger

    def suite(self, suite: Suite) -> None:
        """Push a suite's approved cases, mark its obsolete ones, skip the rest."""
        story = suite.story
        approved = {case.case_id for case in approved_cases(suite)}
        acted = [case_issue(case, story) for case in suite.cases
                 if case.case_id in approved or case.status == "obsolete"]
        found = self.writer.find(story, [issue.label for issue in acted])
        by_id = {issue.case.case_id: issue for issue in acted}
        for case in suite.cases:
            issue = by_id.get(case.case_id)
            if issue is None:
                item = PushItem(case_id=case.case_id, story_key=story.key,
                                summary=summary_line(case_name(case)), action="skip",
                                reason=skip_reason(case, suite))
            elif case.status == "obsolete":
                item = self.retire(issue, self.existing(issue, found.get(issue.label, [])))
            else:
                item = self.push(issue, self.existing(issue, found.get(issue.label, [])))
            self.report.items.append(item)
            self.say(f"[{len(self.report.items)}/{self.total}] {item.line(self.dry_run)}")

    def existing(self, issue: CaseIssue, labelled: list[ExistingIssue]) -> list[ExistingIssue]:
        """Return the issues a case was pushed to: the stored one first, then by label.

        The stored issue is read by its key when the label search missed it (Jira's search
        may not have indexed an issue created a moment ago, or its label was removed).
        """
        stored = self.ledger.issue(issue.case.case_id) if self.ledger is not None else None
        if stored is None or self.ledger is None:
            return labelled
        first = next((found for found in labelled if found.key == stored), None) or \
            self.writer.issue(stored, issue.case.case_id, str(self.ledger.path))
        return [first, *(found for found in labelled if found.key != stored)]

    def push(self, issue: CaseIssue, existing: list[ExistingIssue]) -> PushItem:
        """Create a case's issue, or update the one it was pushed to; link it to its story."""
        story_key = issue.story.key
        item = PushItem(case_id=issue.case.case_id, story_key=story_key, summary=issue.summary,
                        action="update" if existing else "create")
        if existing:
            first = existing[0]
            if len(existing) > 1:
                others = ", ".join(other.key for other in existing[1:])
                self.say(f"warning: {issue.label} is on {len(existing)} Jira issues; updating "
                         f"{first.key} (the others, {others}, are likely clones)")
            item.key, item.linked = first.key, story_key not in first.linked
            if not self.dry_run:
                self.writer.update(first.key, issue, first)
        else:
            item.linked = True
            if not self.dry_run:
                item.key = self.writer.create(issue)
        if item.key is not None and self.ledger is not None and not self.dry_run:
            self.ledger.record(issue.case.case_id, item.key)
        if item.linked and not self.dry_run:
            assert item.key is not None
            self.writer.link(item.key, story_key)
        return item

    def retire(self, issue: CaseIssue, existing: list[ExistingIssue]) -> PushItem:
        """Mark the issue of an obsolete case, if it was ever pushed."""
        item = PushItem(case_id=issue.case.case_id, story_key=issue.story.key,
                        summary=issue.summary, action="obsolete")
        if existing:
            item.key = existing[0].key
            if not self.dry_run:
                item.done = self.writer.retire(existing[0].key, issue, existing[0])
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
    state = state_folder(settings)
    return push_suites(run_suites(state, run_id, progress), writer, dry_run=dry_run,
                       progress=progress, ledger=PushLedger.for_site(state, writer.url))
