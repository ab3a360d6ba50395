"""The passes that finish a behaviour read from a sentence, as one explicit, ordered list.

After the act is read (`acted`), each pass takes the behaviour and the sentence and returns
the behaviour: a condition that is an attempt becomes the action, what the action needs is
set up, limits, roles, repeat rules and formats are read. The order matters: a pass reads what
the ones before it settled.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from casewright.design.acts import bad_data, person_effect, person_subject
from casewright.design.behaviour import Behaviour, Condition, Effect
from casewright.design.data_kinds import entry
from casewright.design.language import (
    attempted,
    imperative,
    inflect,
    is_person,
    negate,
    parse,
    parse_instruction,
    passive_result,
    persona_parse,
    plural,
)
from casewright.design.lexicon import words
from casewright.design.outcomes import data_state, outcome_of, target_exists
from casewright.design.quantities import find_limits
from casewright.design.shapes import shape

EXAMPLE_COUNT = 3
"""How many things a total counts in test data: more than one, so plurals and sums show."""
_AS_SIGNED_OUT = re.compile(r"\s*\bas an? (?:logged|signed)[- ]out (?:user|visitor|person)\b",
                            re.IGNORECASE)
_SHOWN = re.compile(r"\b(shows?|lists?|displays?)\b", re.IGNORECASE)
_VALIDATES = re.compile(r"\b(valid|invalid|format\w*|must be|checked)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Said:
    """The sentence a behaviour was read from, and the person it names first."""

    text: str
    person: str | None


def attempt_as_action(behaviour: Behaviour, said: Said) -> Behaviour:
    """Make a condition that is the actor's attempt ("if she tries to sign") the action.

    Trying is what the tester does, not a condition to vary: negated, it would set up "does
    not try to sign" and then sign.
    """
    if behaviour.actions:
        return behaviour
    for condition in behaviour.conditions:
        if attempt := shape("tries-to").match(condition.text):
            behaviour.conditions.remove(condition)
            behaviour.actions.append(f"Try to {attempt['act']}")
            behaviour.actor = behaviour.actor or attempt["who"]
            return behaviour
    return behaviour


def act_as_trigger(behaviour: Behaviour, said: Said) -> Behaviour:
    """Make the act that shows a person something the action, not a condition to vary.

    "Laura sees notice that she has already signed when she validates more than once": the
    tester validates (twice), then looks; "Laura does not validate" is nothing to test.
    """
    if behaviour.actions or len(behaviour.conditions) != 1 or not behaviour.effects:
        return behaviour
    condition = behaviour.conditions[0]
    seer = person_subject(behaviour.effects[0].text)
    effect = parse(behaviour.effects[0].text)
    told = any(t.dep_ == "nsubjpass" and is_person(t) for t in effect)  # "Charlie is notified"
    who = person_subject(condition.text)
    if condition.connective not in {"when", "if", "once", "after"} or who is None or not (
            told or seer is not None and effect[:].root.lemma_ in words().receive_verbs):
        return behaviour
    text = condition.text
    times = condition.quantity is not None and condition.quantity.unit == "times"
    if times and condition.quantity is not None:
        text = text.replace(condition.quantity.text, "").strip()
    subject = next((t for t in persona_parse(text) if t.dep_ == "nsubj"), None)
    if subject is None or subject.head.tag_ not in {"VBZ", "VBP", "VBD"} or any(
            t.dep_ in {"aux", "neg"} for t in subject.head.children):
        return behaviour  # "when she has signed", "when he is not a citizen": a state to vary
    action = imperative(text)
    if action is None or (condition.quantity is not None and not times):
        return behaviour
    behaviour.actions, behaviour.conditions, behaviour.actor = [action], [], who
    if times and condition.quantity is not None and condition.quantity.value == 1:
        behaviour.repeat = "more than once"
    return behaviour


def none_named(behaviour: Behaviour, said: Said) -> Behaviour:
    """Name what 'none' counts: 'if there are none to anonymize' -> 'no petitions to ...'."""
    result = passive_result(attempted(behaviour.actions[0])) if behaviour.actions else None
    thing = re.split(r" (?:is|are) ", result, maxsplit=1)[0] if result else ""
    for condition in behaviour.conditions:
        if thing and re.match(r"^there (?:is|are) none\b", condition.text, re.IGNORECASE):
            condition.text = re.sub(r"\bnone\b", f"no {thing.removeprefix('The ')}",
                                    condition.text, count=1)
    return behaviour


def not_twice(behaviour: Behaviour, said: Said) -> Behaviour:
    """Read '..., but cannot report it twice' as a repeat rule on the act: once, not again."""
    if len(behaviour.actions) != 1 or len(behaviour.effects) < 2:
        return behaviour
    verb = parse_instruction(behaviour.actions[0])
    for effect in behaviour.effects[1:]:
        doc = parse(effect.text)
        if shape("not-twice").search(effect.text) and len(verb) > 1 and \
                doc[:].root.lemma_ == verb[1].lemma_:
            behaviour.effects.remove(effect)
            behaviour.repeat = "twice"
            return behaviour
    return behaviour


def instructions_as_steps(behaviour: Behaviour, said: Said) -> Behaviour:
    """Make a later clause that is an instruction ('... and go to its profile') a step."""
    if not behaviour.actions:
        return behaviour
    for effect in list(behaviour.effects[1:]):
        doc = parse(effect.text[:1].lower() + effect.text[1:])
        if doc and doc[0].tag_ == "VB" and doc[0].dep_ == "ROOT" and not any(
                t.dep_ in {"nsubj", "nsubjpass"} for t in doc):
            behaviour.effects.remove(effect)
            action = f"{effect.text[:1].upper()}{effect.text[1:]}"
            behaviour.actions.append(action)
            result = outcome_of(action) or f"{action} is done"
            behaviour.effects = [Effect(text=result[:1].upper() + result[1:], derived=True),
                                 *(e for e in behaviour.effects if not e.derived)]
    return behaviour


def signed_out(behaviour: Behaviour, said: Said) -> Behaviour:
    """Refuse an act done signed out when no outcome is stated: access control, by default.

    "Accessing the job admin when not logged in" -> signed out, try to access the job admin:
    it is not accessed (and, signed in, it is). A criterion that states an outcome keeps it.
    """
    if len(behaviour.actions) != 1 or behaviour.prohibited or len(behaviour.effects) != 1:
        return behaviour
    action, effect = behaviour.actions[0], behaviour.effects[0]
    out = shape("signed-out").search(action)
    bare = re.sub(r"\s+", " ", shape("signed-out").sub("", _AS_SIGNED_OUT.sub("", action))).strip()
    if not (out or any(shape("signed-out").search(c.text) for c in behaviour.conditions)) or not (
            effect.derived or effect.text in {outcome_of(action), outcome_of(bare)}):
        return behaviour
    if re.search(r"\bpublic\b", action, re.IGNORECASE):  # what is public is there for anyone
        if out:  # "seeing public posts as a logged out user"
            behaviour.preconditions.append("The user is not signed in")
            behaviour.actions = [bare]
            behaviour.effects = [Effect(text=outcome_of(bare) or effect.text, derived=True)]
        return behaviour
    if out:  # "View the admin hub without signing in": the set-up, not the act
        behaviour.conditions.append(Condition(text="the user is not signed in",
                                              connective="when"))
        action = bare
    behaviour.effects = [Effect(text=negate(outcome_of(action) or effect.text))]
    behaviour.actions = [f"Try to {action[:1].lower()}{action[1:]}"]
    behaviour.prohibited = True
    return behaviour


def first_to_act(behaviour: Behaviour, said: Said) -> Behaviour:
    """Read 'First person sponsors a petition' as a state, not a role: nobody has yet."""
    found = re.match(r"^(?:the\s+)?first\s+(?P<who>[a-z]+)$", behaviour.actor or "",
                     re.IGNORECASE)
    if found is None or len(behaviour.actions) != 1:
        return behaviour
    doc = parse_instruction(behaviour.actions[0])
    if len(doc) < 3 or doc[1].pos_ != "VERB":
        return behaviour
    behaviour.actor = None
    behaviour.preconditions.append(f"No one has {inflect(doc[1].lemma_, 'VBN')} "
                                   f"{doc[2:].text} yet")
    return behaviour


def counted(behaviour: Behaviour, said: Said) -> Behaviour:
    """Give a total something to count: 'a total of petitions needing moderation' shows 3."""
    for effect in behaviour.effects:
        found = shape("total-of").search(effect.text)
        if found and parse(found["what"])[0].tag_ in {"NNS", "NNPS"}:
            behaviour.preconditions.append(f"There are {EXAMPLE_COUNT} {found['what']}")
            effect.text = effect.text.replace(found[0], f"{found['lead']} {EXAMPLE_COUNT} "
                                              f"{found['what']}", 1)
            return behaviour
    return behaviour


def received(text: str) -> bool:
    """Whether a sentence says what a person gets or receives ('Suzie receives an email')."""
    doc = parse(text)
    subject = next((t for t in doc if t.dep_ == "nsubj" and t.head.dep_ == "ROOT"), None)
    return subject is not None and is_person(subject) and \
        subject.head.lemma_ in {"get", "receive"}


def pronouns_named(behaviour: Behaviour, said: Said) -> Behaviour:
    """Put the person in for a condition's leading pronoun ('if she has signed')."""
    pronoun = words().pronoun()
    if said.person and not pronoun.match(said.person):
        for condition in behaviour.conditions:
            condition.text = pronoun.sub(said.person, condition.text)
    return behaviour


