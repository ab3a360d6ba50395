"""Rich views for the chat session and `casewright sessions`: suites, cases, findings, lists."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from casewright.approval import APPROVED_LABEL, REJECTED_LABEL
from casewright.chat.session_records import SessionRecord
from casewright.models import Finding, Story, Suite, TestCase

DATE_FORMAT = "%Y-%m-%d %H:%M"


def case_status(case: TestCase, awaiting: Sequence[str]) -> str:
    """Return a person's decision on a case, or whether the gate still waits on it."""
    if APPROVED_LABEL in case.labels:
        return "approved"
    if REJECTED_LABEL in case.labels:
        return "rejected"
    return "to decide" if case.case_id in awaiting else "review's verdict"


def suite_table(suite: Suite, awaiting: Sequence[str]) -> Table:
    """Return the suite as one row per case, numbered as the chat refers to them."""
    open_findings = [f.case_id for f in suite.findings]
    table = Table(title=f"{suite.story.key}: {suite.story.summary}", title_justify="left")
    for name in ("#", "Case", "Kind", "Traces", "Rules", "Findings", "Status"):
        table.add_column(name, no_wrap=True)
    table.add_column("Title", ratio=1)
    for number, case in enumerate(suite.cases, start=1):
        table.add_row(str(number), case.case_id, case.kind, ", ".join(case.criterion_ids),
                      ", ".join(case.rule_ids) or "-", str(open_findings.count(case.case_id)),
                      case_status(case, awaiting), case.title)
    return table


def case_view(number: int, case: TestCase, findings: Sequence[Finding],
              awaiting: Sequence[str]) -> RenderableType:
    """Return one case in full: objective, preconditions, steps, traces and findings."""
    lines = [Text(f"{number}. {case.case_id}  {case.title}", style="bold"),
             Text(f"objective: {case.objective}"),
             Text(f"kind: {case.kind}   priority: {case.priority}   traces: "
                  f"{', '.join(case.criterion_ids)}   rules: {', '.join(case.rule_ids) or '-'}"
                  f"   status: {case_status(case, awaiting)}")]
    lines += [Text(f"precondition: {text}") for text in case.preconditions]
    for step_number, step in enumerate(case.steps, start=1):
        data = f" [{step.data}]" if step.data else ""
        lines.append(Text(f"  {step_number}. {step.action}{data}\n     → {step.expected}"))
    lines += [Text(f"finding ({f.severity}, {f.check}): {f.message}", style="yellow")
              for f in findings if f.case_id == case.case_id]
    return Group(*lines)


def findings_table(suite: Suite) -> Table:
    """Return a suite's open findings, one row each."""
    table = Table("Severity", "Check", "Case", "Criterion", "Message",
                  title=f"{suite.story.key}: {len(suite.findings)} open findings",
                  title_justify="left")
    for finding in suite.findings:
        table.add_row(finding.severity, finding.check, finding.case_id or "-",
                      finding.criterion_id or "-", finding.message)
    return table


def stories_table(stories: Sequence[Story], suites: dict[str, Suite | None]) -> Table:
    """Return the workspace's stories, marking those this session has written."""
    table = Table("Key", "Criteria", "In this session", "Summary")
    for story in stories:
        if story.key not in suites:
            state = "-"
        else:
            suite = suites[story.key]
            state = f"{len(suite.cases)} cases" if suite is not None else "interrupted"
        table.add_row(story.key, str(len(story.criteria)), state, story.summary)
    return table


def sessions_table(records: Sequence[SessionRecord]) -> Table:
    """Return chat sessions, one row each, in the order given."""
    table = Table(box=box.SIMPLE, pad_edge=False)  # no side borders: fits 80 columns
    table.add_column("Session", no_wrap=True)
    table.add_column("Stories", overflow="fold")
    for name in ("Current", "Created", "Updated"):
        table.add_column(name, no_wrap=True)
    for record in records:
        table.add_row(record.session_id, ", ".join(record.story_keys) or "-",
                      record.current_key or "-", _local(record.created_at),
                      _local(record.updated_at))
    return table


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime(DATE_FORMAT)
