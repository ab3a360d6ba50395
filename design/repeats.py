"""Criteria a story states more than once: one set of cases for them all, and a finding.

A story that lists the same criterion three times (pasted twice, or the same wording under
two scenario names) would otherwise get three identical sets of cases, and a push would
create the redundant tests in Jira. The first statement is planned; its cases trace to every
repeat too, so coverage stays whole, and a finding names the repeats for someone to remove.
"""

from __future__ import annotations

from casewright.models import Finding, Story
from casewright.tools.criteria import repeated_criteria
from casewright.wording import headline


def repeat_ids(story: Story) -> set[str]:
    """Return the ids of the criteria that repeat an earlier one: they get no cases of their own."""
    return {cid for repeats in repeated_criteria(story.criteria).values() for cid in repeats}


def traced_ids(story: Story, criterion_id: str) -> list[str]:
    """Return what a case of a criterion traces to: the criterion and its repeats."""
    return [criterion_id, *repeated_criteria(story.criteria).get(criterion_id, [])]


def repeat_findings(story: Story) -> list[Finding]:
    """Return one finding per repeated criterion, naming the ids that repeat it."""
    texts = {c.criterion_id: c.text for c in story.criteria}
    findings = []
    for original, repeats in repeated_criteria(story.criteria).items():
        names = ", ".join(repeats[:-1]) + f" and {repeats[-1]}" if len(repeats) > 1 \
            else repeats[0]
        verb = "repeat" if len(repeats) > 1 else "repeats"
        findings.append(Finding(
            check="repeated", criterion_id=original, severity="warning",
            message=f"{names} {verb} {original} ('{headline(texts[original], 60)}'): one set "
                    f"of cases traces to all of them; remove the repeats from {story.key} or "
                    "say how they differ"))
    return findings
