"""One sentence of a criterion read into a `Behaviour`, and Given/When/Then criteria.

A sentence splits into its condition and main clause (`clauses`); the main clause's clauses
become effects, the condition's become conditions (an -ing act the actor does becomes the
action). Rule shapes that hide their condition ("X must A before B-ing", "Every X needs Y",
"X under £10 are not allowed") are read whole.
"""

from __future__ import annotations

import re

from casewright.design.acts import person_subject
from casewright.design.behaviour import Behaviour, Condition, Effect
from casewright.design.cause_effect import continued, grouped
from casewright.design.clauses import (
    clean,
    connective_of,
    split_clauses,
    split_sentence,
    subject_phrase,
)
from casewright.design.language import (
    imperative,
    inflect,
    is_machine,
    is_verb,
    negate,
    parse,
    parse_instruction,
    passive_result,
)
from casewright.design.lexicon import words
from casewright.design.outcomes import instruction, what_it_does
from casewright.design.passes import finished
from casewright.design.quantities import find_limits
from casewright.design.shapes import shape
from casewright.models import AcceptanceCriterion

_OTHERWISE_PHRASE = re.compile(r"\s*\b(below|above|under|over|outside|beyond) (that|this|it|"
                               r"them)\b", re.IGNORECASE)


def implied_subject(sentence: str) -> str:
    """Give a title with no subject its user: 'can post a message' -> 'The user can post ...'.

    Teams title scenarios by what the user does, leaving out who ("sends an invitation from
    the sidebar"); an instruction ("Reset my password") is left as it is.
    """
    doc = parse(sentence)
    if not doc or any(t.dep_ in {"nsubj", "nsubjpass", "expl", "csubj"} and t.head.dep_ == "ROOT"
                      for t in doc):  # a relative clause's subject ("that is overdue") is not it
        return sentence
    if doc[0].dep_ == "compound":
        return sentence  # "Cookies policy - <link>": the first word names, it does nothing
    lowered = f"{sentence[:1].lower()}{sentence[1:]}"
    said = parse(f"The user {lowered}")
    verb = doc[2:3] if doc[1:2].text.lower() in {"not", "n't"} else doc[1:2]
    if doc[0].tag_ == "MD" and verb.text.lower() not in {"be", ""} or (
            doc[0].lower_.endswith("s") and said[2].tag_ == "VBZ" and said[2].dep_ == "ROOT"):
        return f"The user {lowered}"
    return sentence


def read_sentence(sentence: str, behaviour: Behaviour) -> None:
    """Read one sentence into a behaviour: its conditions, actions and effects."""
    if match := shape("sees-whether").match(sentence):  # "I can see when there are petitions ..."
        what = match["what"]
        behaviour.conditions.append(Condition(text=what, connective="when"))
        behaviour.effects.append(Effect(text=f"The screen shows that {what}"))
        behaviour.exclusive = True
        return
    main, condition, connective = split_sentence(sentence)
    main, condition = continued(main, condition)
    main = re.sub(r"^(the system|system)\s+(shall|should|must|will)\s+", "", main, flags=re.I)
    if ", only " in main:
        main, other = main.split(", only ", 1)
        behaviour.allowed_roles.append(re.sub(r"\s+(can|may)$", "", other).strip())
    trigger = shape("on-event").match(main)
    if trigger and is_verb(trigger["verb"]):
        main = main[trigger.end():]
        subject = subject_phrase(main)
        verb = parse(trigger["verb"])[0].lemma_
        behaviour.actions.append(f"{verb.capitalize()} {subject.lower() if subject else ''}"
                                 .strip())
    if not condition and _rule_sentence(main, behaviour):
        return
    effects, _ = split_clauses(main)
    if condition and parse(condition)[0].tag_ == "VBG":
        # "when viewing a debated petition", "while sponsoring": what the actor is doing;
        # "... and a message has been enabled" after it is a condition again
        doing, *rest = split_clauses(condition)[0]
        done = parse(doing)
        act = f"{done[0].lemma_.capitalize()}{done[0].whitespace_}{done[1:].text}".strip()
        timed = (connective or "").lower()
        if timed == "before" and (result := passive_result(act)):
            # "before passing the threshold": a state to vary, not an act
            behaviour.conditions.append(Condition(text=negate(result), connective="before"))
        elif timed in {"after", "upon", "on"} and (done_first := imperative(main)) and \
                parse(done_first)[0].lemma_.lower() not in words().receive_verbs:
            # "Suzie signs a petition after validating her email": done first, then the act
            behaviour.preconditions.append(passive_result(act) or f"{act} is done")
        else:
            behaviour.actions.append(act)
        condition = " and ".join(rest) or None
    if condition:
        clauses, joiner = split_clauses(condition)
        clauses = _keep_otherwise(clauses, effects, behaviour)
        kind = connective_of(connective or "if")
        clauses, behaviour.cause = grouped(condition, clauses, len(behaviour.conditions),
                                           negated=kind == "unless")
        behaviour.combination = joiner
        behaviour.exclusive = behaviour.exclusive or kind in {"only if", "unless"}
        for clause in clauses:
            clause = negate(clause) if kind == "unless" else clause
            behaviour.conditions.append(Condition(
                text=clause, connective=kind, quantity=next(iter(find_limits(clause)), None)))
    for effect in _keep_otherwise(effects, effects, behaviour):
        if (it := shape("it-does").match(effect)) and behaviour.actions:  # "..., it returns all Y"
            effect = what_it_does(it["verb"], it["what"])
        if re.search(r"\bonly\b", effect) and condition:
            behaviour.exclusive = True
            effect = re.sub(r"\s*\bonly\b", "", effect).strip()
        always = bool(re.search(r"\b(still|also|even)\b", effect))
        behaviour.effects.append(Effect(text=effect, always=always))


