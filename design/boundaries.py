"""Boundary values and timings: the techniques that put a criterion's numbers and dates to test.

Boundary values sit on each limit, just inside and just outside it, one unit step apart;
timings put a deadline on its last moment and a wait on its last day and the day before,
dated.
"""

from __future__ import annotations

import re

from casewright.design.behaviour import Behaviour, Configuration, Quantity, Setting
from casewright.design.configurations import (
    configured,
    expected,
    setting_of,
    true_value,
)
from casewright.design.language import inflect, negate, parse
from casewright.design.quantities import (
    REPEAT_UNIT,
    amount,
    boundaries,
    example,
    satisfies,
    times_before,
    with_count,
    with_value,
)
from casewright.design.timing import Moment, Timing, find_timings, moments

_DEMAND = re.compile(r"\b(needs?|must|requires?|has to|have to)\b", re.IGNORECASE)
_DATE = re.compile(r"\b[A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4}(?: at \d\d:\d\d)?")


def boundary_values(behaviour: Behaviour) -> list[Configuration]:
    """Return a configuration per boundary value of every limit, other conditions true."""
    configurations = []
    unstated = not behaviour.exclusive and not behaviour.otherwise and bool(
        behaviour.effects) and behaviour.effects[0].derived  # no outcome to withhold
    for index, condition in enumerate(behaviour.conditions):
        if condition.quantity is None:
            continue
        others = [true_value(c) for i, c in enumerate(behaviour.conditions) if i != index]
        for point in boundaries(condition.quantity):
            if unstated and not point.meets:
                continue  # "search ... when there is more than one constituency": 1 is untold
            value = example(condition.quantity, point.value)
            configurations.append(configured(
                behaviour, "boundary values", "boundary",
                f"{amount(condition.quantity, point.value)}, {point.where} "
                f"({condition.quantity.text})",
                [setting_of(with_value(condition.text, condition.quantity, point.value), value),
                 *(setting_of(text, v) for text, v in others)],
                expected(behaviour, point.meets), data=value))
    return configurations + _limit_values(behaviour)


def _limit_values(behaviour: Behaviour) -> list[Configuration]:
    """Return the boundary values of limits on the actor's input (or on a stated outcome).

    Limits of one action joined by 'or' ("below £5 or above £2,000") form one rule: a value
    meets it when it meets either, and the value replaces the words of both.
    """
    if not behaviour.limits:
        return []
    action = next((a for a in behaviour.actions if behaviour.limits[0].text in a), None)
    joined = action is not None and len(behaviour.limits) > 1 and all(
        limit.text in action for limit in behaviour.limits)
    either = joined and action is not None and " or " in action[
        action.find(behaviour.limits[0].text):action.find(behaviour.limits[-1].text)]
    configurations = []
    for limit in behaviour.limits:
        for point in boundaries(limit):
            meets = any(satisfies(other, point.value) for other in behaviour.limits) \
                if either else point.meets
            value = example(limit, point.value)
            actions = list(behaviour.actions)
            if action is not None:
                span = action[action.find(behaviour.limits[0].text):action.find(
                    behaviour.limits[-1].text) + len(behaviour.limits[-1].text)] \
                    if joined else limit.text
                replaced = with_value(action.replace(span, limit.text), limit, point.value)
                actions = [replaced if a == action else a for a in actions]
            outcome = expected(behaviour, meets)
            stated = next((e.text for e in behaviour.effects if limit.text in e.text), None)
            if action is None and stated is not None:  # the outcome states the limit
                said = with_value(stated, limit, point.value)
                refused = f"{amount(limit, point.value)} is refused ({stated})" \
                    if _DEMAND.search(stated) else negate(said)  # "need an end date ..."
                outcome = [said if meets else refused]
            configuration = configured(
                behaviour, "boundary values", "boundary",
                f"{amount(limit, point.value)}{' go' if limit.unit == REPEAT_UNIT else ''}, "
                f"{point.where} ({limit.text})",
                _earlier_goes(behaviour, action, limit, point.value), outcome, data=value,
                actions=actions)
            configurations.append(configuration.model_copy(update={"preconditions": [
                with_count(text, limit, point.value) for text in behaviour.preconditions]}))
    return configurations


