"""Azure DevOps test case CSV, as Azure Test Plans' bulk import reads it.

A test case is a row with an empty ID (a new work item), Work Item Type "Test Case" and its
Title; each of its steps follows on a row with ID, type and title empty and the step's number,
action and expected result. Azure's steps have no data field, so data joins the action.
Azure's importer rejects titles over 128 characters.
"""

from __future__ import annotations

from casewright.exports._text import action_with_data, case_name, one_line, write_csv
from casewright.models import Suite

HEADER = ("ID", "Work Item Type", "Title", "Test Step", "Step Action", "Step Expected")
_MAX_TITLE = 128


def render(suite: Suite) -> str:
    """Return the suite as an Azure DevOps test case CSV."""
    rows: list[dict[str, str]] = []
    for case in suite.cases:
        rows.append({"Work Item Type": "Test Case", "Title": _title(case_name(case))})
        rows += [
            {
                "Test Step": str(number),
                "Step Action": action_with_data(step),
                "Step Expected": one_line(step.expected),
            }
            for number, step in enumerate(case.steps, start=1)
        ]
    return write_csv(HEADER, rows)


def _title(name: str) -> str:
    return name if len(name) <= _MAX_TITLE else name[: _MAX_TITLE - 1] + "…"
