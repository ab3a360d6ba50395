"""Criterion analysis: an acceptance criterion as the typed `Behaviour`s it states.

Given/When/Then criteria map across (Given: preconditions, When: actions, Then: effects);
plain sentences are read one by one (`sentences`) and finished by the passes (`passes`).
Every part is a span of the criterion (rule ids dropped), or that span turned by `language`'s
operations, so a case built on it says nothing the criterion does not. What cannot be tested
(a vague word, no outcome, a situation with no behaviour) becomes a question.
"""

from __future__ import annotations

import re

from casewright.design.behaviour import Ambiguity, Behaviour, Effect
from casewright.design.clauses import clean
from casewright.design.language import (
    FINITE,
    imperative,
    is_person,
    parse,
    passive_result,
    pipeline,
    relative,
)
from casewright.design.lexicon import words
from casewright.design.nominal import as_clause
from casewright.design.passes import finished
from casewright.design.sentences import demands, from_gherkin, implied_subject, read_sentence
from casewright.design.shapes import shape
from casewright.models import AcceptanceCriterion

__all__ = ["analyse"]

_ROLE_FIRST = re.compile(r"^\s*as (?P<role>(?:(?:an?|the) )?(?!\S+ as\b)[^,.;]{2,40}?),? "
                         r"(?=(?:I|we)\b)", re.IGNORECASE)
"""A criterion in the story's voice: "As a junior admin I can change the regulator", "As
validated user I can ..." (not "As soon as I ...")."""


def able_as_can(text: str) -> str:
    """Say an ability as "can": "should (not) be able to", "is unable to" -> "can", "cannot"."""
    def said(match: re.Match[str]) -> str:
        word = "cannot" if bool(match["neg"]) != bool(match["un"]) else "can"
        return word.capitalize() if match.start() == 0 and match[0][:1].isupper() else word
    return shape("able-to").sub(said, text)


def analyse(criterion: AcceptanceCriterion) -> list[Behaviour]:
    """Return the behaviours a criterion describes: one per rule it states.

    A sentence that says what happens otherwise, or the second time, belongs to the rule
    before it; any other sentence (or part after a semicolon) is a rule of its own. A "When"
    with no "Then" ("When searching for X, it returns Y") is read as the sentence it is.
    """
    if criterion.is_gherkin and criterion.then:
        behaviours = [from_gherkin(criterion)]
    else:
        behaviours = []
        text = able_as_can(clean(criterion.text))
        role = _ROLE_FIRST.match(text)
        text = text[role.end():] if role else text
        sentences: list[str] = []
        for part in text.split(";"):
            for said in pipeline()(part.strip()).sents:
                if sentences and sentences[-1].endswith((">", "›", "/")):
                    sentences[-1] += f" {said.text.strip(' .;')}"  # "via Actions > Data ..."
                elif said.text.strip(" .;"):
                    sentences.append(said.text.strip(" .;"))
        for sentence in sentences:
            current = behaviours[-1] if behaviours else None
            if current is not None and current.effects and (
                    shape("otherwise").match(sentence) or shape("repeat-rule").search(sentence)):
                current.otherwise.append(Effect(text=shape("otherwise").sub("", sentence)))
                continue
            behaviour = Behaviour(criterion_id=criterion.criterion_id)
            sentence = implied_subject(as_clause(sentence))
            read_sentence(sentence, behaviour)
            behaviours.append(finished(behaviour, sentence))
            behaviours += demands(behaviour)
        if role:  # the role acts: "I" is who the criterion's first words named
            for behaviour in behaviours:
                if behaviour.actor is None or words().pronoun().match(behaviour.actor):
                    behaviour.actor = role["role"]
    if not behaviours:
        behaviours = [Behaviour(criterion_id=criterion.criterion_id)]
    text = clean(criterion.text)
    subject = next((b.effects[0].text for b in behaviours if b.effects), criterion.criterion_id)
    behaviours[0].ambiguities[:0] = _vague(text, f"{criterion.criterion_id} "
                                           f"('{_short(subject)}')")
    vague = words().vague()
    for behaviour in behaviours:
        vague_only = behaviour.effects and all(vague.search(e.text) for e in behaviour.effects) \
            or any(vague.fullmatch(c.text.strip()) for c in behaviour.conditions)  # "if apt"
        if behaviour.unparsed and behaviour.effects:  # "Laura wants to sign ...": no outcome
            behaviour.ambiguities.append(Ambiguity(word=text, question=(
                f"{criterion.criterion_id} ('{_short(text)}') {behaviour.unparsed[3:]}: what "
                "should the user see?")))
        elif not behaviour.effects or vague_only:
            behaviour.unparsed = "no observable outcome: the criterion does not say what the " \
                "tester should see"
        elif behaviour.actions and not behaviour.prohibited and all(
                _own_act(e.text) for e in behaviour.effects) or \
                behaviour.actions and len(behaviour.effects) == 1 and not behaviour.prohibited \
                and (_names_an_act(behaviour.effects[0].text) or (
                    not behaviour.conditions and _bare_result(behaviour) and
                    parse(behaviour.actions[0])[0].lemma_.lower() in words().ui_acts)):
            behaviour.unparsed = "it says what to do but not what should happen"
            behaviour.ambiguities.append(Ambiguity(word=text, question=(
                f"{criterion.criterion_id} ('{_short(text)}') says what to do but not what "
                "should happen then: what should the user see?")))
        elif not behaviour.actions and all(
                _states_nothing(e.text) and (not behaviour.conditions or not any(
                    t.pos_ in {"VERB", "AUX"} for t in parse(e.text)))
                for e in behaviour.effects):  # "A moderator user show page if ...": no verb
            behaviour.unparsed = "it names a situation, not a behaviour"
            behaviour.ambiguities.append(Ambiguity(word=text, question=(
                f"{criterion.criterion_id} ('{_short(text)}') names a situation but no "
                "behaviour: what should the user do, and what should they see?")))
    return behaviours