def _earlier_goes(behaviour: Behaviour, action: str | None, limit: Quantity,
                  value: float) -> list[Setting]:
    """Return the set-up of an Nth go ('a third time'): the goes before it.

    Only where the criterion's own set-up does not count them already: 'Sarah has already
    signed the petition twice'.
    """
    if limit.unit != REPEAT_UNIT or action is None or not behaviour.actor or any(
            with_count(text, limit, limit.value + 1) != text for text in behaviour.preconditions):
        return []
    done = re.sub(r"^Try to\s+", "", action.replace(f" {limit.text} time", "").replace(
        f" {limit.text}", ""))
    doc = parse(done[:1].lower() + done[1:])
    if not doc or doc[0].pos_ != "VERB":
        return []
    earlier = times_before(value)
    if earlier == "never":
        return [setting_of(f"{behaviour.actor} has not {inflect(doc[0].lemma_, 'VBN')} "
                         f"{doc[1:].text} before", "")]
    return [setting_of(f"{behaviour.actor} has already {inflect(doc[0].lemma_, 'VBN')} "
                     f"{doc[1:].text} {earlier}", "")]


def stated_boundaries(behaviour: Behaviour, given: Quantity, limit: Quantity, source: str,
                      within: list[Quantity]) -> list[Configuration]:
    """Return the boundary values of a limit a passage states, in place of a criterion's amount.

    "21 days" in the criterion, "extensions of 15 to 30 days need approval" in a page: the
    criterion's amount meets the limit, so a value that meets it expects the criterion's
    outcome, and a value outside it the negative outcome. A value outside a limit of `within`
    (what other passages allow at all, "at most 30 calendar days") is left out: another
    rule decides it.
    """
    configurations = []
    for point in boundaries(limit):
        if not all(satisfies(other, point.value) for other in within):
            continue
        written = amount(limit, point.value)

        def put(text: str, written: str = written) -> str:
            return text.replace(given.text, written)

        settings = [setting_of(put(text), written if given.text in text else value)
                    for text, value in map(true_value, behaviour.conditions)]
        actions = [put(action) for action in behaviour.actions]
        configuration = configured(
            behaviour, "boundary values", "boundary",
            f"{written}, {point.where} ({limit.text}, {source})", settings,
            [put(text) for text in expected(behaviour, point.meets)],
            data=written if actions != behaviour.actions else "", actions=actions)
        configurations.append(configuration.model_copy(update={
            "preconditions": [put(text) for text in behaviour.preconditions]}))
    return configurations


def timings_of(behaviour: Behaviour) -> list[Timing]:
    """Return the deadlines and waits a behaviour's actions and effects state."""
    texts = [*behaviour.actions, *(e.text for e in behaviour.effects)]
    return list({t.text: t for text in texts for t in find_timings(text)}.values())


def timings(behaviour: Behaviour) -> list[Configuration]:
    """Return a deadline's last moment, or a wait's last day and the day before, dated.

    The timing's words give way to the dates: "gets a confirmation within 1 working day"
    becomes "gets a confirmation by Monday 2 February 2026 (1 working day after Friday 30
    January 2026)", and "anonymize petitions 6 months after parliament closes" becomes
    "anonymize petitions" on the day the six months end.
    """
    configurations = []
    others = [true_value(c) for c in behaviour.conditions]
    for timing in timings_of(behaviour):
        for point in moments(timing):
            def put(text: str, point: Moment = point, timing: Timing = timing) -> str:
                return re.sub(r"\s{2,}", " ", text.replace(timing.text, point.replacement)).strip()

            dates = [_DATE.search(text) for text in point.settings]
            configurations.append(configured(
                behaviour, "timings", "boundary", f"{point.where} ({timing.text})",
                [*(setting_of(text, found[0] if found else "")
                   for text, found in zip(point.settings, dates, strict=True)),
                 *(setting_of(text, value) for text, value in others)],
                [put(text) for text in expected(behaviour, point.meets)],
                actions=[put(action) for action in behaviour.actions],
                data="; ".join(found[0] for found in dates if found)))
    return configurations
