"""TestRail XML: the suite as one section of "Test Case (Steps)" cases, as TestRail imports it.

TestRail's cases have no status to mark one obsolete, so an obsolete case (its criterion
changed or went) is left out; the JSON and the report keep it.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from casewright.exports._text import action_with_data, case_name, one_line, preconditions
from casewright.models import Suite, TestCase

_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
# Characters XML 1.0 cannot hold even escaped; ElementTree would write them as they are.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render(suite: Suite) -> str:
    """Return the suite as a TestRail XML import file."""
    story = suite.story
    name = one_line(f"{story.key} {story.summary}")
    root = ET.Element("suite")
    _add(root, "name", name)
    _add(root, "description", story.description)
    section = ET.SubElement(ET.SubElement(root, "sections"), "section")
    _add(section, "name", name)
    cases = ET.SubElement(section, "cases")
    for case in suite.live_cases:
        _add_case(cases, case)
    ET.indent(root)
    return _DECLARATION + ET.tostring(root, encoding="unicode") + "\n"


def _add_case(cases: ET.Element, case: TestCase) -> None:
    element = ET.SubElement(cases, "case")
    _add(element, "title", case_name(case))
    _add(element, "template", "Test Case (Steps)")
    _add(element, "type", "Acceptance")
    _add(element, "priority", case.priority.capitalize())
    _add(element, "estimate", "")
    _add(element, "references", case.story_key)
    custom = ET.SubElement(element, "custom")
    _add(custom, "preconds", preconditions(case))
    steps = ET.SubElement(custom, "steps_separated")
    for index, step in enumerate(case.steps, start=1):
        item = ET.SubElement(steps, "step")
        _add(item, "index", str(index))
        _add(item, "content", action_with_data(step))
        _add(item, "expected", one_line(step.expected))


def _add(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, tag).text = _NOT_XML.sub("", text)
