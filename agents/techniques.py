"""Test-design techniques: pure functions from a `Behaviour` to the configurations to test.

- decision table: the minimal covering set, where each condition is shown once to flip the
  outcome (n+1 configurations for n conditions joined by and, or by or; as CiRA does);
- boundary values: on each limit, just inside and just outside, one unit step apart;
- equivalence classes: a valid value of each data format, then each invalid class;
- roles: the allowed role, and a role the criterion refuses;
- states: the first time, and again, for once / first time / per-period rules;
- timings: a deadline on its last moment, a wait on its last day and the day before, dated.

A configuration whose conditions do not hold expects what the criterion states for that
case ("otherwise"), or else the criterion's effects negated: never the positive outcome.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from casewright.agents.behaviour import (
    Behaviour,
    Condition,
    Configuration,
    Quantity,
    Setting,
    Technique,
)
from casewright.agents.language import (
    attempted,
    inflect,
    is_person,
    negate,
    parse,
    passive_result,
)
from casewright.agents.lexicon import words
from casewright.agents.quantities import (
    REPEAT_UNIT,
    amount,
    boundaries,
    dated,
    example,
    satisfies,
    times_before,
    with_count,
    with_value,
)
from casewright.agents.shapes import shape
from casewright.agents.timing import Moment, Timing, find_timings, moments
from casewright.models import CaseKind

_DEMAND = re.compile(r"\b(needs?|must|requires?|has to|have to)\b", re.IGNORECASE)
_DATE = re.compile(r"\b[A-Z][a-z]+day \d{1,2} [A-Z][a-z]+ \d{4}(?: at \d\d:\d\d)?")
_BY_KEY = re.compile(r"\bby (?:their |its |an? |the )?(e-?mail|postcode|post code|phone|mobile|"
                     r"date of birth|sort code|ip address|domain|name)\b", re.IGNORECASE)
_AGAIN = re.compile(r"\s*\b(again|(?:for )?a second time|more than once)\b", re.IGNORECASE)
_NOT = re.compile(r"\b(not|never|no(?! matter)|doesn't|don't|won't|isn't|aren't)\b",
                  re.IGNORECASE)
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


def _true_value(condition: Condition) -> tuple[str, str]:
    """Return the condition's clause made true, and the value used (for a limit: on it)."""
    if condition.quantity is None:
        return condition.text, ""
    point = next(b for b in boundaries(condition.quantity) if b.meets)
    return with_value(condition.text, condition.quantity, point.value), \
        example(condition.quantity, point.value)


def _false_value(condition: Condition) -> tuple[str, str]:
    """Return the condition's clause made false, and the value used (for a limit: outside)."""
    if condition.quantity is None:
        return negate(condition.text), ""
    point = next(b for b in boundaries(condition.quantity) if not b.meets)
    return with_value(condition.text, condition.quantity, point.value), \
        example(condition.quantity, point.value)


def _setting(text: str, value: str) -> Setting:
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


def _outcome(behaviour: Behaviour, holds: bool) -> list[str]:
    return [e.text for e in behaviour.effects] if holds else negative_outcome(behaviour)


def _kind(behaviour: Behaviour, holds: bool) -> CaseKind:
    """Return positive for the outcome the actor wants, negative for a refusal.

    A criterion whose outcome as stated is a refusal or a "not" ("Laura does not get an
    email when ...") is negative where its conditions hold.
    """
    first = behaviour.effects[0].text if behaviour.effects else ""
    derived = bool(behaviour.effects) and behaviour.effects[0].derived  # "no longer followed"
    refused = behaviour.prohibited or not derived and bool(words().refusal().search(first) or
                                                           _NOT.search(first))
    return "positive" if holds != refused else "negative"


def _configuration(behaviour: Behaviour, technique: Technique, kind: CaseKind, label: str,
                   settings: list[Setting], outcome: list[str], *, actor: str | None = None,
                   data: str = "", actions: list[str] | None = None) -> Configuration:
    actions = behaviour.actions if actions is None else actions
    return Configuration(criterion_id=behaviour.criterion_id, technique=technique, kind=kind,
                         label=label, settings=settings, outcome=outcome,
                         actor=actor or behaviour.actor, data=data or _key_data(actions),
                         preconditions=behaviour.preconditions, actions=actions)


