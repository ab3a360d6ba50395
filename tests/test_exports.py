"""The exporters, checked the way each tool's importer reads their files."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from gherkin.parser import Parser

from casewright.exports import EXPORTERS, get_exporter
from casewright.models import (
    AcceptanceCriterion,
    Finding,
    Provenance,
    Step,
    Story,
    Suite,
    TestCase,
)

KEY = "CC-101"
XRAY_HEADER = [
    "Issue ID", "Issue Key", "Test Type", "Test Summary", "Test Priority", "Action", "Data",
    "Result", "Test Repo", "Precondition", "Labels", "Tests",
]  # fmt: skip
ZEPHYR_STEP = "Test Script (Step-by-Step) - Step"
ZEPHYR_DATA = "Test Script (Step-by-Step) - Test Data"
ZEPHYR_EXPECTED = "Test Script (Step-by-Step) - Expected Result"
ZEPHYR_TEST_FIELDS = [
    "Name", "Objective", "Precondition", "Folder", "Status", "Priority", "Labels",
    "Coverage (Issues)",
]  # fmt: skip
ZEPHYR_HEADER = [*ZEPHYR_TEST_FIELDS, ZEPHYR_STEP, ZEPHYR_DATA, ZEPHYR_EXPECTED]
AZURE_HEADER = ["ID", "Work Item Type", "Title", "Test Step", "Step Action", "Step Expected",
                "State"]
NASTY_TITLE = 'Given a "quoted", comma\nsplit | piped # hashed <tag> & ünïcödé ✓'


def make_suite(cases: list[TestCase], findings: list[Finding] | None = None) -> Suite:
    """Build a suite for story CC-101 with three criteria, one of them Given/When/Then."""
    story = Story(
        key=KEY,
        summary="Apply a discount coupon at checkout",
        description="As a shopper I want coupons\nso that I pay less.",
        project="CC",
        criteria=[
            AcceptanceCriterion(criterion_id="AC1", text="A valid coupon reduces the total."),
            AcceptanceCriterion(
                criterion_id="AC2",
                text="Given an expired coupon When applied Then it is rejected per BR-12",
                given=["an expired coupon"],
                when=["applied"],
                then=["it is rejected per BR-12"],
                rule_ids=["BR-12"],
            ),
            AcceptanceCriterion(criterion_id="AC3", text="At most 5 coupons per order."),
        ],
    )
    moment = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    provenance = Provenance(
        tool_version="0.1.0", pipeline="agent", started_at=moment, finished_at=moment
    )
    return Suite(story=story, cases=cases, findings=findings or [], provenance=provenance)


def make_case(number: int, steps: list[Step], **fields: object) -> TestCase:
    """Build a case of story CC-101 numbered `number`."""
    defaults: dict[str, object] = {
        "title": f"Case {number}",
        "objective": f"Prove case {number}.",
        "criterion_ids": ["AC1"],
    }
    return TestCase.model_validate(
        {"case_id": f"{KEY}-TC{number:02d}", "story_key": KEY, "steps": steps, **defaults, **fields}
    )


@pytest.fixture
def suite() -> Suite:
    """Three cases of different kinds, one with three steps and data, and one finding."""
    return make_suite(
        [
            make_case(
                1,
                [
                    Step(action="Open the cart", expected="The cart lists one item"),
                    Step(action="Enter a coupon", data="SAVE10", expected="Coupon accepted"),
                    Step(action="Pay", data="card 4111", expected="Total is 10% lower"),
                ],
                title="Apply a valid coupon",
                priority="high",
                preconditions=["Shopper is signed in", "Cart holds one item"],
                criterion_ids=["AC1", "AC2"],
                rule_ids=["BR-12"],
                labels=["checkout", "smoke test"],
            ),
            make_case(
                2,
                [Step(action="Enter an expired coupon", data="OLD5", expected="Coupon rejected")],
                title="Reject an expired coupon",
                kind="negative",
                priority="critical",
                criterion_ids=["AC2"],
                rule_ids=["BR-12", "BR-13"],
            ),
            make_case(
                3,
                [
                    Step(action="Apply five coupons", expected="All five apply"),
                    Step(action="Apply a sixth coupon", expected="Sixth is refused"),
                ],
                title="Stop at five coupons",
                kind="boundary",
                priority="low",
                criterion_ids=["AC3"],
            ),
        ],
        findings=[
            Finding(
                check="weak-expected",
                message="Expected result | not observable",
                case_id=f"{KEY}-TC03",
            )
        ],
    )


@pytest.fixture
def empty_suite() -> Suite:
    """A story for which no case was written."""
    return make_suite([])


@pytest.fixture
def nasty_suite() -> Suite:
    """Cases whose text holds what breaks naive CSV, XML, Markdown and Gherkin writers."""
    return make_suite(
        [
            make_case(
                1,
                [
                    Step(
                        action="Feature: fake\nScenario: also fake",
                        data='say "hi", then | leave',
                        expected='"""\n| a | b |\n# not a comment',
                    ),
                    Step(action="@tag-looking action", expected="Then <b>bold</b> & done"),
                ],
                title=NASTY_TITLE,
                objective="Line one,\nline two",
                preconditions=["# starts with a hash", "@starts with an at", "multi\nline"],
                criterion_ids=["AC2", "custom criterion"],
                rule_ids=["BR 7"],
                labels=["two words", "@at"],
            ),
            make_case(2, [Step(action="Only step", expected="")], title="Given nothing"),
        ]
    )