def _vague(text: str, subject: str) -> list[Ambiguity]:
    found = dict.fromkeys(match.lower() for match in words().vague().findall(text))
    return [Ambiguity(word=word, question=f"What does '{word}' mean for {subject}: what "
                      "measurable result (a time, a count, a message) should the test check?")
            for word in found]


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "..."


def _names_an_act(text: str) -> bool:
    """Whether a clause only names an act ('Accessing admin'), with no finite verb of its own.

    A relative clause's verb picks a thing out ('Attempting to renew a loan that is overdue').
    """
    doc = parse(text)
    return doc[0].tag_ == "VBG" and not any(t.tag_ in FINITE and not relative(t) for t in doc)


def _own_act(text: str) -> bool:
    """Whether a clause is something a person does ('Laura changes it'), not an outcome."""
    doc = parse(text)
    subject = next((t for t in doc if t.dep_ == "nsubj" and t.head.dep_ == "ROOT"), None)
    if subject is None or not is_person(subject) or subject.head.tag_ not in {"VBZ", "VBP"}:
        return False
    verb = subject.head
    made = verb.lemma_ == "get" and any(t.pos_ in {"ADJ", "ADV"} and t.i > verb.i + 1
                                        for t in verb.children)  # "gets her email wrong"
    return (made or verb.lemma_ not in words().receive_verbs | {"be", "have"}) and \
        imperative(text) is not None


def _bare_result(behaviour: Behaviour) -> bool:
    """Whether the only outcome is the action itself, done ('The link is clicked')."""
    result = passive_result(behaviour.actions[0])
    return result is None or behaviour.effects[0].text == result


def _states_nothing(text: str) -> bool:
    """Whether a clause names no behaviour.

    It has no verb, only says that something exists ('There are X'), or only what someone
    is ('Laura is the 21st sponsor').
    """
    doc = parse(text)
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    return not any(t.pos_ in {"VERB", "AUX"} for t in doc) or (
        doc[0].lower_ == "there" and doc[1:2].text.lower() in {"is", "are", "was", "were"}) or (
        root is not None and root.lemma_ == "be" and any(
            t.dep_ == "nsubj" and is_person(t) for t in root.children))