def set_up(behaviour: Behaviour, said: Said) -> Behaviour:
    """Set up what the action views or acts on (`outcomes.target_exists`)."""
    target_exists(behaviour, behaviour.actor or said.person)
    return behaviour


def untriggered(behaviour: Behaviour, said: Said) -> Behaviour:
    """Note what a person receives when nothing says what sends it."""
    behaviour.untriggered = not behaviour.actions and not behaviour.conditions and \
        bool(behaviour.effects) and received(behaviour.effects[0].text)
    return behaviour


def limits(behaviour: Behaviour, said: Said) -> Behaviour:
    """Read the limits of the actor's input, or of the outcome when nothing is done."""
    in_conditions = {c.quantity.text for c in behaviour.conditions if c.quantity}
    behaviour.limits = [q for action in behaviour.actions for q in find_limits(action)
                        if q.text not in in_conditions and not q.text.startswith("within")]
    if not behaviour.actions and not behaviour.conditions:
        behaviour.limits += [q for e in behaviour.effects for q in find_limits(e.text)
                             if not q.text.startswith("within")]
    return behaviour


def listed(behaviour: Behaviour, said: Said) -> Behaviour:
    """Set up several things for an outcome that shows each of them."""
    for effect in behaviour.effects[:1]:
        if (each := shape("each-shown").search(effect.text)) and _SHOWN.search(effect.text):
            behaviour.preconditions.append(f"There are {EXAMPLE_COUNT} {plural(each['noun'])}")
    return behaviour