@pytest.fixture(params=["suite", "empty_suite", "nasty_suite"])
def any_suite(request: pytest.FixtureRequest) -> Suite:
    """Each of the suites above in turn."""
    chosen: Suite = request.getfixturevalue(request.param)
    return chosen


def one_line(text: str) -> str:
    """Return text with its whitespace runs as single spaces, as the exporters write it."""
    return " ".join(text.split())


def read_csv(text: str) -> tuple[list[str], list[dict[str, str]]]:
    """Return the header and rows of a CSV document as an importer reads them."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def group(
    rows: list[dict[str, str]], starts: Callable[[dict[str, str]], bool]
) -> list[list[dict[str, str]]]:
    """Split rows into tests, a new test beginning at each row where `starts` holds."""
    tests: list[list[dict[str, str]]] = []
    for row in rows:
        if starts(row) or not tests:
            tests.append([])
        tests[-1].append(row)
    return tests


def parse_feature(text: str) -> dict[str, Any]:
    """Return the feature the official Cucumber parser reads from text, as plain data."""
    # gherkin-official's TypedDicts type a feature's children as envelopes; they are not.
    return cast(dict[str, Any], Parser().parse(text)["feature"])


def total_steps(suite: Suite) -> int:
    """Return how many steps the suite's cases hold."""
    return sum(len(case.steps) for case in suite.cases)


# Registry


def test_registry_lists_every_format_in_order_with_its_suffix() -> None:
    """The CLI finds each format by name, in order, with the suffix its files get."""
    assert [(e.name, e.suffix) for e in EXPORTERS.values()] == [
        ("json", ".json"),
        ("markdown", ".md"),
        ("gherkin", ".feature"),
        ("xray", ".xray.csv"),
        ("zephyr", ".zephyr.csv"),
        ("testrail", ".testrail.xml"),
        ("azure", ".azure.csv"),
        ("html", ".html"),
        ("jsonl", ".jsonl"),
    ]
    assert get_exporter("Gherkin") is EXPORTERS["gherkin"]


def test_unknown_format_names_itself_and_the_known_ones() -> None:
    """A mistyped format is named back to the user with the formats there are."""
    with pytest.raises(ValueError, match=r"'pdf'.*json, markdown, gherkin, xray"):
        get_exporter("pdf")


def test_every_format_names_the_story(suite: Suite, nasty_suite: Suite) -> None:
    """Every file traces to its story and ends with a newline."""
    for exporter in EXPORTERS.values():
        for text in (exporter.render(suite), exporter.render(nasty_suite)):
            assert KEY in text, exporter.name
            assert text.endswith("\n"), exporter.name


