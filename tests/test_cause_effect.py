"""Cause-effect trees: conditions joined by and and or expect what the tree gives, every time.

CiRA's sentences and test suites are those of JulianFrattini/cira (Apache-2.0),
`static/sentences/sentence-6.json`, `-7` and `-17`; the other criteria paraphrase their shapes
in other domains. The analysis runs on the real spaCy pipeline; nothing is mocked.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import product

import pytest

from casewright.design.behaviour import Behaviour, Condition, Configuration, Effect
from casewright.design.cause_effect import Cause, Event, Junction, covering, evaluate, grouped
from casewright.design.language import negate
from casewright.design.reading import analyse
from casewright.design.techniques import decision_table
from casewright.models import AcceptanceCriterion

Formula = Callable[..., bool]
CIRA_EXAMPLE = ("If an error is present and the debugger is active or an exception is "
                "triggered then a log entry will be created.")


def only(text: str) -> Behaviour:
    (behaviour,) = analyse(AcceptanceCriterion(criterion_id="AC1", text=text))
    return behaviour


def values_of(row: Configuration, behaviour: Behaviour) -> tuple[bool, ...]:
    """Return which conditions a row sets true, read from its settings' words."""
    said = [s.text[:1].lower() + s.text[1:] for s in row.settings]
    return tuple(c.text in said for c in behaviour.conditions)


def leaf(index: int, negated: bool = False) -> Cause:
    return Cause(node=Event(condition=index), negated=negated)


def junction(junctor: str, *causes: Cause, negated: bool = False) -> Cause:
    return Cause(node=Junction(junctor="and" if junctor == "and" else "or",
                               causes=list(causes)), negated=negated)


def assert_every_setting(cause: Cause, formula: Formula, count: int) -> None:
    for values in product([True, False], repeat=count):
        assert evaluate(cause, values) == formula(*values), values


def assert_covering(cause: Cause, formula: Formula, count: int) -> None:
    """Each row expects what the formula gives, and each condition alone flips one."""
    rows = [(tuple(row[i] for i in range(count)), holds) for row, holds in covering(cause)]
    assert all(holds == formula(*values) for values, holds in rows)
    for i in range(count):
        assert any(a[:i] + a[i + 1:] == b[:i] + b[i + 1:] and a[i] != b[i] and x != y
                   for a, x in rows for b, y in rows), f"condition {i} never flips it"


def test_cira_s_own_example_expects_a_log_entry_only_where_the_tree_gives_one() -> None:
    behaviour = only(CIRA_EXAMPLE)
    assert [c.text for c in behaviour.conditions] == [
        "an error is present", "the debugger is active", "an exception is triggered"]
    assert behaviour.causes() == junction("or", junction("and", leaf(0), leaf(1)), leaf(2))
    assert_every_setting(behaviour.causes(), lambda e, d, x: (e and d) or x, 3)
    rows = {values_of(row, behaviour): row for row in decision_table(behaviour)}
    created, not_created = ["a log entry will be created"], ["a log entry will not be created"]
    assert {values: row.outcome == created for values, row in rows.items()} == {
        (True, True, False): True, (False, True, True): True, (True, False, True): True,
        (False, True, False): False, (True, False, False): False}  # CiRA's own test suite
    assert rows[True, False, False].outcome == not_created, "an error alone logs nothing"
    assert rows[True, False, False].kind == "negative"


