"""Test data by kind: valid and invalid examples of each format, and the value an act enters.

"Change their email address" says what changes but not to what, and a tester cannot run it
without a value to type and to look for. Where an entry verb ("change", "enter", "update")
acts on data of a kind with a well-known form (an email address, a date, an amount), the act
gets an example of that form as its test data, and an outcome the engine worded from the act
checks that value: 'The email address is changed to "jo.bloggs@example.com"'.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from casewright.design.language import acted_on, attempted
from casewright.design.lexicon import words

FORMAT_CLASSES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "email": ("jo.bloggs@example.com", [("jo.bloggs@", "no domain"),
                                        ("jo bloggs@example.com", "a space"),
                                        ("jo.bloggs.example.com", "no @")]),
    "phone": ("07700 900123", [("0770090", "too few digits"), ("07700 9001A3", "a letter")]),
    "mobile": ("07700 900123", [("0770090", "too few digits"), ("07700 9001A3", "a letter")]),
    "postcode": ("SW1A 1AA", [("SW1A 1AAA", "too long"), ("12345", "digits only")]),
    "post code": ("SW1A 1AA", [("SW1A 1AAA", "too long"), ("12345", "digits only")]),
    "date of birth": ("14/03/1985", [("31/02/1985", "no such date"),
                                     ("14/03/2999", "in the future")]),
    "sort code": ("20-00-00", [("20-00-0", "five digits"), ("20-AB-00", "letters")]),
    "name": ("Jo Bloggs", [("", "empty"), ("J" * 101, "101 characters")]),
    "domain": ("example.com", [("example", "no dot"), ("exa mple.com", "a space")]),
    "ip address": ("192.0.2.10", [("192.0.2.300", "a part over 255"), ("192.0.2", "three parts")]),
}
"""Formats by name: a valid example, and invalid ones with what is wrong with each."""

_KINDS: tuple[tuple[re.Pattern[str], str], ...] = (
    *((re.compile(rf"\b{re.escape(name)}\b"), valid) for name, (valid, _) in
      sorted(FORMAT_CLASSES.items(), key=lambda item: -len(item[0])) if name != "name"),
    (re.compile(r"\b(?:tele)?phone\b"), FORMAT_CLASSES["phone"][0]),
    (re.compile(r"\bdate\b"), "14/03/2025"),
    (re.compile(r"\btime\b"), "09:30"),
    (re.compile(r"\b(?:price|cost|fee|amount|salary|balance|budget|rent)s?\b"), "£25.00"),
    (re.compile(r"\b(?:hectares|acres|quantity|number of \w+|total|count|age)\b"), "12"),
    (re.compile(r"\b(?:first|last|full|middle|their|my|your|his|her|user's) name\b"),
     FORMAT_CLASSES["name"][0]),
)
"""Kinds of data by the words that name them, the more specific first, with an example."""
_CHANGED = frozenset({"change", "update", "edit", "amend", "set", "modify", "correct"})
"""Entry verbs that give data a new value: the outcome says what it is changed to."""
_GIVEN = re.compile(r"\d|\"|'[^']+'")
"""An act that names its value already ("Enter 12 hectares", "Set the status to 'Open'")."""
_FAULTY = re.compile(r"\b(invalid|incorrect|wrong|malformed|bad|mistyped|unknown|expired|"
                     r"blank|empty|missing)\b", re.IGNORECASE)
"""An act entering faulty data ("Enter an invalid date"): the kind's valid example is not it."""


class Entry(BaseModel):
    """An act's example value, and how the outcome says it."""

    verb: str
    value: str
    preposition: str


def entry(action: str) -> Entry | None:
    """Return the value an act enters, when its verb enters data of a known kind."""
    if _GIVEN.search(action) or _FAULTY.search(action):
        return None
    found = acted_on(attempted(action))  # "Try to change their email address" too
    if found is None or found[0] not in words().entry_verbs:
        return None
    verb, what = found
    value = next((example for pattern, example in _KINDS if pattern.search(what.lower())), None)
    if value is None:
        return None
    return Entry(verb=verb, value=value, preposition="to" if verb in _CHANGED else "as")
