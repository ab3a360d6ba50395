"""Gherkin: one Feature per story, one tagged Scenario per case.

Every text is flattened to one line and placed after a keyword (`Feature:`, `Scenario:`,
`Given`...), so nothing a story or a model wrote can start a line the Cucumber parser reads
as a comment, a table, a doc string, a tag or a keyword. An obsolete case (its criterion
changed or went) stays, tagged `@obsolete`: run `--tags "not @obsolete"` to leave it out.
"""

from __future__ import annotations

import re

from casewright.exports._text import one_line, token
from casewright.models import Suite, TestCase
from casewright.wording import lower_first

_CRITERION_ID = re.compile(r"AC-?(\d+)", re.IGNORECASE)


def render(suite: Suite) -> str:
    """Return the suite as a Gherkin feature file."""
    story = suite.story
    lines = [f"@{token(story.key)}", f"Feature: {one_line(f'{story.key} {story.summary}')}"]
    if not suite.cases:
        lines.append("  No test cases were written for this story.")
    for case in suite.cases:
        lines += ["", f"  {' '.join(_tags(case))}", f"  Scenario: {one_line(case.title)}"]
        lines += [f"    {step}" for step in _steps(case)]
    return "\n".join(lines) + "\n"


def _tags(case: TestCase) -> list[str]:
    names = [case.case_id, *map(_criterion_tag, case.criterion_ids), case.kind, *case.rule_ids,
             *(["obsolete"] if case.status == "obsolete" else [])]
    tokens = (token(name) for name in names)
    return [f"@{tag}" for tag in dict.fromkeys(tag for tag in tokens if tag)]


def _criterion_tag(criterion_id: str) -> str:
    match = _CRITERION_ID.fullmatch(criterion_id.strip())
    return f"AC-{match.group(1)}" if match else criterion_id


def _steps(case: TestCase) -> list[str]:
    clauses = [("Given", text) for text in case.preconditions]
    for step in case.steps:
        data = f' with data "{one_line(step.data)}"' if step.data.strip() else ""
        clauses += [("When", step.action + data), ("Then", step.expected)]
    lines: list[str] = []
    previous = None
    for keyword, text in clauses:
        if text := one_line(text):
            lines.append(f"{'And' if keyword == previous else keyword} {lower_first(text)}")
            previous = keyword
    return lines
