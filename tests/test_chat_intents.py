"""Routing chat lines to intents: the common phrasings without a model, the rest to the model.

The model fallback is driven by a scripted chat model (tests/scripted_model.py) answering the
classification as the real one might: right, wrong-shaped, "unknown", or not at all.
"""

from __future__ import annotations

import pytest
from scripted_model import ScriptedChatModel

from casewright.chat.classify import Guess, classify
from casewright.chat.intents import (
    AddCase,
    AmendCase,
    Approve,
    Explain,
    Export,
    Reject,
    Show,
    Simple,
    WriteCases,
)
from casewright.chat.routing import route
from casewright.config import load_settings
from casewright.errors import InputError, ModelOutputError
from casewright.tools.workspace import Workspace, bundled_sample


@pytest.mark.parametrize(("line", "expected"), [
    ("write UAT cases for CC-101", WriteCases(story_key="CC-101")),
    ("Please generate test cases for cc-205", WriteCases(story_key="CC-205")),
    ("can you draft the suite for CC-103?", WriteCases(story_key="CC-103")),
    ("CC-102", WriteCases(story_key="CC-102")),
    ("work on CC-104 please", WriteCases(story_key="CC-104")),
    ("add a negative case for AC2", AddCase(criterion_id="AC2", case_kind="negative")),
    ("Add another boundary test for acceptance criterion 3 at 3 extensions",
     AddCase(criterion_id="AC3", case_kind="boundary", condition="3 extensions")),
    ("I need a role scenario for AC 4 where a team leader approves",
     AddCase(criterion_id="AC4", case_kind="role", condition="a team leader approves")),
    ("write an unhappy path case for criterion two",
     AddCase(criterion_id="AC2", case_kind="negative")),
    ("make case 3 a boundary test at 30 days",
     AmendCase(case_number=3, case_kind="boundary", condition="30 days")),
    ("change test 2 into a negative case",
     AmendCase(case_number=2, case_kind="negative")),
    ("turn TC4 into an edge case with £500.01",
     AmendCase(case_number=4, case_kind="boundary", condition="£500.01")),
    ("case five should be a data test for a bad postcode",
     AmendCase(case_number=5, case_kind="data", condition="a bad postcode")),
    ("why does case 2 cite BR-12?", Explain(case_number=2, rule_id="BR-12")),
    ("Why does case 2 of CC-102 cite br-12", Explain(case_number=2, rule_id="BR-12")),
    ("explain case 4", Explain(case_number=4)),
    ("what is BR-7?", Explain(rule_id="BR-7")),
    ("where does BR-9 come from", Explain(rule_id="BR-9")),
    ("show the suite", Show()),
    ("show me all the cases", Show()),
    ("list cases", Show()),
    ("show case 2", Show(case_number=2)),
    ("display test case #3", Show(case_number=3)),
    ("show CC-101", Show(story_key="CC-101")),
    ("show findings", Simple(action="findings")),
    ("list the stories", Simple(action="stories")),
    ("approve all", Approve()),
    ("approve them all!", Approve()),
    ("approve", Approve()),
    ("approve cases 1, 3 and 4", Approve(case_numbers=[1, 3, 4])),
    ("reject case 3 because it never enters a date",
     Reject(case_number=3, reason="it never enters a date")),
    ("export as xray", Export(format="xray")),
    ("export the suite to gherkin", Export(format="gherkin")),
    ("export json to out/suite.json", Export(format="json", path="out/suite.json")),
    ("help", Simple(action="help")),
    ("done", Simple(action="done")),
    ("that's all", Simple(action="done")),
    ("quit", Simple(action="quit")),
])
def test_common_phrasings_route_without_a_model(line, expected) -> None:
    """Each common phrasing becomes its typed intent."""
    assert route(line) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("/help", Simple(action="help")),
    ("/stories", Simple(action="stories")),
    ("/show", Show()),
    ("/show 2", Show(case_number=2)),
    ("/show cc-102", Show(story_key="CC-102")),
    ("/approve", Approve()),
    ("/approve all", Approve()),
    ("/approve 2 5", Approve(case_numbers=[2, 5])),
    ("/reject 3 steps are vague", Reject(case_number=3, reason="steps are vague")),
    ("/export XRAY", Export(format="xray")),
    ("/export json out/x.json", Export(format="json", path="out/x.json")),
    ("/findings", Simple(action="findings")),
    ("/done", Simple(action="done")),
    ("/quit", Simple(action="quit")),
    ("/exit", Simple(action="quit")),
])
def test_slash_commands(line, expected) -> None:
    """Each slash command becomes its typed intent."""
    assert route(line) == expected


