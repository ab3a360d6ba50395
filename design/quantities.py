"""Limits in criteria ("£250 or more", "from 3 to 24 months", "16 digits") and their boundaries.

A limit is a number with a unit and a comparison. Its boundary values sit on the limit, just
inside and just outside it, one step of the unit apart (£0.01, 1 day, 1 character), and each
is put back into the criterion's own clause in place of the limit's words.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from typing import NamedTuple

from casewright.design.behaviour import Comparison, Quantity
from casewright.design.language import inflect, parse

_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "once": 1, "twice": 2}
_NUMBER = (r"(?P<{n}cur>[£$€])?\s?(?P<{n}num>\d[\d,]*(?:\.\d+)?|(?:" + "|".join(_WORDS) +
           r")\b)")
_UNIT = (r"(?:\s?(?P<unit>%|working days?|calendar days?|business days?|days?|weeks?|months?|"
         r"years?|hours?|minutes?|mins?|seconds?|characters?|chars?|digits?|letters?|"
         r"attempts?|times|(?!(?:or|and|to|in|of|per|for|the|a|an)\b)[a-z][a-z&-]+s\b))?")
_PREFIX: tuple[tuple[str, Comparison], ...] = (
    (r"at least|a minimum of|minimum of|no less than|not less than|no fewer than", "at_least"),
    (r"more than|over|above|greater than|longer than|exceeds?|exceeding", "more_than"),
    (r"at most|up to|a maximum of|maximum of|no more than|not more than|within", "at_most"),
    (r"less than|fewer than|under|below|shorter than", "less_than"),
)
_SUFFIX: tuple[tuple[str, Comparison], ...] = (
    (r"or more|or over|or above|and above|or higher|\+", "at_least"),
    (r"or less|or fewer|or under|and below|or lower", "at_most"),
)
_RANGE = re.compile(
    r"(?:\b|(?=[£$€]))(?:(?P<pre>from|between)\s+(?:the\s+)?)?" + _NUMBER.format(n="a")
    + r"(?P<aord>st|nd|rd|th)?"
    r"\s*(?P<aunit>(?!and\b|to\b)[a-z%]+)?\s+(?:to|and)\s+(?:the\s+)?" + _NUMBER.format(n="b")
    + r"(?P<bord>st|nd|rd|th)?" + _UNIT, re.IGNORECASE)
_SHARE = re.compile(r"\b(?P<num>\d+) of (?:the |their |its )?(?P<total>\d+)\b"
                    r"(?P<unit>(?:\s[\w&-]+)?\s(?:items|answers|questions|checks|fields|steps|"
                    r"attempts)\b)?")
_AMOUNT = re.compile(r"(?<![\w.])" + _NUMBER.format(n="") + _UNIT, re.IGNORECASE)
_ORDINALS = {"second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "2nd": 2, "3rd": 3,
             "4th": 4, "5th": 5, "6th": 6}
_ORDINAL_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", 6: "sixth"}
_REPEATED = re.compile(r"\b(?:a|the)\s+(?P<ord>" + "|".join(_ORDINALS) + r")(?=\s+(?:failed\s+|"
                       r"wrong\s+|incorrect\s+)?(?:time|attempt|try|request)\b)", re.IGNORECASE)
REPEAT_UNIT = "repetition"
"""The unit of 'a third time': the Nth go at an act, counted from the first."""
_COUNTS = {0: "never", 1: "once", 2: "twice"}
_COUNT = re.compile(r"\b(?:never|once|twice|\d+ times|(?:one|two|three|four|five) times)\b")
_LENGTH = re.compile(r"(?P<holds>\b(?:accepts?|holds?|takes?|allows?|stores?|fits?|contains?)"
                     r"(?:\s+(?:up to|only))?\s+)?\b(?P<num>\d+)\s?(?P<unit>digits?|characters?|"
                     r"letters?)\b", re.IGNORECASE)
"""A length: exactly so many ("8 digits"), or what a field holds at most ("accepts 8
characters")."""
_EXPRESSIONS = [
    (re.compile(r"\b(?:" + words + r")\s+" + _NUMBER.format(n="") + _UNIT, re.IGNORECASE),
     comparison) for words, comparison in _PREFIX
] + [
    (re.compile(_NUMBER.format(n="") + _UNIT + r"\s*(?:" + words + r")(?![a-z])",
                re.IGNORECASE), comparison) for words, comparison in _SUFFIX
]


class Boundary(NamedTuple):
    """One boundary value: the number, whether it meets the limit, and where it sits."""

    value: float
    meets: bool
    where: str


def _number(text: str) -> float:
    return float(_WORDS.get(text.lower(), text.replace(",", "")))


def _step(currency: str | None, number: str, unit: str) -> float:
    if currency or "." in number:
        return 0.01
    return 1.0


def find_limits(text: str) -> list[Quantity]:
    """Return the limits a text states, in the order it states them."""
    candidates: list[tuple[re.Match[str], Quantity]] = []

    def add(match: re.Match[str], quantity: Quantity) -> None:
        candidates.append((match, quantity))

    for match in _RANGE.finditer(text):
        unit = match["acur"] or match["bcur"] or match["unit"] or match["aunit"] or \
            ("ordinal" if match["bord"] else "")
        if not match["pre"] and (not unit or match["aunit"] or " and " in match[0]):
            continue  # "15 to 30 days" is a range; "1 and 2" or "2 to 3 of them" is not
        add(match, Quantity(text=match[0].strip(), value=_number(match["anum"]),
                            upper=_number(match["bnum"]), unit=unit, comparison="between",
                            step=_step(match["acur"] or match["bcur"], match["anum"], unit)))
    for expression, comparison in _EXPRESSIONS:
        for match in expression.finditer(text):
            unit = match["cur"] or match["unit"] or (
                "times" if match["num"].lower() in {"once", "twice"} else "")
            add(match, Quantity(text=match[0].strip(), value=_number(match["num"]), unit=unit,
                                comparison=comparison, step=_step(match["cur"], match["num"],
                                                                  unit)))
    for match in _SHARE.finditer(text):  # "2 of the 3 ID&V items": at least 2
        add(match, Quantity(text=match[0].strip(), value=_number(match["num"]),
                            upper=_number(match["total"]), unit="of",
                            comparison="at_least", step=1.0))
    for match in _REPEATED.finditer(text):  # "a third failed attempt": the third is the limit
        add(match, Quantity(text=match[0], value=_ORDINALS[match["ord"].lower()],
                            upper=_ORDINALS[match["ord"].lower()], unit=REPEAT_UNIT,
                            comparison="at_least", step=1.0))
    for match in _LENGTH.finditer(text):
        add(match, Quantity(text=match[0][match.start("num") - match.start():].strip(),
                            value=_number(match["num"]), unit=match["unit"], step=1.0,
                            comparison="at_most" if match["holds"] else "exactly"))
    found: list[tuple[int, Quantity]] = []
    taken: list[range] = []
    for match, quantity in sorted(candidates, key=lambda c: (c[0].start(), -len(c[0][0]))):
        span = range(*match.span())
        if not any(set(span) & set(other) for other in taken):  # the longest reading wins
            taken.append(span)
            found.append((match.start(), quantity))
    return [quantity for _, quantity in found]


def find_amounts(text: str) -> list[Quantity]:
    """Return the plain amounts a text gives ("£180.00", "21 days"), outside any limit."""
    taken = [text.find(limit.text) for limit in find_limits(text)]
    spans = [range(start, start + len(limit.text))
             for start, limit in zip(taken, find_limits(text), strict=True) if start >= 0]
    found = []
    for match in _AMOUNT.finditer(text):
        unit = match["cur"] or match["unit"]
        if not unit or not match["num"][0].isdigit() or any(match.start() in s for s in spans):
            continue
        found.append(Quantity(text=match[0].strip(), value=_number(match["num"]), unit=unit,
                              comparison="exactly", step=_step(match["cur"], match["num"],
                                                               unit)))
    return found


def same_unit(one: Quantity, other: Quantity) -> bool:
    """Whether two quantities count the same thing: '£', or 'days' and 'calendar days'."""
    def last(unit: str) -> str:
        word = unit.lower().split()[-1] if unit.strip() else ""
        return word[:-1] if word.endswith("s") and len(word) > 2 else word

    first, second = one.unit.lower().split(), other.unit.lower().split()
    qualified = len(first) > 1 and len(second) > 1 and first[0] != second[0]
    return bool(one.unit) and last(one.unit) == last(other.unit) and not qualified


def boundaries(limit: Quantity) -> list[Boundary]:
    """Return the limit's boundary values: on it, just inside and just outside."""
    low, step = limit.value, limit.step
    match limit.comparison:
        case "at_least":
            above = [] if limit.upper is not None and low + step > limit.upper else \
                [Boundary(low + step, True, "just inside")]  # no 4 of the 3 items
            return [Boundary(low, True, "on the limit"), *above,
                    Boundary(low - step, False, "just outside")]
        case "more_than":
            return [Boundary(low, False, "on the limit"), Boundary(low + step, True,
                    "just inside"), Boundary(low - step, False, "just outside")]
        case "at_most":
            return [Boundary(low, True, "on the limit"), Boundary(low - step, True,
                    "just inside"), Boundary(low + step, False, "just outside")]
        case "less_than":
            return [Boundary(low, False, "on the limit"), Boundary(low - step, True,
                    "just inside"), Boundary(low + step, False, "just outside")]
        case "exactly":
            return [Boundary(low, True, "on the limit"), Boundary(low - step, False,
                    "one short"), Boundary(low + step, False, "one over")]
        case "between":
            high = limit.upper if limit.upper is not None else low
            below = [] if limit.unit == "ordinal" and low - step < 1 else \
                [Boundary(low - step, False, "just below")]  # there is no 0th of a month
            return [Boundary(low, True, "on the lower limit"), Boundary(high, True,
                    "on the upper limit"), *below, Boundary(high + step, False, "just above")]


def satisfies(limit: Quantity, value: float) -> bool:
    """Whether a value meets a limit."""
    match limit.comparison:
        case "at_least":
            return value >= limit.value
        case "more_than":
            return value > limit.value
        case "at_most":
            return value <= limit.value
        case "less_than":
            return value < limit.value
        case "exactly":
            return value == limit.value
        case "between":
            return limit.value <= value <= (limit.upper if limit.upper is not None else value)


def amount(limit: Quantity, value: float) -> str:
    """Return a value written in the limit's unit: '£249.99', '25 months', '1 month'."""
    number = f"{value:,.2f}" if limit.step < 1 else f"{value:g}"
    if limit.unit == "of":
        return limit.text.replace(limit.text.split()[0], number, 1)
    if limit.unit == REPEAT_UNIT:
        return f"{limit.text.split()[0]} {_ORDINAL_WORDS.get(int(value), f'{value:g}th')}"
    if limit.unit == "ordinal":
        ending = "th" if 10 <= value % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(
            int(value) % 10, "th")
        return f"{number}{ending}"
    if limit.unit in {"£", "$", "€"}:
        return f"{limit.unit}{number}"
    if limit.unit == "%":
        return f"{number}%"
    if limit.unit == "times" and value in {1, 2}:
        return "once" if value == 1 else "twice"
    unit = limit.unit[:-1] if value == 1 and limit.unit.endswith("s") and \
        limit.unit != "times" else limit.unit
    return f"{number} {unit}".strip()


def example(limit: Quantity, value: float) -> str:
    """Return test data for a value: the digits themselves for a length in digits.

    A bare count ("more than one petition") has no data of its own: its precondition says
    how many.
    """
    if limit.unit.startswith("digit") and 0 < value <= 30:
        return ("1234567890" * 3)[:int(value)]
    return amount(limit, value) if limit.unit and limit.unit != REPEAT_UNIT else ""


_OFFSET = re.compile(r"\b(?:of\s+)?(?P<n>\d+)\s+(?P<unit>calendar days?|days?|weeks?|months?)\s+"
                     r"(?P<dir>after|before)\s+the\s+(?P<anchor>[a-z]+(?:\s[a-z]+)?\s?date)\b",
                     re.IGNORECASE)
EXAMPLE_DATE = date(2026, 1, 31)
"""The date an offset is counted from in test data: a month's last day, where date sums slip."""


def shifted(start: date, count: int, unit: str) -> date:
    """Return a date moved by days, weeks or months: 31 January + 1 month = 28 February."""
    if unit.startswith("month"):
        month = start.month - 1 + count
        year, month = start.year + month // 12, month % 12 + 1
        last = calendar.monthrange(year, month)[1]
        return start.replace(year=year, month=month, day=min(start.day, last))
    days = count * (7 if unit.startswith("week") else 1)
    return start + timedelta(days=days)


def _written(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def dated(text: str) -> tuple[str, str] | None:
    """Return example dates for a date a text counts from another, or None.

    'a due date 30 calendar days after the request date' gives the set-up 'The request date
    is 31 January 2026' and the text with '2 March 2026' put in. Working days are left
    alone: they need the team's calendar.
    """
    found = _OFFSET.search(text)
    if found is None:
        return None
    count = int(found["n"]) * (-1 if found["dir"].lower() == "before" else 1)
    target = shifted(EXAMPLE_DATE, count, found["unit"].lower())
    anchor = found["anchor"]
    phrase = found[0].removeprefix("of ").strip()
    before = text[:found.start()].rstrip()
    joiner = "of" if before.lower().endswith("date") else "on"  # "a due date of", "ends on"
    shown = f"{before} {joiner} {_written(target)} ({phrase}){text[found.end():]}"
    return f"The {anchor} is {_written(EXAMPLE_DATE)}", shown


def times_before(value: float) -> str:
    """Return how often an act was done before its Nth go: 'never', 'once', 'twice', '3 times'."""
    count = int(value) - 1
    return _COUNTS.get(count, f"{count} times")


def with_count(text: str, limit: Quantity, value: float) -> str:
    """Return a set-up clause with the count of goes before the Nth one put in.

    'failed twice' becomes 'failed once' for the second attempt; a clause that counts
    nothing stays as it is.
    """
    if limit.unit != REPEAT_UNIT or not (found := _COUNT.search(text)) or \
            found[0] != times_before(limit.value):
        return text
    return text[:found.start()] + times_before(value) + text[found.end():]


def with_value(text: str, limit: Quantity, value: float) -> str:
    """Return the text with the limit's words replaced by one value.

    After a noun the value reads as 'of' it: "an amount below £5" -> "an amount of £4.99".
    """
    start = text.find(limit.text)
    if start < 0:
        return text
    written = amount(limit, value)
    after = text[start + len(limit.text):]
    if limit.unit == "ordinal":
        written = f"the {written}"
    elif limit.unit not in {"of", "times", REPEAT_UNIT} and limit.comparison != "exactly" \
            and start:
        doc = parse(text[:start].rstrip())
        if doc and doc[-1].pos_ in {"NOUN", "PROPN"}:
            written = f"of {written}"  # "an amount of £4.99", not "an amount £4.99"
    if not limit.unit and re.match(r"^\s+[a-z]", after):
        wanted = "NN" if value == 1 else "NNS"  # "one petition" -> "2 petitions"
        end = start + len(limit.text)
        noun = next(t for t in parse(text) if t.idx > end)
        if noun.dep_ == "compound" and noun.head.i == noun.i + 1:
            noun = noun.head  # "one or more need codes": the codes are counted
        form = inflect(noun.lemma_, wanted) if noun.lemma_.isalpha() else noun.text
        at = noun.idx - end
        after = after[:at] + form + after[at + len(noun.text):]
    before = text[:start]
    if value != 1 and re.search(r"\bthere is $", before, re.IGNORECASE):
        before = before[:-3] + "are "  # "there is more than one" -> "there are 2"
    return before + written + after
