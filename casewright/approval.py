"""Which cases count as approved: those kept as exemplars, pushed to Jira and exported for SFT.

Without a person's word, a case is approved when the reviewer left no finding on it and it is
not the template wording a case falls back to when the model never got it right (labelled
"scaffold"). A person's decision (in a chat session) overrides that: a case labelled
"approved" is approved whatever the reviewer said, and one labelled "rejected" never is.
An obsolete case (see `casewright.living`) is never approved.
"""

from __future__ import annotations

from pathlib import Path

from casewright.files import write_atomic
from casewright.keys import parse_issue_key
from casewright.models import Suite, TestCase

SCAFFOLD_LABEL = "scaffold"
"""The label of a case that kept the template wording because the model never got it right."""
ENGINE_LABEL = "engine-wording"
"""The label of a case worded by the test-design engine."""
MODEL_LABEL = "model-wording"
"""The label of a case the model reworded and code kept."""
APPROVED_LABEL = "approved"
"""The label a person's approval puts on a case."""
REJECTED_LABEL = "rejected"
"""The label a person's rejection puts on a case."""


def is_approved(case: TestCase, flagged: set[str]) -> bool:
    """Whether a case is approved, given the ids of the cases with open findings.

    An obsolete case (its criterion changed or went) never is, whatever it was before.
    """
    if REJECTED_LABEL in case.labels or case.status == "obsolete":
        return False
    if APPROVED_LABEL in case.labels:
        return True
    return case.case_id not in flagged and SCAFFOLD_LABEL not in case.labels


def approved_cases(suite: Suite) -> list[TestCase]:
    """Return the suite's approved cases, in suite order."""
    flagged = {finding.case_id for finding in suite.findings if finding.case_id}
    return [case for case in suite.cases if is_approved(case, flagged)]


def decide(case: TestCase, approve: bool) -> TestCase:
    """Return the case with a person's decision on it (the opposite decision removed)."""
    drop = REJECTED_LABEL if approve else APPROVED_LABEL
    keep = APPROVED_LABEL if approve else REJECTED_LABEL
    labels = [label for label in case.labels if label not in {drop, keep}]
    return case.model_copy(update={"labels": [*labels, keep]})


def keep_approved(folder: Path, suite: Suite) -> list[TestCase]:
    """Save a suite's approved cases as `<folder>/<KEY>.json`; return them."""
    cases = approved_cases(suite)
    folder.mkdir(parents=True, exist_ok=True)
    text = "[\n" + ",\n".join(case.model_dump_json(indent=2) for case in cases) + "\n]\n"
    write_atomic(folder / f"{parse_issue_key(suite.story.key)}.json", text)
    return cases
