"""Bounded schemas and the grammar built from them (pure functions; no model is loaded)."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from casewright.llm.grammar import Bounds, bounded_schema, schema_grammar
from casewright.models import Step, TestCase


class Draft(BaseModel):
    """An output model that declares some bounds of its own."""

    title: str = Field(max_length=60)
    summary: str = Field(json_schema_extra={"maxLength": 90})
    code: str = Field(pattern=r"^[A-Z]+-[0-9]+$")
    notes: str | None = None
    tags: list[str] = Field(max_length=3)
    steps: list[Step] = Field(min_length=10)


def test_every_free_string_and_array_of_test_case_gets_the_default_bounds():
    schema = bounded_schema(TestCase)
    properties, step = schema["properties"], schema["$defs"]["Step"]["properties"]

    for name in ("case_id", "title", "objective", "story_key"):
        assert properties[name]["maxLength"] == 200, name
    for name in ("action", "data", "expected"):
        assert step[name]["maxLength"] == 200, name
    for name in ("preconditions", "steps", "criterion_ids", "rule_ids", "labels"):
        assert properties[name]["maxItems"] == 8, name
    assert properties["preconditions"]["items"]["maxLength"] == 200
    assert properties["steps"]["minItems"] == 1
    assert "maxLength" not in properties["kind"]  # an enum is bounded already


def test_declared_bounds_win_and_never_fall_below_a_declared_minimum():
    properties = bounded_schema(Draft, Bounds(max_string_length=120, max_items=5))["properties"]

    assert properties["title"]["maxLength"] == 60
    assert properties["summary"]["maxLength"] == 90
    assert "maxLength" not in properties["code"]  # a pattern bounds itself
    assert [branch.get("maxLength") for branch in properties["notes"]["anyOf"]] == [120, None]
    assert properties["tags"]["maxItems"] == 3
    assert properties["tags"]["items"]["maxLength"] == 120
    assert properties["steps"]["maxItems"] == 10


def test_grammar_has_no_unbounded_repetition():
    grammar = schema_grammar(bounded_schema(TestCase, Bounds(max_string_length=40, max_items=4)))
    string_rules = [line for line in grammar.splitlines() if line.startswith(
        ("case-id ::=", "title ::=", "Step-action ::="))]

    assert len(string_rules) == 3
    assert all(rule.count("(char") == 40 for rule in string_rules)
    assert not re.search(r"[)\w]\*", grammar)  # no Kleene star anywhere
