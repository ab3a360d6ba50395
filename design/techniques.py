"""Test-design techniques: pure functions from a `Behaviour` to the configurations to test.

- decision table: CiRA's minimal covering set over the conditions' cause-effect tree
  (`cause_effect.py`), each condition shown once to flip the outcome: n+1 configurations for
  n conditions under one junctor, five for "(A and B) or C";
- boundary values: on each limit, just inside and just outside, one unit step apart
  (`boundaries.py`);
- equivalence classes: a valid value of each data format, then each invalid class;
- roles: the allowed role, and a role the criterion refuses;
- states: the first time, and again, for once / first time / per-period rules;
- timings: a deadline on its last moment, a wait on its last day and the day before, dated
  (`boundaries.py`).

A configuration whose conditions do not hold expects what the criterion states for that
case ("otherwise"), or else the criterion's effects negated: never the positive outcome.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from casewright.design.behaviour import (
    Behaviour,
    Configuration,
    Technique,
)
from casewright.design.boundaries import boundary_values, timings, timings_of
from casewright.design.cause_effect import covering, evaluate, resting
from casewright.design.configurations import (
    configured,
    expected,
    false_value,
    kind_of,
    negative_outcome,
    setting_of,
    true_value,
)
from casewright.design.data_kinds import FORMAT_CLASSES
from casewright.design.language import (
    attempted,
    inflect,
    is_person,
    negate,
    parse,
    passive_result,
)
from casewright.design.lexicon import words
from casewright.design.quantities import (
    dated,
)
from casewright.design.rendering import one_of
from casewright.models import CaseKind

_AGAIN = re.compile(r"\s*\b(again|(?:for )?a second time|more than once)\b", re.IGNORECASE)


def decision_table(behaviour: Behaviour) -> list[Configuration]:
    """Return the minimal covering set of the conditions' cause-effect tree.

    Every condition is shown once to flip the outcome, and each row expects what the tree
    gives for it (`cause_effect.covering`). Alternative actions ('authorised or declined')
    are each a row of their own.
    """
    conditions = behaviour.conditions
    if not conditions:
        if behaviour.alternatives:
            return [configured(behaviour, "decision table", kind_of(behaviour, True),
                                   alternative, [], expected(behaviour, True),
                                   actions=[alternative, *behaviour.actions[1:]])
                    for alternative in behaviour.alternatives]
        if behaviour.limits or not behaviour.effects:
            return []  # the boundary values show the limit with real values
        outcome = expected(behaviour, True)  # the title says it: "as stated" says nothing
        return [configured(behaviour, "decision table", kind_of(behaviour, True),
                               "; ".join(outcome), [], outcome)]
    truth = [true_value(c) for c in conditions]
    falsity = [false_value(c) for c in conditions]
    cause, stated = behaviour.causes(), [e for e in behaviour.effects if not e.always]
    rows = [[row[i] for i in range(len(conditions))] for row, _ in covering(cause)]
    if not behaviour.exclusive and not behaviour.otherwise and stated and stated[0].derived:
        rows = [[True] * len(conditions)]  # no outcome is stated to be withheld
    configurations, resting_values = [], resting(cause)
    for values in rows:
        holds = evaluate(cause, values)
        chosen = [truth[i] if value else falsity[i] for i, value in enumerate(values)]
        telling = [text for i, (text, _) in enumerate(chosen)
                   if values[i] != resting_values[i]] or [t for t, _ in chosen]
        configurations.append(configured(
            behaviour, "decision table", kind_of(behaviour, holds), "; ".join(telling),
            [setting_of(text, value) for text, value in chosen], expected(behaviour, holds),
            data="; ".join(value for _, value in chosen if value)))
    return configurations


def equivalence_classes(behaviour: Behaviour) -> list[Configuration]:
    """Return a valid value of each data format, then one configuration per invalid class."""
    configurations = []
    for name in behaviour.formats:
        entry = next((v for k, v in FORMAT_CLASSES.items() if k in name), None)
        if entry is None:
            continue
        valid, invalid = entry
        configurations.append(configured(behaviour, "equivalence classes", "data",
                                             f"valid {name}: {valid}", [],
                                             expected(behaviour, True), data=valid))
        configurations += [configured(
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
    allowed = negative_outcome(behaviour) if behaviour.prohibited else expected(behaviour, True)
    refused = expected(behaviour, True) if behaviour.prohibited else negative_outcome(behaviour)
    role = behaviour.allowed_roles[0] if behaviour.allowed_roles else ""
    restricted = next((e.text for e in behaviour.effects if role and role in e.text), None)
    if restricted is not None:  # "All agents see X but only users with the Y role can see Z"
        said = re.sub(r"\bonly\s+(?:the\s+|an?\s+)?" + re.escape(role), "the user", restricted)
        common = [as_the_user(e.text) for e in behaviour.effects if e.text != restricted]
        allowed, refused = [*common, said], [*common, negate(said)]
    configurations = [configured(behaviour, "roles", "role", f"as {role}", [], allowed,
                                     actor=role) for role in behaviour.allowed_roles]
    without = re.match(r"^\w+ with (?P<what>.+)$", role)
    others = behaviour.refused_roles or (
        [f"someone without {without['what']}" if without else
         f"someone who is not {one_of(role)}"]
        if role else [])
    configurations += [configured(behaviour, "roles", "role", f"as {role}", [], refused,
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
        configured(behaviour, "states", kind_of(behaviour, not again), "the first time",
                       [setting_of(first, "")], expected(behaviour, not again),
                       actions=first_actions),
        configured(behaviour, "states", kind_of(behaviour, again),
                       "again, after the first time", [setting_of(repeat, "")],
                       expected(behaviour, again)),
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
        return configured(behaviour, "decision table", kind, condition,
                              [setting_of(condition, "")], expected(behaviour, holds))
    every: list[Technique] = list(TECHNIQUES)
    return next((c for c in design(behaviour, every)
                 if c.kind == kind and c.key() not in planned), None)


def applicable(behaviour: Behaviour) -> list[Technique]:
    """Return the techniques a behaviour calls for, in the order they are planned."""
    restricted = any(role in e.text for role in behaviour.allowed_roles
                     for e in behaviour.effects)  # the role cases check every effect
    replaced = (behaviour.prohibited and behaviour.allowed_roles) or restricted or (
        behaviour.repeat and behaviour.actions and not behaviour.conditions)
    timed = bool(timings_of(behaviour))
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
                settings.append(setting_of(setting, setting.rsplit(" is ", 1)[-1]))
        outcome.append(text)
    return configuration.model_copy(update={"settings": settings, "outcome": outcome})
