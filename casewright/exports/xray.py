"""Xray Test Case Importer CSV: one row per step, the test's fields on its first row.

Xray groups rows into one Test by the column mapped to its test id, here `Issue ID` (1..n in
the file); the other rows of a test repeat only that id and carry a step. Columns are mapped by
hand in the importer's wizard, so their names are free. The last column, `Tests`, holds the
story key: map it to the issue link "tests" (Issue Links, outward), the link by which an Xray
Test covers a requirement. Xray's own examples (Xray-App/tutorial-test-case-importer) map such
a column to that link: `Links` on Cloud (`__issuelink_outward_...`), `Requirement` on Server.
An import makes a Test of every row group and Xray has no status to mark one obsolete, so an
obsolete case (its criterion changed or went) is left out; the JSON and the report keep it.
"""

from __future__ import annotations

from casewright.exports._text import case_name, labels, preconditions, step_rows, write_csv
from casewright.models import Priority, Suite

HEADER = (
    "Issue ID",
    "Issue Key",
    "Test Type",
    "Test Summary",
    "Test Priority",
    "Action",
    "Data",
    "Result",
    "Test Repo",
    "Precondition",
    "Labels",
    "Tests",
)
_STEP_COLUMNS = ("Action", "Data", "Result")
_PRIORITY: dict[Priority, str] = {
    "critical": "Highest",
    "high": "High",
    "medium": "Medium",
    "low": "Low",
}


def render(suite: Suite) -> str:
    """Return the suite as an Xray Test Case Importer CSV."""
    key = suite.story.key
    rows: list[dict[str, str]] = []
    for issue_id, case in enumerate(suite.live_cases, start=1):
        test = {
            "Test Type": "Manual",
            "Test Summary": case_name(case),
            "Test Priority": _PRIORITY[case.priority],
            "Test Repo": f"/{key}",
            "Precondition": preconditions(case),
            "Labels": labels(case),
            "Tests": key,
        }
        rows += step_rows(test, {"Issue ID": str(issue_id)}, case.steps, _STEP_COLUMNS)
    return write_csv(HEADER, rows)