# JSON and Markdown


def test_json_loads_back_into_an_equal_suite(any_suite: Suite) -> None:
    """The JSON file loads back into the suite it was written from."""
    text = get_exporter("json").render(any_suite)
    assert Suite.model_validate_json(text) == any_suite


def test_markdown_shows_criteria_cases_findings_and_provenance(suite: Suite) -> None:
    """A reviewer sees criteria, each case with traces and steps, findings and provenance."""
    text = get_exporter("markdown").render(suite)
    assert text.startswith(f"# {KEY}: Apply a discount coupon at checkout\n")
    for case in suite.cases:
        assert f"### {case.case_id}: {case.title}" in text
    assert "- **AC2**: Given an expired coupon" in text
    assert "- Criteria: AC1, AC2" in text and "- Rules: BR-12" in text
    assert "| 2 | Enter a coupon | SAVE10 | Coupon accepted |" in text
    assert f"- **warning** `weak-expected` (case {KEY}-TC03): Expected result | not" in text
    assert "- Pipeline: agent" in text and "- Tool version: 0.1.0" in text
    assert "- Started: 2026-11-23T09:30:00+00:00" in text


def test_markdown_escapes_pipes_so_table_rows_keep_four_cells(nasty_suite: Suite) -> None:
    """A pipe in a step stays inside its table cell."""
    text = get_exporter("markdown").render(nasty_suite)
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert len(rows) == 2 * len(nasty_suite.cases) + total_steps(nasty_suite)
    for row in rows:
        assert len(re.split(r"(?<!\\)\|", row)) == 6, row
    assert r'say "hi", then \| leave' in text


def test_markdown_says_when_there_is_nothing(empty_suite: Suite) -> None:
    """An empty suite says it has no cases and no findings."""
    text = get_exporter("markdown").render(empty_suite)
    assert "## Test cases\n\nNone." in text
    assert "## Open findings\n\nNone." in text


# Gherkin


def test_gherkin_tags_story_scenarios_criteria_kinds_and_rules(suite: Suite) -> None:
    """Cucumber reads one tagged scenario per case under the story's tagged feature."""
    feature = parse_feature(get_exporter("gherkin").render(suite))
    assert [tag["name"] for tag in feature["tags"]] == [f"@{KEY}"]
    assert feature["name"] == f"{KEY} Apply a discount coupon at checkout"
    scenarios = [child["scenario"] for child in feature["children"]]
    assert [s["name"] for s in scenarios] == [case.title for case in suite.cases]
    assert [[tag["name"] for tag in s["tags"]] for s in scenarios] == [
        [f"@{KEY}-TC01", "@AC-1", "@AC-2", "@positive", "@BR-12"],
        [f"@{KEY}-TC02", "@AC-2", "@negative", "@BR-12", "@BR-13"],
        [f"@{KEY}-TC03", "@AC-3", "@boundary"],
    ]


def test_gherkin_writes_preconditions_actions_and_results_in_order(suite: Suite) -> None:
    """Preconditions become Given/And, each step a When (with its data) and a Then.

    A leading capital is lowered so the step reads on after its keyword.
    """
    feature = parse_feature(get_exporter("gherkin").render(suite))
    steps = feature["children"][0]["scenario"]["steps"]
    assert [(s["keyword"].strip(), s["text"]) for s in steps] == [
        ("Given", "shopper is signed in"),
        ("And", "cart holds one item"),
        ("When", "open the cart"),
        ("Then", "the cart lists one item"),
        ("When", 'enter a coupon with data "SAVE10"'),
        ("Then", "coupon accepted"),
        ("When", 'pay with data "card 4111"'),
        ("Then", "total is 10% lower"),
    ]