@pytest.mark.parametrize(("text", "conditions", "formula"), [
    ("If an error is present or the debugger is active and an exception is triggered then a "
     "log entry will be created.",  # CiRA's sentence-7
     ["an error is present", "the debugger is active", "an exception is triggered"],
     lambda e, d, x: e or (d and x)),
    ("If the system detects an error and the user is logged in, or the database is down, then "
     "a log entry is written.",
     ["the system detects an error", "the user is logged in", "the database is down"],
     lambda e, u, d: (e and u) or d),
    ("If the card has expired or the card has been reported stolen, and the payment is made "
     "abroad, the payment is declined.",
     ["the card has expired", "the card has been reported stolen", "the payment is made abroad"],
     lambda e, s, a: (e or s) and a),
    ("If the patient is registered with the practice and the vaccine is in stock, or the "
     "patient works in a care home, a booking slot is offered.",
     ["the patient is registered with the practice", "the vaccine is in stock",
      "the patient works in a care home"],
     lambda r, s, c: (r and s) or c),
    ("A loan is renewed when the member is active and either the book is not reserved or the "
     "librarian approves it.",
     ["the member is active", "the book is not reserved", "the librarian approves it"],
     lambda m, r, a: m and (r or a)),
    ("The parcel is refunded if both the parcel was insured and the courier lost it, or the "
     "seller cancels the order.",
     ["the parcel was insured", "the courier lost it", "the seller cancels the order"],
     lambda i, lost, c: (i and lost) or c),
])
def test_mixed_and_or_expects_what_the_tree_gives(text: str, conditions: list[str],
                                                   formula: Formula) -> None:
    behaviour = only(text)
    assert [c.text for c in behaviour.conditions] == conditions
    cause = behaviour.causes()
    assert_every_setting(cause, formula, len(conditions))
    assert_covering(cause, formula, len(conditions))
    effect = behaviour.effects[0].text
    for row in decision_table(behaviour):
        holds = formula(*values_of(row, behaviour))
        assert row.outcome[0] == (effect if holds else negate(effect)), row.label


def test_cira_s_either_or_sentence_gets_its_test_suite() -> None:
    behaviour = only("When the applicant can present an identity card and either is not "
                     "underage or can present a parent's permission, then an account can be "
                     "opened with the bank.")
    assert [c.text for c in behaviour.conditions] == [
        "the applicant can present an identity card", "the applicant is not underage",
        "the applicant can present a parent's permission"]
    rows = {values_of(row, behaviour): row.kind for row in decision_table(behaviour)}
    # CiRA's variable is "underage" on a negated edge: ours is the clause as written
    assert {(card, not adult, permission): kind == "positive"
            for (card, adult, permission), kind in rows.items()} == {
        (True, False, False): True, (True, True, True): True, (True, True, False): False,
        (False, False, False): False, (False, True, True): False}


def test_negated_edges_are_honoured() -> None:
    # the effect unless (a or not b): it holds when a is false and b is true
    cause = junction("or", leaf(0), leaf(1, negated=True), negated=True)
    assert_every_setting(cause, lambda a, b: not (a or not b), 2)
    assert_covering(cause, lambda a, b: not (a or not b), 2)
    nested = junction("and", junction("or", leaf(0), leaf(1), negated=True), leaf(2, True))
    assert_every_setting(nested, lambda a, b, c: not (a or b) and not c, 3)
    assert_covering(nested, lambda a, b, c: not (a or b) and not c, 3)


def test_unless_negates_the_grouped_conditions_as_a_whole() -> None:
    behaviour = only("The newsletter is sent unless the list is paused, or the campaign is a "
                     "draft and the editor has rejected it.")
    assert [c.text for c in behaviour.conditions] == [
        negate("the list is paused"), negate("the campaign is a draft"),
        negate("the editor has rejected it")]
    stated = lambda paused, draft, rejected: not (paused or (draft and rejected))  # noqa: E731
    assert_every_setting(behaviour.causes(), lambda p, d, r: stated(not p, not d, not r), 3)
    for row in decision_table(behaviour):
        p, d, r = values_of(row, behaviour)
        assert (row.outcome == ["The newsletter is sent"]) == stated(not p, not d, not r)


def test_one_junctor_keeps_the_flat_table() -> None:
    clauses = ["the card has expired", "the card is blocked", "the amount is large"]
    for text in ("the card has expired and the card is blocked and the amount is large",
                 "the card has expired or the card is blocked or the amount is large"):
        assert grouped(text, clauses, 0) == (clauses, None)
    flat = Behaviour(criterion_id="AC1", combination="or", effects=[Effect(text="X shows")],
                     conditions=[Condition(text=f"{name} is set", connective="if")
                                 for name in "ABC"])
    assert [(row.kind, row.label) for row in decision_table(flat)] == [
        ("negative", "A is not set; B is not set; C is not set"), ("positive", "A is set"),
        ("positive", "B is set"), ("positive", "C is set")]
