"""Text and CSV helpers that every exporter shares."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence

from casewright.models import Step, Suite, TestCase

_NOT_IN_TOKEN = re.compile(r"[\s@]+")
_CONTROL = re.compile(r"\r\n?|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters but tab and newline: NUL, BEL, ESC, line ends with CR, C1 codes."""


def _without_control(match: re.Match[str]) -> str:
    """Return a line end for CR or CR LF, a space for a form feed and its kind, else nothing."""
    text = match[0]
    return "\n" if text.startswith("\r") else " " if text.isspace() else ""


def _printable(value: object) -> object:
    if isinstance(value, str):
        return _CONTROL.sub(_without_control, value)
    if isinstance(value, list):
        return [_printable(item) for item in value]
    if isinstance(value, dict):
        return {_printable(key): _printable(item) for key, item in value.items()}
    return value


def printable(suite: Suite) -> Suite:
    """Return the suite with control characters stripped from every text in it.

    A NUL or BEL pasted into a story would reach the exports as it is: spreadsheets and XML
    parsers stop at them, terminals ring. Tab and newline stay, for the fields that hold them.
    """
    return Suite.model_validate(_printable(suite.model_dump()))


def one_line(text: str) -> str:
    """Return text on one line: every run of whitespace, newlines included, becomes a space."""
    return " ".join(text.split())


def token(text: str) -> str:
    """Return text as one token with no whitespace or '@', fit for a tag or a Jira label."""
    return _NOT_IN_TOKEN.sub("_", text.strip())


def case_name(case: TestCase) -> str:
    """Return the one-line name a tool shows for a case: its id, then its title."""
    return one_line(f"{case.case_id}: {case.title}")


def preconditions(case: TestCase) -> str:
    """Return the case's preconditions, one per line, for fields that accept line breaks."""
    return "\n".join(line for line in map(one_line, case.preconditions) if line)


def labels(case: TestCase) -> str:
    """Return the case's labels and its kind as one space-separated cell."""
    tokens = (token(label) for label in [*case.labels, case.kind])
    return " ".join(dict.fromkeys(label for label in tokens if label))


def step_cells(step: Step) -> tuple[str, str, str]:
    """Return a step's action, data and expected result, each on one line."""
    return one_line(step.action), one_line(step.data), one_line(step.expected)


def action_with_data(step: Step) -> str:
    """Return a step's action with its data appended, for tools that have no data field."""
    action, data, _ = step_cells(step)
    return f"{action} (data: {data})" if data else action


def step_rows(
    first_row: Mapping[str, str],
    every_row: Mapping[str, str],
    steps: Sequence[Step],
    step_columns: tuple[str, str, str],
) -> list[dict[str, str]]:
    """Return one CSV row per step of a test, its fields on the first row only.

    `every_row` holds what groups the rows into one test (an id repeated on each row);
    `step_columns` name the action, data and expected-result columns.
    """
    rows = [
        {**every_row, **dict(zip(step_columns, step_cells(step), strict=True))} for step in steps
    ]
    rows[0].update(first_row)
    return rows


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula (OWASP, CSV injection)."""


def inert(cell: str) -> str:
    """Return a cell a spreadsheet shows as text: one starting a formula gets a leading "'".

    This is OWASP's advice for CSV injection: a criterion reading '=HYPERLINK(...)' must not
    run when a tester opens the export in a spreadsheet. The importers keep the quote as
    part of the text.
    """
    return f"'{cell}" if cell.lstrip(" ").startswith(FORMULA_STARTS) else cell


def write_csv(header: Sequence[str], rows: Iterable[Mapping[str, str]]) -> str:
    """Return a CSV document: the header row, then one line per row, missing cells empty.

    Every cell is made inert (see `inert`).
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: inert(str(value)) for key, value in row.items()} for row in rows)
    return buffer.getvalue()