def test_gherkin_keeps_nasty_text_inside_its_steps(nasty_suite: Suite) -> None:
    """Text that looks like Gherkin syntax stays step text, on one line."""
    feature = parse_feature(get_exporter("gherkin").render(nasty_suite))
    first, second = (child["scenario"] for child in feature["children"])
    assert first["name"] == one_line(NASTY_TITLE)
    assert second["name"] == "Given nothing"
    assert [tag["name"] for tag in first["tags"]] == [
        f"@{KEY}-TC01", "@AC-2", "@custom_criterion", "@positive", "@BR_7",
    ]  # fmt: skip
    assert [(s["keyword"].strip(), s["text"]) for s in first["steps"]] == [
        ("Given", "# starts with a hash"),
        ("And", "@starts with an at"),
        ("And", "multi line"),
        ("When", 'feature: fake Scenario: also fake with data "say "hi", then | leave"'),
        ("Then", '""" | a | b | # not a comment'),
        ("When", "@tag-looking action"),
        ("Then", "then <b>bold</b> & done"),
    ]
    assert [(s["keyword"].strip(), s["text"]) for s in second["steps"]] == [("When", "only step")]


def test_gherkin_of_an_empty_suite_is_a_feature_that_says_so(empty_suite: Suite) -> None:
    """A story without cases still gives a feature file Cucumber parses."""
    feature = parse_feature(get_exporter("gherkin").render(empty_suite))
    assert [tag["name"] for tag in feature["tags"]] == [f"@{KEY}"]
    assert feature["children"] == []
    assert "No test cases" in feature["description"]


# Xray


def test_xray_groups_each_test_by_issue_id_with_its_fields_on_the_first_row(
    suite: Suite,
) -> None:
    """Xray reads one test per Issue ID, its fields on the first row, steps in order."""
    header, rows = read_csv(get_exporter("xray").render(suite))
    assert header == XRAY_HEADER
    assert len(rows) == total_steps(suite)
    tests = group(rows, lambda row: bool(row["Test Summary"]))
    assert [test[0]["Issue ID"] for test in tests] == ["1", "2", "3"]
    assert len({row["Issue ID"] for row in rows}) == len(suite.cases)
    for test, case in zip(tests, suite.cases, strict=True):
        assert {row["Issue ID"] for row in test} == {test[0]["Issue ID"]}
        assert [(r["Action"], r["Data"], r["Result"]) for r in test] == [
            (s.action, s.data, s.expected) for s in case.steps
        ]
        first = test[0]
        assert first["Test Type"] == "Manual"
        assert first["Test Summary"] == f"{case.case_id}: {case.title}"
        assert first["Test Repo"] == f"/{KEY}"
        assert first["Tests"] == KEY
        assert first["Precondition"] == "\n".join(case.preconditions)
        assert all(row["Issue Key"] == "" for row in test)
        step_fields = {"Issue ID", "Action", "Data", "Result"}
        assert all(v == "" for row in test[1:] for k, v in row.items() if k not in step_fields)
    assert [test[0]["Test Priority"] for test in tests] == ["High", "Highest", "Low"]
    assert tests[0][0]["Labels"] == "checkout smoke_test positive"


# Zephyr Scale


def test_zephyr_starts_a_test_at_each_filled_name_and_continues_with_steps(
    suite: Suite,
) -> None:
    """Zephyr Scale reads a test per filled Name row, later rows adding its steps."""
    header, rows = read_csv(get_exporter("zephyr").render(suite))
    assert header == ZEPHYR_HEADER
    assert len(rows) == total_steps(suite)
    tests = group(rows, lambda row: bool(row["Name"]))
    assert len(tests) == len(suite.cases)
    for test, case in zip(tests, suite.cases, strict=True):
        assert [(r[ZEPHYR_STEP], r[ZEPHYR_DATA], r[ZEPHYR_EXPECTED]) for r in test] == [
            (s.action, s.data, s.expected) for s in case.steps
        ]
        first = test[0]
        assert first["Name"] == f"{case.case_id}: {case.title}"
        assert first["Objective"] == case.objective
        assert first["Folder"] == f"/{KEY}"
        assert first["Coverage (Issues)"] == KEY
        assert all(row[field] == "" for row in test[1:] for field in ZEPHYR_TEST_FIELDS)
    assert [test[0]["Priority"] for test in tests] == ["High", "High", "Low"]
    assert tests[0][0]["Precondition"] == "Shopper is signed in\nCart holds one item"