def _key_data(actions: list[str]) -> str:
    """Return the data an action names: the key it looks up by, or the invalid value it uses.

    'by email' gives an email; 'with an invalid email' an invalid one; 'with invalid
    postcode SW14 9RQ' that postcode.
    """
    for action in actions:
        if found := _BY_KEY.search(action):
            return next(valid for name, (valid, _) in FORMAT_CLASSES.items()
                        if name in found[1].lower().replace("-", ""))
        if found := shape("invalid-data").search(action):  # "with invalid postcode SW14 9RQ"
            return found["value"] or next((invalid[0][0] for name, (_, invalid)
                                           in FORMAT_CLASSES.items()
                                           if name in found["what"].lower().replace("-", "")),
                                          "")
    return ""


def decision_table(behaviour: Behaviour) -> list[Configuration]:
    """Return the minimal covering set: every condition shown once to flip the outcome.

    Alternative actions ('authorised or declined') are each a row of their own.
    """
    conditions = behaviour.conditions
    if not conditions:
        if behaviour.alternatives:
            return [_configuration(behaviour, "decision table", _kind(behaviour, True),
                                   alternative, [], _outcome(behaviour, True),
                                   actions=[alternative, *behaviour.actions[1:]])
                    for alternative in behaviour.alternatives]
        if behaviour.limits or not behaviour.effects:
            return []  # the boundary values show the limit with real values
        return [_configuration(behaviour, "decision table", _kind(behaviour, True), "as stated",
                               [], _outcome(behaviour, True))]
    truth = [_true_value(c) for c in conditions]
    falsity = [_false_value(c) for c in conditions]
    rows: list[tuple[list[bool], bool]]
    stated = [e for e in behaviour.effects if not e.always]
    if not behaviour.exclusive and not behaviour.otherwise and stated and stated[0].derived:
        rows = [([True] * len(conditions), True)]  # no outcome is stated to be withheld
    elif behaviour.combination == "or":
        rows = [([False] * len(conditions), False)]
        rows += [([i == j for j in range(len(conditions))], True) for i in range(len(conditions))]
    else:
        rows = [([True] * len(conditions), True)]
        rows += [([i != j for j in range(len(conditions))], False)
                 for i in range(len(conditions))]
    configurations = []
    for values, holds in rows:
        chosen = [truth[i] if value else falsity[i] for i, value in enumerate(values)]
        telling = [text for (text, _), value in zip(chosen, values, strict=True)
                   if value != (behaviour.combination == "and")] or [t for t, _ in chosen]
        configurations.append(_configuration(
            behaviour, "decision table", _kind(behaviour, holds), "; ".join(telling),
            [_setting(text, value) for text, value in chosen], _outcome(behaviour, holds),
            data="; ".join(value for _, value in chosen if value)))
    return configurations