def _rule_sentence(main: str, behaviour: Behaviour) -> bool:
    """Read the rule shapes that hide their condition; return whether one matched.

    "X must A before B-ing": doing B succeeds only once A is done. "Every X needs Y": an X
    is accepted only with Y. "X under £10 are not allowed": the limit is the condition.
    """
    if match := shape("must-before").match(main):
        obliged = None if is_machine(match["who"]) else match["who"]
        first = _obliged(match["who"], match["first"])
        done = (passive_result(first) or f"The step '{first[:1].lower()}{first[1:]}' is done") \
            if first else None
        if done:
            detail = f": {match['detail']}" if match["detail"] else ""
            verb = parse(f"they are {match['then']}")[2].lemma_
            behaviour.actor = person_subject(f"{match['who']} {match['first']}") or obliged
            behaviour.conditions.append(Condition(text=f"{done}{detail}", connective="before"))
            behaviour.actions.append(f"Try to {verb}{match['object'].rstrip()}")
            doing = inflect(verb, "VBG").capitalize()
            behaviour.effects.append(Effect(text=f"{doing} goes ahead"))
            behaviour.otherwise.append(Effect(text=f"{doing} is refused until "
                                              f"{done[:1].lower()}{done[1:]}"))
            behaviour.exclusive = True
            return True
    examples = shape("examples-list").search(main)  # "Temporary need codes (bereavement, ...)"
    clauses, _ = split_clauses(shape("examples-list").sub("", main) if examples else main)
    if required := _requirement(clauses[0]):
        noun, what = required
        doc = parse(noun)
        rest = [c if parse(c)[0].pos_ not in {"AUX", "VERB"} else f"{noun} {c}"
                for c in clauses[1:]]
        if doc[0].tag_ == "VBG":  # "Removing an entry needs a reason"
            action = f"{doc[0].lemma_.capitalize()} {doc[1:].text}".strip()
            done = passive_result(action) or f"{noun} is done"
            behaviour.conditions.append(Condition(text=f"{what} is given",
                                                  connective="only if"))
            behaviour.actions.append(action)
            behaviour.effects += [Effect(text=done), *(Effect(text=c) for c in rest)]
            behaviour.otherwise.append(Effect(text=negate(done)))
            behaviour.exclusive = True
            return True
        if doc[-1].pos_ in {"NOUN", "PROPN"}:
            noun = _singular(noun)
            behaviour.conditions.append(Condition(
                text=f"the {noun} has {what}", connective="only if",
                quantity=next(iter(find_limits(what)), None)))
            example = f" ({examples['list'].split(',')[0].strip()})" if examples else ""
            behaviour.actions.append(f"Submit the {noun}{example}")
            behaviour.effects.append(Effect(text=f"The {noun} is accepted"))
            behaviour.effects += [Effect(text=c) for c in rest]
            behaviour.otherwise.append(Effect(text=f"The {noun} is refused"))
            behaviour.exclusive = True
            return True
    if (match := shape("not-allowed").match(main)) and (limits := find_limits(match["what"])):
        behaviour.conditions.append(Condition(text=match["what"], connective="if",
                                              quantity=limits[0]))
        behaviour.effects.append(Effect(text="The value is not allowed"))
        behaviour.otherwise.append(Effect(text="The value is allowed"))
        behaviour.prohibited = behaviour.exclusive = True
        return True
    return False


def _obliged(who: str, act: str) -> str | None:
    """Return what someone must do as an instruction ('the nurse', 'scan the wristband').

    Who must do something is a person, unless it is a machine or a place on screen.
    """
    if action := imperative(f"{who} {act}"):
        return action
    verb = parse_instruction(act)[1:2]
    return f"{act[:1].upper()}{act[1:]}" if verb and verb[0].pos_ == "VERB" and \
        verb[0].lemma_ != "be" and not is_machine(who) else None