# Azure DevOps


def test_azure_writes_a_test_case_row_then_its_numbered_step_rows(suite: Suite) -> None:
    """Azure reads a Test Case row per case, then its numbered step rows."""
    header, rows = read_csv(get_exporter("azure").render(suite))
    assert header == AZURE_HEADER
    assert all(row["ID"] == "" for row in rows)
    tests = group(rows, lambda row: row["Work Item Type"] == "Test Case")
    assert len(tests) == len(suite.cases)
    assert len(rows) == len(suite.cases) + total_steps(suite)
    for (test_row, *step_rows), case in zip(tests, suite.cases, strict=True):
        assert test_row["Title"] == f"{case.case_id}: {case.title}"
        assert test_row["Test Step"] == test_row["Step Action"] == test_row["Step Expected"] == ""
        assert all(r["Work Item Type"] == r["Title"] == "" for r in step_rows)
        assert [r["Test Step"] for r in step_rows] == [
            str(n) for n in range(1, len(case.steps) + 1)
        ]
        assert [r["Step Expected"] for r in step_rows] == [s.expected for s in case.steps]
    assert [r["Step Action"] for r in tests[0][1:]] == [
        "Open the cart",
        "Enter a coupon (data: SAVE10)",
        "Pay (data: card 4111)",
    ]


def test_azure_shortens_titles_to_its_importers_limit() -> None:
    """A title over Azure's 128 characters is cut, not rejected by the import."""
    case = make_case(1, [Step(action="Act", expected="See")], title="x" * 200)
    _, rows = read_csv(get_exporter("azure").render(make_suite([case])))
    assert len(rows[0]["Title"]) == 128
    assert rows[0]["Title"].startswith(f"{KEY}-TC01: xxx")


# All CSVs


@pytest.mark.parametrize("name", ["xray", "zephyr", "azure"])
def test_csv_cells_survive_nasty_text_on_one_line_except_preconditions(
    name: str, nasty_suite: Suite
) -> None:
    """Quotes, commas and newlines survive CSV; only Precondition spans lines."""
    _, rows = read_csv(get_exporter(name).render(nasty_suite))
    cells = [(column, value) for row in rows for column, value in row.items()]
    assert len(cells) == len(rows) * len(rows[0])
    assert all("\n" not in value for column, value in cells if column != "Precondition")
    assert f"{KEY}-TC01: {one_line(NASTY_TITLE)}" in {value for _, value in cells}


@pytest.mark.parametrize(
    ("name", "header"), [("xray", XRAY_HEADER), ("zephyr", ZEPHYR_HEADER), ("azure", AZURE_HEADER)]
)
def test_csv_of_an_empty_suite_is_its_header_alone(
    name: str, header: list[str], empty_suite: Suite
) -> None:
    """A story without cases gives a CSV with its header and no rows."""
    assert get_exporter(name).render(empty_suite) == ",".join(header) + "\n"


def test_csv_keeps_each_precondition_on_its_own_line(nasty_suite: Suite) -> None:
    """Each precondition is one line of the cell; labels hold no spaces."""
    _, rows = read_csv(get_exporter("xray").render(nasty_suite))
    assert rows[0]["Precondition"].split("\n") == [
        "# starts with a hash",
        "@starts with an at",
        "multi line",
    ]
    assert rows[0]["Labels"] == "two_words _at positive"


# TestRail