def roles(behaviour: Behaviour, said: Said) -> Behaviour:
    """Read the one role allowed ('only a team leader can'), each role named once.

    A condition that only says who acts ("when accessed by a standard user", "if viewed by
    a finance officer") names the role the tester signs in as, and one that is not it.
    """
    if match := shape("only-role").search(said.text):
        behaviour.allowed_roles.append(match["role"].strip())
    if behaviour.effects and not behaviour.allowed_roles and len(behaviour.conditions) == 1 and \
            (role := _agent_role(behaviour.conditions[0].text)):
        behaviour.allowed_roles.append(role)
        behaviour.conditions = []
    named = {re.sub(r"^(an?|the)\s+", "", r, flags=re.I).lower(): r
             for r in reversed(behaviour.allowed_roles)}
    behaviour.allowed_roles = list(reversed(list(named.values())))
    return behaviour


def _agent_role(clause: str) -> str | None:
    """Return the person a bare passive clause names as who acts: "accessed by an admin"."""
    doc = parse(clause)
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    if root is None or root.tag_ != "VBN" or root.i != 0 or \
            {t.dep_ for t in root.children} - {"agent", "punct"}:
        return None
    person = next((t for a in root.children if a.dep_ == "agent" for t in a.children
                   if t.dep_ == "pobj"), None)
    if person is None or not is_person(person):
        return None
    return re.sub(r"^(an?|the)\s+", "", doc[person.left_edge.i:person.right_edge.i + 1].text,
                  flags=re.IGNORECASE)


def repeat(behaviour: Behaviour, said: Said) -> Behaviour:
    """Read a once / first time / per-period rule."""
    if match := shape("repeat-rule").search(said.text):
        behaviour.repeat = match[0]
    return behaviour


def formats(behaviour: Behaviour, said: Said) -> Behaviour:
    """Read the data formats a criterion validates, unless an act names its invalid data."""
    if _VALIDATES.search(said.text) and not any(bad_data(a)
                                                for a in behaviour.actions):
        found = words().formats().findall(said.text)
        behaviour.formats = list(dict.fromkeys(m.lower() for m in found))
    return behaviour


def entered(behaviour: Behaviour, said: Said) -> Behaviour:
    """Check the value an entry act enters where the outcome is worded from the act.

    "Change their email address" enters an example email (`data_kinds.entry`, the
    configuration's data), so "The email address is changed" says to what. An act on the
    screen alone ("Enter their date of birth") still says nothing of what should happen.
    """
    if len(behaviour.actions) == 1 and behaviour.effects and behaviour.effects[0].derived \
            and not bad_data(behaviour.actions[0]) and (found := entry(behaviour.actions[0])) \
            and found.verb not in words().ui_acts:
        first = behaviour.effects[0]
        behaviour.effects[0] = first.model_copy(
            update={"text": f'{first.text} {found.preposition} "{found.value}"'})
    return behaviour


Pass = Callable[[Behaviour, "Said"], Behaviour]
PASSES: tuple[Pass, ...] = (pronouns_named, attempt_as_action, act_as_trigger, none_named,
                            not_twice, instructions_as_steps, signed_out, set_up, first_to_act,
                            counted, untriggered, limits, listed, roles, repeat, formats,
                            entered)
"""The passes after the act is read, in the order they run."""


def acted(behaviour: Behaviour) -> Behaviour:
    """Read the act in a behaviour that has effects but no action yet (`acts.person_effect`)."""
    if not behaviour.actions and behaviour.effects:
        person_effect(behaviour)
        if not behaviour.prohibited:
            data_state(behaviour)
    return behaviour


def finished(behaviour: Behaviour, text: str) -> Behaviour:
    """Read the act, then run every pass: the actor, the set-up, limits, roles and formats."""
    behaviour = acted(behaviour)
    person = behaviour.actor or next(
        (p for e in behaviour.effects[:1] if (p := person_subject(e.text))), None)
    said = Said(text=text, person=person)
    for step in PASSES:
        behaviour = step(behaviour, said)
    return behaviour