@pytest.mark.parametrize(("line", "message"), [
    ("/reject 3", "/reject needs a case number and a reason"),
    ("/reject three bad", "/reject needs a case number and a reason"),
    ("/approve some", "/approve takes case numbers or 'all'"),
    ("/show the lot", "/show takes a case number or a story key"),
    ("/export", "/export needs a format"),
    ("/push jira", "/push takes only 'dry-run'"),
    ("reject case 3", "rejecting case 3 needs a reason"),
])
def test_malformed_commands_say_what_is_wrong_and_what_to_do(line, message) -> None:
    """A malformed command is one InputError line with a hint."""
    with pytest.raises(InputError) as error:
        route(line)
    assert error.value.one_line().startswith(message)
    assert error.value.hint


@pytest.mark.parametrize("line", [
    "hello there",
    "what about CC-101 and CC-102?",
    "the third one looks wrong to me",
    "approve the tone of voice",
    "can we cover late fees better",
    "what's in the suite",
])
def test_everything_else_falls_through_to_the_model(line) -> None:
    """Lines no pattern knows are left to the model."""
    assert route(line) is None


def test_every_intent_says_what_was_understood() -> None:
    """The session prints these words before acting."""
    assert route("make case 3 a boundary test at 30 days").describe() == \
        "make case 3 a boundary test (30 days)"
    assert route("add a negative case for AC2").describe() == "add a negative case for AC2"
    assert route("why does case 2 cite BR-12?").describe() == "explain why case 2 cites BR-12"
    assert route("write UAT cases for CC-101").describe() == "write cases for CC-101"
    assert route("approve all").describe() == "approve every undecided case"


@pytest.fixture(scope="module")
def story():
    """The sample story CC-102, parsed from the bundled workspace."""
    return Workspace(bundled_sample(), load_settings(bundled_sample())).jira.get_story("CC-102")


def test_the_model_reads_what_the_patterns_miss(story) -> None:
    """The model's guess becomes an intent; the request goes in a tag after the story."""
    model = ScriptedChatModel(script=lambda schema, prompt: Guess(
        action="add", criterion_id="ac3", kind="negative", condition="a second waiver"))
    intent = classify(model, "could we also cover AC3 failing on a second waiver", story)
    assert intent == AddCase(criterion_id="AC3", case_kind="negative",
                             condition="a second waiver")
    prompt = model.asked("Guess")[0]
    assert "<request>\ncould we also cover AC3" in prompt and "CC-102: " in prompt


@pytest.mark.parametrize("guess", [
    Guess(action="unknown"),
    Guess(action="add", criterion_id="AC3"),  # no kind
    Guess(action="amend", kind="boundary"),  # no case number
    Guess(action="write", story_key="the story"),  # not an issue key
    Guess(action="explain"),  # neither case nor rule
])
def test_a_guess_without_what_its_action_needs_is_not_acted_on(guess, story) -> None:
    """A guess missing a needed field is 'not understood', never a half action."""
    model = ScriptedChatModel(script=lambda schema, prompt: guess)
    assert classify(model, "something vague", story) is None


def test_a_model_that_fails_to_answer_means_not_understood(story) -> None:
    """No valid answer from the model: not understood."""
    def failing(schema, prompt):
        raise ModelOutputError("no JSON", raw_output="{", attempts=2)

    assert classify(ScriptedChatModel(script=failing), "hmm", story) is None
