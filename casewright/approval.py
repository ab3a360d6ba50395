"""Which cases count as approved: those kept as exemplars and exported for fine-tuning.

A case is approved when the reviewer left no finding on it and it is not the template wording
a case falls back to when the model never got it right (the writer labels it "scaffold").
"""

from __future__ import annotations

from casewright.models import Suite, TestCase

SCAFFOLD_LABEL = "scaffold"
"""The label of a case that kept the template wording because the model never got it right."""


def approved_cases(suite: Suite) -> list[TestCase]:
    """Return the cases the reviewer left no finding on and that are not template wording."""
    flagged = {finding.case_id for finding in suite.findings}
    return [case for case in suite.cases
            if case.case_id not in flagged and SCAFFOLD_LABEL not in case.labels]
