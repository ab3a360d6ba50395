"""What every test-design technique builds a configuration from.

A condition made true or false (a limit put on or outside its boundary), a setting in plain
words, the outcome a configuration expects (stated, or the effects negated: never the
positive outcome where the conditions fail), whether it is a positive or a negative case, and
the test data its action uses.
"""

from __future__ import annotations

import re

from casewright.design.acts import bad_data
from casewright.design.behaviour import Behaviour, Condition, Configuration, Setting, Technique
from casewright.design.data_kinds import FORMAT_CLASSES, entry
from casewright.design.language import negate
from casewright.design.lexicon import words
from casewright.design.quantities import boundaries, example, with_value
from casewright.design.shapes import shape
from casewright.models import CaseKind

_BY_KEY = re.compile(r"\bby (?:their |its |an? |the )?(e-?mail|postcode|post code|phone|mobile|"
                     r"date of birth|sort code|ip address|domain|name)\b", re.IGNORECASE)
_NOT = re.compile(r"\b(not|never|no(?! matter)|doesn't|don't|won't|isn't|aren't)\b",
                  re.IGNORECASE)


def true_value(condition: Condition) -> tuple[str, str]:
    """Return the condition's clause made true, and the value used (for a limit: on it)."""
    if condition.quantity is None:
        return condition.text, ""
    point = next(b for b in boundaries(condition.quantity) if b.meets)
    return with_value(condition.text, condition.quantity, point.value), \
        example(condition.quantity, point.value)


def false_value(condition: Condition) -> tuple[str, str]:
    """Return the condition's clause made false, and the value used (for a limit: outside)."""
    if condition.quantity is None:
        return negate(condition.text), ""
    point = next(b for b in boundaries(condition.quantity) if not b.meets)
    return with_value(condition.text, condition.quantity, point.value), \
        example(condition.quantity, point.value)


def setting_of(text: str, value: str) -> Setting:
    """Return a setting, its text capitalised as a precondition."""
    return Setting(text=text[:1].upper() + text[1:], value=value)


def negative_outcome(behaviour: Behaviour) -> list[str]:
    """Return what the criterion expects when its conditions fail: stated, or negated.

    Only the first effect is negated: the ones after it usually follow from it ("the
    extension is saved and a note is added"), and the criterion says nothing of them when
    it fails. An effect that holds whatever the conditions ('can still be sent') is kept.
    """
    if behaviour.otherwise:
        return [effect.text for effect in behaviour.otherwise]
    kept = [re.sub(r"\s*\b(still|also|even)\b", "", e.text) for e in behaviour.effects
            if e.always]
    first = next((e for e in behaviour.effects if not e.always), None)
    return [*kept, *([negate(first.text)] if first else [])]


def expected(behaviour: Behaviour, holds: bool) -> list[str]:
    """Return the effects when the conditions hold, else the negative outcome."""
    return [e.text for e in behaviour.effects] if holds else negative_outcome(behaviour)


def kind_of(behaviour: Behaviour, holds: bool) -> CaseKind:
    """Return positive for the outcome the actor wants, negative for a refusal.

    A criterion whose outcome as stated is a refusal or a "not" ("Laura does not get an
    email when ...") is negative where its conditions hold.
    """
    first = behaviour.effects[0].text if behaviour.effects else ""
    derived = bool(behaviour.effects) and behaviour.effects[0].derived  # "no longer followed"
    refused = behaviour.prohibited or not derived and bool(words().refusal().search(first) or
                                                           _NOT.search(first))
    return "positive" if holds != refused else "negative"


def configured(behaviour: Behaviour, technique: Technique, kind: CaseKind, label: str,
               settings: list[Setting], outcome: list[str], *, actor: str | None = None,
               data: str = "", actions: list[str] | None = None) -> Configuration:
    """Return a configuration of a behaviour, its test data taken from its actions."""
    actions = behaviour.actions if actions is None else actions
    return Configuration(criterion_id=behaviour.criterion_id, technique=technique, kind=kind,
                         label=label, settings=settings, outcome=outcome,
                         actor=actor or behaviour.actor, data=data or _key_data(actions),
                         preconditions=behaviour.preconditions, actions=actions)


REVERSED_DATES = "start 14/03/2025, end 13/03/2025"
REVERSED_TIMES = "start 09:00, end 08:30"
"""The data of a range turned round: an end the day (half hour) before its start."""


def _key_data(actions: list[str]) -> str:
    """Return the data an action names: a key it looks up by, bad data, or a value it enters.

    'by email' gives an email; 'with an invalid email' an invalid one; 'with invalid
    postcode SW14 9RQ' that postcode; 'with an end date before the start date' the two dates;
    'Change their email address' an email address (`data_kinds.entry`).
    """
    for action in actions:
        if found := _BY_KEY.search(action):
            return next(valid for name, (valid, _) in FORMAT_CLASSES.items()
                        if name in found[1].lower().replace("-", ""))
        if found := bad_data(action):  # "with invalid postcode SW14 9RQ"
            if found.re is shape("reversed-range"):
                return REVERSED_TIMES if found["what"].endswith("time") else REVERSED_DATES
            return found.groupdict().get("value") or next((invalid[0][0] for name, (_, invalid)
                                           in FORMAT_CLASSES.items()
                                           if name in found["what"].lower().replace("-", "")),
                                          "")
        if entered := entry(action):
            return entered.value
    return ""
