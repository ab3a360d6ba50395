"""Sentence shapes the engine reads, per language, as data: `en.toml` beside this module.

A row holds an id, its pattern, what it fills in a `Behaviour`, and at least three example
sentences from different domains with the reading expected of each (tests/test_shapes.py runs
them all). The patterns are regular expressions on the cleaned criterion: each shape is a word
order with named parts ("X must A before B-ing"), which a regex states most plainly; the
parse then reads each part. Code asks for a shape by id: `shape("must-before")`.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib.resources import files
from string import Template

from pydantic import BaseModel, ConfigDict, Field

from casewright.design.lexicon import Language

Reading = dict[str, str | bool | list[str] | None]
"""A behaviour's fields by name; conditions, effects and otherwise as their texts."""


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Example(_Row):
    """A sentence of a shape, and what the engine is expected to read in it."""

    text: str
    expect: Reading = Field(default_factory=dict)


class Shape(_Row):
    """One sentence shape: its pattern, what it fills, and its examples."""

    id: str
    pattern: str
    ignore_case: bool = True
    fills: str
    examples: list[Example] = Field(min_length=3)

    def compiled(self, fragments: dict[str, str]) -> re.Pattern[str]:
        """Return the pattern with its fragments put in, compiled."""
        pattern = Template(self.pattern).safe_substitute(fragments)
        return re.compile(pattern, re.IGNORECASE if self.ignore_case else 0)


class Shapes(_Row):
    """A language's shapes, and the fragments their patterns share."""

    fragments: dict[str, str] = Field(default_factory=dict)
    shapes: list[Shape]


@cache
def load(language: Language = "en") -> Shapes:
    """Return a language's shapes, read once from its data file."""
    text = (files(__package__ or __name__) / f"{language}.toml").read_text(encoding="utf-8")
    return Shapes.model_validate(tomllib.loads(text))


@cache
def shape(shape_id: str, language: Language = "en") -> re.Pattern[str]:
    """Return the compiled pattern of a shape by its id."""
    table = load(language)
    row = next((s for s in table.shapes if s.id == shape_id), None)
    if row is None:
        raise KeyError(f"no sentence shape {shape_id!r} in {language}.toml")
    return row.compiled(table.fragments)


def fragment(name: str, language: Language = "en") -> str:
    """Return a pattern fragment the shapes share ('connective')."""
    return load(language).fragments[name]