def boundary_values(behaviour: Behaviour) -> list[Configuration]:
    """Return a configuration per boundary value of every limit, other conditions true."""
    configurations = []
    unstated = not behaviour.exclusive and not behaviour.otherwise and bool(
        behaviour.effects) and behaviour.effects[0].derived  # no outcome to withhold
    for index, condition in enumerate(behaviour.conditions):
        if condition.quantity is None:
            continue
        others = [_true_value(c) for i, c in enumerate(behaviour.conditions) if i != index]
        for point in boundaries(condition.quantity):
            if unstated and not point.meets:
                continue  # "search ... when there is more than one constituency": 1 is untold
            value = example(condition.quantity, point.value)
            configurations.append(_configuration(
                behaviour, "boundary values", "boundary",
                f"{amount(condition.quantity, point.value)}, {point.where} "
                f"({condition.quantity.text})",
                [_setting(with_value(condition.text, condition.quantity, point.value), value),
                 *(_setting(text, v) for text, v in others)],
                _outcome(behaviour, point.meets), data=value))
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
            outcome = _outcome(behaviour, meets)
            stated = next((e.text for e in behaviour.effects if limit.text in e.text), None)
            if action is None and stated is not None:  # the outcome states the limit
                said = with_value(stated, limit, point.value)
                refused = f"{amount(limit, point.value)} is refused ({stated})" \
                    if _DEMAND.search(stated) else negate(said)  # "need an end date ..."
                outcome = [said if meets else refused]
            configuration = _configuration(
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
        return [_setting(f"{behaviour.actor} has not {inflect(doc[0].lemma_, 'VBN')} "
                         f"{doc[1:].text} before", "")]
    return [_setting(f"{behaviour.actor} has already {inflect(doc[0].lemma_, 'VBN')} "
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

        settings = [_setting(put(text), written if given.text in text else value)
                    for text, value in map(_true_value, behaviour.conditions)]
        actions = [put(action) for action in behaviour.actions]
        configuration = _configuration(
            behaviour, "boundary values", "boundary",
            f"{written}, {point.where} ({limit.text}, {source})", settings,
            [put(text) for text in _outcome(behaviour, point.meets)],
            data=written if actions != behaviour.actions else "", actions=actions)
        configurations.append(configuration.model_copy(update={
            "preconditions": [put(text) for text in behaviour.preconditions]}))
    return configurations


def _timings(behaviour: Behaviour) -> list[Timing]:
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
    others = [_true_value(c) for c in behaviour.conditions]
    for timing in _timings(behaviour):
        for point in moments(timing):
            def put(text: str, point: Moment = point, timing: Timing = timing) -> str:
                return re.sub(r"\s{2,}", " ", text.replace(timing.text, point.replacement)).strip()

            dates = [_DATE.search(text) for text in point.settings]
            configurations.append(_configuration(
                behaviour, "timings", "boundary", f"{point.where} ({timing.text})",
                [*(_setting(text, found[0] if found else "")
                   for text, found in zip(point.settings, dates, strict=True)),
                 *(_setting(text, value) for text, value in others)],
                [put(text) for text in _outcome(behaviour, point.meets)],
                actions=[put(action) for action in behaviour.actions],
                data="; ".join(found[0] for found in dates if found)))
    return configurations


def equivalence_classes(behaviour: Behaviour) -> list[Configuration]:
    """Return a valid value of each data format, then one configuration per invalid class."""
    configurations = []
    for name in behaviour.formats:
        entry = next((v for k, v in FORMAT_CLASSES.items() if k in name), None)
        if entry is None:
            continue
        valid, invalid = entry
        configurations.append(_configuration(behaviour, "equivalence classes", "data",
                                             f"valid {name}: {valid}", [],
                                             _outcome(behaviour, True), data=valid))
        configurations += [_configuration(
            behaviour, "equivalence classes", "data", f"invalid {name} ({why}): {value}", [],
            [f"The {name} {value} is refused with a message saying what is wrong",
             *negative_outcome(behaviour)[:1]], data=value) for value, why in invalid]
    return configurations


def as_the_user(clause: str) -> str:
    """Return a clause about people in general as one about the signed-in user.

    "All agents see the banner" -> "The user sees the banner": in a role case the tester is
    one of them.
    """
    doc = parse(clause)
    subject = next((t for t in doc if t.dep_ == "nsubj"), None)
    if subject is None or not is_person(subject) or subject.head.tag_ != "VBP":
        return clause
    verb = subject.head
    return f"{doc[:subject.left_edge.i].text} The user {inflect(verb.lemma_, 'VBZ')} " \
        f"{doc[verb.i + 1:].text}".strip()


def role_cases(behaviour: Behaviour) -> list[Configuration]:
    """Return a configuration as each allowed role, and as each role the criterion refuses."""
    allowed = negative_outcome(behaviour) if behaviour.prohibited else _outcome(behaviour, True)
    refused = _outcome(behaviour, True) if behaviour.prohibited else negative_outcome(behaviour)
    role = behaviour.allowed_roles[0] if behaviour.allowed_roles else ""
    restricted = next((e.text for e in behaviour.effects if role and role in e.text), None)
    if restricted is not None:  # "All agents see X but only users with the Y role can see Z"
        said = re.sub(r"\bonly\s+(?:the\s+|an?\s+)?" + re.escape(role), "the user", restricted)
        common = [as_the_user(e.text) for e in behaviour.effects if e.text != restricted]
        allowed, refused = [*common, said], [*common, negate(said)]
    configurations = [_configuration(behaviour, "roles", "role", f"as {role}", [], allowed,
                                     actor=role) for role in behaviour.allowed_roles]
    without = re.match(r"^\w+ with (?P<what>.+)$", role)
    others = behaviour.refused_roles or (
        [f"someone without {without['what']}" if without else f"someone who is not {role}"]
        if role else [])
    configurations += [_configuration(behaviour, "roles", "role", f"as {role}", [], refused,
                                      actor=role) for role in others]
    return configurations


def state_cases(behaviour: Behaviour) -> list[Configuration]:
    """Return the first time and the repeat, for once / first time / again / per-period rules.

    "Waive one fee per account in a rolling 12 months": the first waiver goes ahead, the
    second in the period does not. "Sam cannot sign the petition again": the first
    signature goes ahead, and the repeat is what is refused.
    """
    if behaviour.repeat is None or not behaviour.actions:
        return []
    action = behaviour.actions[0]
    again = behaviour.repeat.lower() in {"again", "second", "more than once"}
    period = re.search(re.escape(behaviour.repeat) + r"[^,;()]*?(?=\s+(?:without|with|by)\b|$)",
                       action)
    scope = "" if again or period is None else f" ({period[0]})"
    plain = attempted(action)
    result = passive_result(plain)
    if result is None:  # "Validate": the person has, or has not, done it
        verb, _, rest = plain.partition(" ")
        done = f"{inflect(parse(f'they {verb.lower()}')[1].lemma_, 'VBN')} {rest}".strip()
        who = behaviour.actor if behaviour.actor and \
            behaviour.actor.lower() not in words().pronouns else "The user"
        first, repeat = f"{who} has not {done} before{scope}", \
            f"{who} has already {done} once{scope}"
    else:
        first = negate(re.sub(r" (is|are) ", r" has been ", result, count=1)) + " before" + scope
        repeat = re.sub(r" (is|are) ", r" has already been ", result, count=1) + " once" + scope
    once = _AGAIN.sub("", plain).replace("  ", " ").strip()
    first_actions = [once[:1].upper() + once[1:], *behaviour.actions[1:]] if again else None
    return [  # "again": what the criterion states is the repeat's; else the first time's
        _configuration(behaviour, "states", _kind(behaviour, not again), "the first time",
                       [_setting(first, "")], _outcome(behaviour, not again),
                       actions=first_actions),
        _configuration(behaviour, "states", _kind(behaviour, again),
                       "again, after the first time", [_setting(repeat, "")],
                       _outcome(behaviour, again)),
    ]


TECHNIQUES: dict[Technique, Callable[[Behaviour], list[Configuration]]] = {
    "decision table": decision_table, "boundary values": boundary_values, "timings": timings,
    "states": state_cases, "roles": role_cases, "equivalence classes": equivalence_classes,
}


def requested(behaviour: Behaviour, kind: CaseKind, condition: str | None,
              planned: set[tuple[str, ...]]) -> Configuration | None:
    """Return the configuration a person asks for: of a kind, under a condition they name."""
    if condition:
        holds = kind == "positive"
        return _configuration(behaviour, "decision table", kind, condition,
                              [_setting(condition, "")], _outcome(behaviour, holds))
    every: list[Technique] = list(TECHNIQUES)
    return next((c for c in design(behaviour, every)
                 if c.kind == kind and c.key() not in planned), None)


def applicable(behaviour: Behaviour) -> list[Technique]:
    """Return the techniques a behaviour calls for, in the order they are planned."""
    restricted = any(role in e.text for role in behaviour.allowed_roles
                     for e in behaviour.effects)  # the role cases check every effect
    replaced = (behaviour.prohibited and behaviour.allowed_roles) or restricted or (
        behaviour.repeat and behaviour.actions and not behaviour.conditions)
    timed = bool(_timings(behaviour))
    replaced = replaced or (timed and not behaviour.conditions and not behaviour.alternatives)
    chosen: list[Technique] = [] if replaced else ["decision table"]
    if behaviour.limits or any(c.quantity for c in behaviour.conditions):
        chosen.append("boundary values")
    if timed:
        chosen.append("timings")
    if behaviour.repeat and behaviour.actions:
        chosen.append("states")
    if behaviour.allowed_roles:
        chosen.append("roles")
    if behaviour.formats:
        chosen.append("equivalence classes")
    return chosen


def design(behaviour: Behaviour, techniques: list[Technique] | None = None
           ) -> list[Configuration]:
    """Return the distinct configurations of the chosen (or applicable) techniques, in order."""
    seen: set[tuple[str, ...]] = set()
    configurations = []
    for technique in techniques or applicable(behaviour):
        for configuration in TECHNIQUES[technique](behaviour):
            if configuration.key() not in seen:
                seen.add(configuration.key())
                configurations.append(_with_dates(configuration))
    return configurations


def _with_dates(configuration: Configuration) -> Configuration:
    """Give an outcome that counts a date from another its example dates (see `dated`)."""
    settings, outcome = list(configuration.settings), []
    for text in configuration.outcome:
        if example_date := dated(text):
            setting, text = example_date
            if setting not in (s.text for s in settings):
                settings.append(_setting(setting, setting.rsplit(" is ", 1)[-1]))
        outcome.append(text)
    return configuration.model_copy(update={"settings": settings, "outcome": outcome})