def _requirement(clause: str) -> tuple[str, str] | None:
    """Return what needs something and what it needs: 'Every bill needs a due date'.

    The parse finds the subject where the words before 'need' hold 'need' themselves
    ("Temporary need codes need an end date ..."); a gerund subject is read as written.
    """
    match = shape("needs").match(clause)
    if match is None:
        return None
    noun = match["noun"].strip()
    doc = parse(noun)
    if doc[0].tag_ == "VBG" or doc[-1].pos_ in {"NOUN", "PROPN"}:
        return noun, match["what"]
    whole = parse(clause)
    root = whole[:].root
    subject = next((t for t in root.children if t.dep_ == "nsubj"), None)
    if root.lemma_ not in {"need", "require"} or subject is None:
        return None
    start = subject.left_edge.i + (whole[subject.left_edge.i].dep_ == "det")
    return whole[start:subject.i + 1].text, whole[root.i + 1:].text


def _singular(noun: str) -> str:
    """Return a noun phrase with its head in the singular: 'Temporary need codes' -> '... code'."""
    doc = parse(noun)
    head = doc[-1]
    word = head.lemma_ if head.tag_ in {"NNS", "NNPS"} else head.text
    text = f"{doc[:-1].text_with_ws}{word}"
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _keep_otherwise(clauses: list[str], effects: list[str], behaviour: Behaviour) -> list[str]:
    """Move clauses that state the other branch ('is not offered below that') to otherwise."""
    kept = []
    for clause in clauses:
        if _OTHERWISE_PHRASE.search(clause) and effects:
            subject = subject_phrase(effects[0]) or ""
            rest = _OTHERWISE_PHRASE.sub("", clause).strip()
            own = subject_phrase(rest)
            if own and rest.startswith(own) and own != subject:
                rest = rest[len(own):].strip()
            if subject and not rest.lower().startswith(subject.lower()):
                rest = f"{subject} {rest}"
            behaviour.otherwise.append(Effect(text=rest))
            behaviour.exclusive = True
        else:
            kept.append(clause)
    return kept


def demands(behaviour: Behaviour) -> list[Behaviour]:
    """Split off 'and must tick the consent box before it can be saved' as a rule of its own.

    What "it" is comes from the act before it ("add a register entry": the register entry);
    the rule is tested by saving with the box ticked (saved) and not ticked (not saved).
    """
    split = []
    for effect in list(behaviour.effects):
        found = shape("must-before-it-can-be").match(effect.text)
        done = passive_result(_obliged(found["who"], found["first"]) or "") if found else None
        if found is None or done is None:
            continue
        behaviour.effects.remove(effect)
        lead = behaviour.effects[0].text if behaviour.effects else ""
        thing = re.split(r" (?:is|are) ", lead, maxsplit=1)[0].lower() if \
            behaviour.effects and behaviour.effects[0].derived else "it"
        verb = parse(f"it is {found['done']}")[2].lemma_
        result = f"{thing[:1].upper()}{thing[1:]} is {found['done']}"
        split.append(Behaviour(
            criterion_id=behaviour.criterion_id, actor=found["who"],
            actions=[*behaviour.actions[:1], f"Try to {verb} {thing}"],
            preconditions=list(behaviour.preconditions),
            conditions=[Condition(text=done, connective="only if")], exclusive=True,
            effects=[Effect(text=result)],
            otherwise=[Effect(text=f"{negate(result)} until {done[:1].lower()}{done[1:]}")]))
    return split


def from_gherkin(criterion: AcceptanceCriterion) -> Behaviour:
    """Read a Given/When/Then criterion: preconditions, actions and effects."""
    behaviour = Behaviour(criterion_id=criterion.criterion_id)
    for given in (clean(c) for c in criterion.given):
        for clause in split_clauses(given)[0]:
            limits = find_limits(clause)
            if limits:
                behaviour.conditions.append(Condition(text=clause, connective="given",
                                                      quantity=limits[0]))
            else:
                behaviour.preconditions.append(clause)
    for when in (clean(c) for c in criterion.when):
        clauses, joiner = split_clauses(when)
        behaviour.actor = behaviour.actor or person_subject(clauses[0])
        if joiner == "or" and len(clauses) > 1:
            behaviour.alternatives = [instruction(clause) for clause in clauses]
            behaviour.actions.append(behaviour.alternatives[0])
        else:
            behaviour.actions += [instruction(clause) for clause in clauses]
    behaviour.effects = [Effect(text=clause) for then in criterion.then
                         for clause in split_clauses(clean(then))[0]]
    return finished(behaviour, clean(criterion.text))
