"""The JSONL export: approved cases as chat-format fine-tuning records (OpenAI / TRL shape)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from casewright.exports import get_exporter
from casewright.models import (
    AcceptanceCriterion,
    Finding,
    Provenance,
    Source,
    Step,
    Story,
    Suite,
    TestCase,
)
from casewright.prompts import system_prompt

NASTY = 'He said "stop"\nthen left \\ ✓ </story>'


def case(number: int, **fields: object) -> TestCase:
    defaults: dict[str, object] = {
        "title": f"AC1 positive: case {number}", "objective": f"Prove case {number}.",
        "criterion_ids": ["AC1"], "steps": [Step(action="Open the bill", data="£12.00",
                                                 expected="The fee shows")]}
    return TestCase.model_validate(
        {"case_id": f"CC-102-TC{number:02d}", "story_key": "CC-102", **defaults, **fields})


@pytest.fixture
def suite() -> Suite:
    """Five cases: two approved, one with an open finding, one scaffold, one approved nasty."""
    moment = datetime(2026, 11, 23, tzinfo=UTC)
    story = Story(key="CC-102", summary="Waive late payment fees", project="CC",
                  description="As an agent I want to waive fees.",
                  criteria=[AcceptanceCriterion(criterion_id="AC1", text="Fees show on the bill"),
                            AcceptanceCriterion(criterion_id="AC2", text="One waiver a year "
                                                "(BR-12)", rule_ids=["BR-12"])])
    cases = [case(1), case(2, kind="negative", criterion_ids=["AC2"], rule_ids=["BR-12"],
                           preconditions=["A fee was waived last month"]),
             case(3), case(4, labels=["scaffold"]), case(5, title=NASTY, objective=NASTY)]
    return Suite(story=story, cases=cases,
                 findings=[Finding(check="weak-expected", message="vague", case_id="CC-102-TC03"),
                           Finding(check="no-role-case", message="none", criterion_id="AC2")],
                 sources=[Source(source_id="BR-12", kind="rule", title="Fees",
                                 text="BR-12: one waiver in 12 months without approval."),
                          Source(source_id="BR-40", kind="rule", title="Other", text="unrelated")],
                 provenance=Provenance(tool_version="0.1.0", pipeline="agent",
                                       started_at=moment, finished_at=moment))


def records(suite: Suite) -> list[dict]:
    text = get_exporter("jsonl").render(suite)
    assert text.endswith("\n") and "\n\n" not in text
    return [json.loads(line) for line in text.splitlines()]


def test_only_approved_cases_become_records(suite: Suite) -> None:
    written = [TestCase.model_validate({**json.loads(r["messages"][2]["content"]),
                                        "case_id": "x", "story_key": "CC-102"})
               for r in records(suite)]
    assert [c.title for c in written] == [suite.cases[i].title for i in (0, 1, 4)]


def test_each_record_is_system_user_assistant_in_chat_format(suite: Suite) -> None:
    system = system_prompt(suite.story.project_name or suite.story.project)
    assert "agent desktop" not in system.lower()
    for record in records(suite):
        assert list(record) == ["messages"]
        messages = record["messages"]
        assert [m["role"] for m in messages] == ["system", "user", "assistant"]
        assert all(set(m) == {"role", "content"} and isinstance(m["content"], str)
                   for m in messages)
        assert messages[0]["content"] == system
        assert messages[1]["content"].startswith("<story>\nCC-102: Waive late payment fees\n")


def test_assistant_message_is_the_case_without_bookkeeping(suite: Suite) -> None:
    second = records(suite)[1]["messages"]
    answer = json.loads(second[2]["content"])
    assert "case_id" not in answer and "story_key" not in answer and "labels" not in answer
    rebuilt = TestCase.model_validate({**answer, "case_id": "CC-102-TC02", "story_key": "CC-102"})
    assert rebuilt == suite.cases[1]
    user = second[1]["content"]
    assert "<evidence>\nBR-12 (Fees): BR-12: one waiver" in user and "BR-40" not in user
    assert user.endswith("AC2: One waiver a year (BR-12)\nWhat the case must show: Prove case 2."
                         "\nReply with JSON only.")
    assert "write one negative UAT test case for AC2" in user


def test_nasty_text_survives_one_line_per_record(suite: Suite) -> None:
    last = records(suite)[-1]["messages"]
    assert json.loads(last[2]["content"])["title"] == NASTY
    assert "(none found)" in last[1]["content"]


def test_a_suite_without_approved_cases_writes_nothing(suite: Suite) -> None:
    flagged = [Finding(check="x", message="y", case_id=c.case_id) for c in suite.cases]
    assert get_exporter("jsonl").render(suite.model_copy(update={"findings": flagged})) == ""
