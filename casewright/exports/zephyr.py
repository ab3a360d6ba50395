"""Zephyr Scale CSV: one row per step, the test case's fields on its first row.

Zephyr Scale's importer starts a new test case at a row whose test fields are filled and adds
the following rows with empty test fields to it as further steps, the shape its own CSV export
writes. `Status` takes Zephyr's own statuses: Deprecated for an obsolete case (its criterion
changed or went), Approved for an approved one, else Draft.
"""

from __future__ import annotations

from casewright.approval import approved_cases
from casewright.exports._text import (
    case_name,
    labels,
    one_line,
    preconditions,
    step_rows,
    write_csv,
)
from casewright.models import Priority, Suite, TestCase

_STEP_COLUMNS = (
    "Test Script (Step-by-Step) - Step",
    "Test Script (Step-by-Step) - Test Data",
    "Test Script (Step-by-Step) - Expected Result",
)
HEADER = (
    "Name",
    "Objective",
    "Precondition",
    "Folder",
    "Status",
    "Priority",
    "Labels",
    "Coverage (Issues)",
    *_STEP_COLUMNS,
)
_PRIORITY: dict[Priority, str] = {
    "critical": "High",
    "high": "High",
    "medium": "Normal",
    "low": "Low",
}


def render(suite: Suite) -> str:
    """Return the suite as a Zephyr Scale test case CSV."""
    key = suite.story.key
    approved = {case.case_id for case in approved_cases(suite)}
    rows: list[dict[str, str]] = []
    for case in suite.cases:
        test = {
            "Name": case_name(case),
            "Objective": one_line(case.objective),
            "Precondition": preconditions(case),
            "Folder": f"/{key}",
            "Status": _status(case, approved),
            "Priority": _PRIORITY[case.priority],
            "Labels": labels(case),
            "Coverage (Issues)": key,
        }
        rows += step_rows(test, {}, case.steps, _STEP_COLUMNS)
    return write_csv(HEADER, rows)


def _status(case: TestCase, approved: set[str]) -> str:
    if case.status == "obsolete":
        return "Deprecated"
    return "Approved" if case.case_id in approved else "Draft"