def test_testrail_writes_one_case_per_test_with_steps_in_order(suite: Suite) -> None:
    """TestRail reads one case per test, referencing the story, steps in order."""
    text = get_exporter("testrail").render(suite)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<suite>')
    root = ET.fromstring(text.encode("utf-8"))
    assert root.findtext("name") == f"{KEY} Apply a discount coupon at checkout"
    assert root.findtext("description") == suite.story.description
    cases = root.findall("sections/section/cases/case")
    assert len(cases) == len(suite.cases)
    for element, case in zip(cases, suite.cases, strict=True):
        assert element.findtext("title") == f"{case.case_id}: {case.title}"
        assert element.findtext("references") == KEY
        assert element.findtext("template") == "Test Case (Steps)"
        assert element.findtext("priority") == case.priority.capitalize()
        assert element.findtext("custom/preconds") == "\n".join(case.preconditions)
        steps = element.findall("custom/steps_separated/step")
        assert [s.findtext("index") for s in steps] == [
            str(n) for n in range(1, len(case.steps) + 1)
        ]
        assert [s.findtext("expected") for s in steps] == [s.expected for s in case.steps]
    contents = [s.findtext("content") for s in cases[0].findall("custom/steps_separated/step")]
    assert contents == ["Open the cart", "Enter a coupon (data: SAVE10)", "Pay (data: card 4111)"]


def test_testrail_escapes_nasty_text_and_drops_what_xml_cannot_hold(
    nasty_suite: Suite,
) -> None:
    """Markup characters round-trip and control characters do not break the XML."""
    case = make_case(3, [Step(action="Bell\x07 rings", expected="ok")], title="Form\x0cfeed")
    nasty = nasty_suite.model_copy(update={"cases": [*nasty_suite.cases, case]})
    root = ET.fromstring(get_exporter("testrail").render(nasty).encode("utf-8"))
    cases = root.findall("sections/section/cases/case")
    assert [c.findtext("title") for c in cases] == [
        f"{KEY}-TC01: {one_line(NASTY_TITLE)}",
        f"{KEY}-TC02: Given nothing",
        f"{KEY}-TC03: Form feed",
    ]
    first_step = cases[0].find("custom/steps_separated/step")
    assert first_step is not None
    assert first_step.findtext("expected") == '""" | a | b | # not a comment'
    assert cases[2].findtext("custom/steps_separated/step/content") == "Bell rings"


def test_testrail_of_an_empty_suite_has_a_section_without_cases(empty_suite: Suite) -> None:
    """A story without cases still gives a well-formed suite."""
    root = ET.fromstring(get_exporter("testrail").render(empty_suite).encode("utf-8"))
    assert root.find("sections/section/cases") is not None
    assert root.findall("sections/section/cases/case") == []


def test_no_format_carries_a_control_character_from_the_story() -> None:
    """NUL and BEL pasted into a story, its criteria and a case reach no export; the words
    around them do, and every file still reads as its format."""
    from casewright.agents.fixed_pipeline import run_fixed
    from casewright.config import load_settings

    story = Story(key=KEY, summary="Re\x00fund\x07 on request", project="CC",
                  description="As a shopper\x07 I want\x00 refunds.\r\nSo that I pay less.",
                  criteria=[AcceptanceCriterion(
                      criterion_id="AC1", text="Given a paid\x00 order When I ask\x07 for a "
                      "refund Then the refund\x1b[31m is shown", given=["a paid\x00 order"],
                      when=["I ask\x07 for a refund"], then=["the refund\x1b[31m is shown"])])
    fixed = run_fixed(story, load_settings())
    suite = fixed.model_copy(update={"cases": [fixed.cases[0].model_copy(update={
        "title": "Bell\x07 and\x00 null", "labels": ["x\x00y"]})]})
    for exporter in EXPORTERS.values():
        text = exporter.render(suite)
        controls = {c for c in text if ord(c) < 32 and c not in "\t\n" or 127 <= ord(c) < 160}
        assert not controls, (exporter.name, controls)
        assert not re.search(r"\\u00[01][0-9a-f]", text), exporter.name  # nor escaped
        assert "ask for a refund" in text, exporter.name
        assert "Bell and null" in text or exporter.name == "jsonl", exporter.name  # no title
    assert json.loads(get_exporter("json").render(suite))["story"]["summary"] == \
        "Refund on request"
    assert parse_feature(get_exporter("gherkin").render(suite))["name"]
    ET.fromstring(get_exporter("testrail").render(suite).encode("utf-8"))
    for name in ("xray", "zephyr", "azure"):
        rows = list(csv.reader(io.StringIO(get_exporter(name).render(suite))))
        assert any("Bell and null" in cell for row in rows for cell in row), name
