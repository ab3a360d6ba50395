"""Azure DevOps test case CSV, as Azure Test Plans' bulk import reads it.

A test case is a row with an empty ID (a new work item), Work Item Type "Test Case" and its
Title; each of its steps follows on a row with ID, type and title empty and the step's number,
action and expected result. Azure's steps have no data field, so data joins the action.
Azure's importer rejects titles over 128 characters. `State` takes a Test Case's own states:
Closed for an obsolete case (its criterion changed or went), Ready for an approved one, else
Design.
"""

from __future__ import annotations

from casewright.approval import approved_cases
from casewright.exports._text import action_with_data, case_name, one_line, write_csv
from casewright.models import Suite, TestCase

HEADER = ("ID", "Work Item Type", "Title", "Test Step", "Step Action", "Step Expected", "State")
_MAX_TITLE = 128


def render(suite: Suite) -> str:
    """Return the suite as an Azure DevOps test case CSV."""
    approved = {case.case_id for case in approved_cases(suite)}
    rows: list[dict[str, str]] = []
    for case in suite.cases:
        rows.append({"Work Item Type": "Test Case", "Title": _title(case_name(case)),
                     "State": _state(case, approved)})
        rows += [
            {
                "Test Step": str(number),
                "Step Action": action_with_data(step),
                "Step Expected": one_line(step.expected),
            }
            for number, step in enumerate(case.steps, start=1)
        ]
    return write_csv(HEADER, rows)


def _state(case: TestCase, approved: set[str]) -> str:
    if case.status == "obsolete":
        return "Closed"
    return "Ready" if case.case_id in approved else "Design"


def _title(name: str) -> str:
    return name if len(name) <= _MAX_TITLE else name[: _MAX_TITLE - 1] + "…"
