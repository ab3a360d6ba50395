"""Timings in criteria, with example dates: a deadline or a wait.

A deadline ("gets a confirmation within 1 working day") is tested on its last moment, from a
Friday so that working days cross a weekend. A wait ("anonymizes petitions 6 months after
parliament closes") is tested on the day it ends and the day before, from a month's last day
so that month sums slip (31 January + 1 month = 28 February).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import NamedTuple

from casewright.design.language import inflect, parse
from casewright.design.quantities import EXAMPLE_DATE, shifted

_COUNT_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
                "six": 6, "seven": 7, "ten": 10, "twelve": 12, "24": 24}
_COUNT = r"(?P<n>\d+|" + "|".join(w for w in _COUNT_WORDS if not w.isdigit()) + r")"
_UNIT = (r"(?P<unit>working days?|business days?|calendar days?|days?|weeks?|months?|years?|"
         r"hours?|minutes?)")
_DEADLINE = re.compile(r"\bwithin\s+" + _COUNT + r"\s+" + _UNIT +
                       r"(?:\s+of\s+(?P<event>(?:the|a|an|their|its)\s+[a-z' -]+?))?"
                       r"(?=$|[,.;)]|\s+(?:and|or|but|if|when|unless)\b)", re.IGNORECASE)
_WAIT = re.compile(r"\b" + _COUNT + r"\s+" + _UNIT + r"\s+after\s+(?P<event>[a-z' -]+?)"
                   r"(?=$|[,.;)]|\s+(?:and|or|but|if|when|unless)\b)", re.IGNORECASE)
FRIDAY = datetime(2026, 1, 30, 10, 0)
"""Where a deadline starts in test data: a Friday, so working days cross the weekend."""


class Timing(NamedTuple):
    """A deadline or a wait as a criterion words it."""

    text: str
    number: int
    """How many units ('count' would hide tuple.count)."""
    unit: str
    event: str | None
    wait: bool


def find_timings(text: str) -> list[Timing]:
    """Return the deadlines ('within 2 days') and waits ('6 months after X closes') a text has."""
    found = []
    for expression, wait in ((_DEADLINE, False), (_WAIT, True)):
        for match in expression.finditer(text):
            if wait and re.search(r"\b(?:date|day)$", match["event"], re.IGNORECASE):
                continue  # "a due date 30 days after the request date" is a date, not a wait
            count = _COUNT_WORDS.get(match["n"].lower()) or int(match["n"])
            unit = match["unit"].lower().removesuffix("s")
            found.append(Timing(match[0].strip(), count, unit, match["event"], wait))
    return found


def _start(timing: Timing) -> datetime:
    if timing.unit in {"working day", "business day", "hour", "minute"}:
        return FRIDAY
    return datetime.combine(EXAMPLE_DATE, FRIDAY.time())


def ends(timing: Timing, start: datetime) -> datetime:
    """Return when a timing ends, counted from its start; working days skip weekends."""
    if timing.unit in {"working day", "business day"}:
        moment, left = start, timing.number
        while left:
            moment += timedelta(days=1)
            left -= moment.weekday() < 5
        return moment
    if timing.unit in {"hour", "minute"}:
        return start + timedelta(**{f"{timing.unit}s": timing.number})
    if timing.unit == "year":
        return start.replace(year=start.year + timing.number)
    return datetime.combine(shifted(start.date(), timing.number, timing.unit), start.time())


def written(moment: datetime, timing: Timing) -> str:
    """Return a moment as test data: 'Monday 2 February 2026', with the time for hours."""
    day = f"{moment:%A} {moment.day} {moment:%B %Y}"
    return f"{day} at {moment:%H:%M}" if timing.unit in {"hour", "minute"} else day


def _before(moment: datetime, timing: Timing) -> datetime:
    return moment - (timedelta(minutes=1) if timing.unit in {"hour", "minute"}
                     else timedelta(days=1))


def happened(event: str, moment: str) -> str:
    """Return an event clause in the past, dated: 'parliament closes' -> 'Parliament closed on'."""
    doc = parse(event)
    verb = next((t for t in doc if t.pos_ in {"VERB", "AUX"}), None)
    if verb is None:  # "the request": a noun phrase
        text = f"{event} was made"
    else:
        text = doc[:verb.i].text_with_ws + inflect(verb.lemma_, "VBD") + \
            doc[verb.i].whitespace_ + doc[verb.i + 1:].text
    text = text.strip()
    return f"{text[:1].upper()}{text[1:]} on {moment}"


class Moment(NamedTuple):
    """One point to test a timing at: the set-up, what replaces the timing, and if it is met."""

    settings: list[str]
    replacement: str
    meets: bool
    where: str


def moments(timing: Timing) -> list[Moment]:
    """Return the points a timing is tested at, with example dates.

    A deadline: the effect has come by the deadline's last moment. A wait: it has come on the
    day the wait ends, and not on the day before.
    """
    start = _start(timing)
    end = ends(timing, start)
    begun = written(start, timing)
    amount = f"{timing.number} {timing.unit}{'s' if timing.number != 1 else ''}"
    if not timing.wait:
        setting = happened(timing.event, begun) if timing.event else f"The test starts on {begun}"
        return [Moment([setting], f"by {written(end, timing)} ({amount} after {begun})", True,
                       "on the deadline")]
    since = happened(timing.event or "the event", begun)
    early = _before(end, timing)
    return [Moment([since, f"It is now {written(end, timing)}, {amount} later"], "", True,
                   "on the day it ends"),
            Moment([since, f"It is now {written(early, timing)}, just short of {amount}"], "",
                   False, "just before it ends")]
