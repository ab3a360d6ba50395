"""Markdown: the suite as a document a person reviews, with a steps table per case."""

from __future__ import annotations

from casewright.exports._text import one_line
from casewright.models import CriterionChange, Finding, Suite, TestCase


def render(suite: Suite) -> str:
    """Return the suite as a Markdown document."""
    story, provenance = suite.story, suite.provenance
    lines = [f"# {one_line(f'{story.key}: {story.summary}')}", "", "## Acceptance criteria", ""]
    lines += [_criterion_line(c.criterion_id, c.title, c.text) for c in story.criteria] or ["None."]
    if suite.update is not None:
        lines += ["", "## Changes since the earlier suite", ""]
        lines += [_change(change) for change in suite.update.criteria] or \
            ["No criterion changed."]
    lines += ["", "## Test cases", ""]
    for case in suite.cases:
        lines += _case(case)
    if not suite.cases:
        lines += ["None.", ""]
    lines += ["## Open findings", ""]
    lines += [_finding(finding) for finding in suite.findings] or ["None."]
    lines += [
        "",
        "## Provenance",
        "",
        f"- Pipeline: {provenance.pipeline}",
        f"- Tool version: {provenance.tool_version}",
        f"- Started: {provenance.started_at.isoformat()}",
        f"- Finished: {provenance.finished_at.isoformat()}",
    ]
    return "\n".join(lines) + "\n"


def _criterion_line(criterion_id: str, title: str | None, text: str) -> str:
    name = f"**{criterion_id}** ({one_line(title)})" if title else f"**{criterion_id}**"
    return f"- {name}: {one_line(text)}"


def _case(case: TestCase) -> list[str]:
    lines = [
        f"### {one_line(f'{case.case_id}: {case.title}')}",
        "",
        f"- Objective: {one_line(case.objective)}",
        f"- Kind: {case.kind}",
        f"- Status: {case.status}",
        f"- Priority: {case.priority}",
        f"- Criteria: {', '.join(case.criterion_ids) or 'none'}",
        f"- Rules: {', '.join(case.rule_ids) or 'none'}",
        *([f"- Evidence: {', '.join(case.source_ids)}"] if case.source_ids else []),
        "",
    ]
    if case.preconditions:
        lines += ["Preconditions:", "", *(f"- {one_line(p)}" for p in case.preconditions), ""]
    lines += ["| # | Action | Data | Expected |", "| --- | --- | --- | --- |"]
    lines += [
        f"| {number} | {_cell(step.action)} | {_cell(step.data)} | {_cell(step.expected)} |"
        for number, step in enumerate(case.steps, start=1)
    ]
    return [*lines, ""]


def _change(change: CriterionChange) -> str:
    then = f"was: {one_line(change.previous_text)}" if change.previous_text else ""
    now = f"now: {one_line(change.text)}" if change.text else ""
    renamed = change.previous_id not in {None, change.criterion_id}
    moved = f" (was {change.previous_id})" if renamed else ""
    return f"- **{change.criterion_id}** {change.change}{moved}: " + "; ".join(
        part for part in (then, now) if part)


def _cell(text: str) -> str:
    return one_line(text).replace("|", r"\|")


def _finding(finding: Finding) -> str:
    where = ", ".join(
        f"{label} {value}"
        for label, value in (("case", finding.case_id), ("criterion", finding.criterion_id))
        if value
    )
    place = f" ({where})" if where else ""
    return f"- **{finding.severity}** `{finding.check}`{place}: {one_line(finding.message)}"
