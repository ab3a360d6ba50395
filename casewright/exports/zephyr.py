"""Zephyr Scale CSV: one row per step, the test case's fields on its first row.

Zephyr Scale's importer starts a new test case at a row whose test fields are filled and adds
the following rows with empty test fields to it as further steps, the shape its own CSV export
writes.
"""

from __future__ import annotations

from casewright.exports._text import (
    case_name,
    labels,
    one_line,
    preconditions,
    step_rows,
    write_csv,
)
from casewright.models import Priority, Suite

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
    rows: list[dict[str, str]] = []
    for case in suite.cases:
        test = {
            "Name": case_name(case),
            "Objective": one_line(case.objective),
            "Precondition": preconditions(case),
            "Folder": f"/{key}",
            "Priority": _PRIORITY[case.priority],
            "Labels": labels(case),
            "Coverage (Issues)": key,
        }
        rows += step_rows(test, {}, case.steps, _STEP_COLUMNS)
    return write_csv(HEADER, rows)
