"""What an action leaves and what it needs: the result a tester checks and the set-up.

A search shows what matches, a view shows what it views, any other act leaves its object in
the passive ("Waive one late fee" -> "The late fee is waived"); what an act views or acts on
must exist before it ("Delete the creator's signature" needs the signature).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from casewright.design.behaviour import Behaviour, Effect
from casewright.design.language import (
    attempted,
    imperative,
    inflect,
    parse,
    parse_instruction,
    passive_result,
    plural,
)
from casewright.design.lexicon import words
from casewright.design.shapes import shape

if TYPE_CHECKING:
    from spacy.tokens import Token

_EXISTENCE = re.compile(r"\b(?:there (?:is|are)|none|no \w+|exists?)\b")
_ONTO = frozenset({"to", "on", "onto", "into", "from"})
_TOWARDS = frozenset({"to", "into", "onto"})


def _searched(action: str) -> re.Match[str] | None:
    return shape("search-using").match(action) or shape("search-by").match(action)


def outcome_of(action: str) -> str | None:
    """Return the result an action leaves: what a search or a view shows, else its passive."""
    if match := _searched(action):
        return f"Results matching the {match['what']} are shown" if \
            match.re is shape("search-by") and match["by"] == "by" else \
            f"Matching {plural(match['what'])} are shown"
    if match := shape("go-to").match(action):
        return f"{'The ' if match['the'] else ''}{match['where']} is shown"
    if match := shape("sign-in-act").match(action):
        return f"The user is signed {'in' if match['how'].lower() in {'in', 'on'} else 'out'}"
    if match := shape("stop-start").match(action):  # "Stop following a tag": no longer followed
        verb = parse(f"they are {match['doing']}")[2].lemma_
        done = passive_result(f"{verb.capitalize()} {match['rest']}")
        return done.replace(" is ", " is no longer ", 1).replace(" are ", " are no longer ", 1) \
            if done and match["how"].lower() == "stop" else done
    result = passive_result(action)
    verb = parse(action)[0].lemma_.lower() if action else ""
    if result and verb in words().view_verbs:
        result = re.sub(r" (is|are) \w+( as .*)?$", r" \1 shown\2", result)
    return result


def instruction(clause: str) -> str:
    """Return what the tester does to make a When clause happen.

    A person's act becomes an instruction ("the agent clicks X" -> "Click X"); a passive
    event its active form ("the payment is declined" -> "Decline the payment"); anything
    else is waited for ("Wait until the payment screen is still open").
    """
    if action := imperative(clause):
        return action
    if passive := re.match(r"^(?P<subj>.+?)\s+(?:(?:is|are|gets|get)\s+)?(?P<verb>\w+ed)\b"
                           r"(?P<rest>.*)$", clause):
        verb = parse(f"they {passive['verb']}")[1].lemma_
        subject = passive["subj"]
        return f"{verb.capitalize()} {subject[:1].lower()}{subject[1:]}{passive['rest']}"
    return f"Wait {'while' if ' still ' in f' {clause} ' else 'until'} {clause}"


def what_it_does(verb: str, what: str) -> str:
    """Return 'it returns all Y' as what the tester sees: 'All Y are returned'."""
    said = parse(what)
    first = next((t for t in said if t.pos_ in {"NOUN", "PROPN"}), None)
    several = first is not None and first.tag_ in {"NNS", "NNPS"}
    outcome = f"{what} {'are' if several else 'is'} " \
        f"{inflect(parse(f'it {verb}')[1].lemma_, 'VBN')}"
    return outcome[:1].upper() + outcome[1:]


def data_state(behaviour: Behaviour) -> None:
    """Move what a viewed thing must be into a precondition: the test data's state.

    "View a petition which will not be debated" becomes the precondition "There is a
    petition which will not be debated" and the action "View the petition"; "Search for
    rejected petitions" needs "There are rejected petitions" to find.
    """
    if len(behaviour.actions) != 1:
        return
    if found := _searched(behaviour.actions[0]):
        what = found["what"]
        if found.re is shape("search-using") or found["by"] == "for":
            behaviour.preconditions.append(f"There are {plural(what)} to find")
        return
    doc = parse(behaviour.actions[0])
    target = next((t for t in doc if t.dep_ == "dobj" and t.head.i == 0), None)
    modifiers = [t for t in target.children if t.dep_ in {"relcl", "acl", "prep"}
                 and t.i > target.i] if target is not None else []
    if target is None or not modifiers or doc[0].lemma_.lower() not in words().view_verbs:
        return
    core = doc[target.left_edge.i:target.i + 1]
    named = [t.text for t in core if t.dep_ != "det"]
    several = target.tag_ in {"NNS", "NNPS"}
    article = "are" if several else "is an" if named[0][:1].lower() in "aeio" else "is a"
    behaviour.preconditions.append(f"There {article} {' '.join(named)} "
                                   f"{doc[modifiers[0].left_edge.i:target.right_edge.i + 1]}")
    behaviour.actions = [f"{doc[:target.left_edge.i].text} the {' '.join(named)}"]
    behaviour.effects[0] = Effect(text=f"The {' '.join(named)} {'are' if several else 'is'} "
                                       "shown")


def _described(thing: Token) -> bool:
    """Whether a thing is picked out by a state it is in, so it is there before the act.

    "a loan that is overdue", "a consignment they don't own", "a file that is locked": whatever
    the verb, the thing in that state is the test's set-up, not what the act makes ("a
    petition id that doesn't exist" is not; nor "a failed attempt" or "a message saying hi",
    which recording and sending make).
    """
    return any(t.i > thing.i and t.lemma_ != "exist" and (
        t.dep_ == "relcl" or t.dep_ == "acl" and t.tag_ == "VBN") for t in thing.children)


def _clause_end(clause: Token) -> int:
    """Return where a relative clause ends: before a "to"/"into" its parse took from the act.

    "Add a product that is out of stock to the basket": the basket is where it is added.
    """
    return min((t.i for t in clause.children if t.dep_ == "prep" and t.lower_ in _TOWARDS),
               default=clause.right_edge.i + 1)


def target_exists(behaviour: Behaviour, person: str | None = None) -> None:
    """Set up what the action views or acts on: 'View an archived petition' needs one.

    'Try to delete the creator's signature' needs 'The creator's signature exists', and 'Add
    tags to an open petition' needs 'There is an open petition'. Nothing
    is added where the set-up already names the thing, for a screen, or for a bare name.
    """
    if len(behaviour.actions) != 1:
        return
    action = attempted(behaviour.actions[0])
    doc = parse_instruction(action)
    verb = doc[1].lemma_.lower() if len(doc) > 1 else ""
    target = next((t for t in doc if t.dep_ == "dobj" and t.head.i == 1), None)
    phrasal = any(t.dep_ == "prt" for t in doc[1].children) if len(doc) > 1 else False
    held = next((t for t in doc if t.dep_ == "pobj" and t.head.dep_ == "prep" and
                 t.head.head.i in {1, target.i if target is not None else 1} and
                 doc[t.left_edge.i].lower_ in {"a", "an"} and _described(t)), None)
    if held is not None and (target is None or not _described(target)):
        target = held  # "view the notes on a claim that is closed": the claim is there first
    elif target is None or verb not in words().view_verbs | words().act_on_verbs and \
            not phrasal and not _described(target):
        target = next((t for t in doc if t.dep_ == "pobj" and t.head.head.i == 1 and  # "add
                       t.head.lower_ in _ONTO and doc[t.left_edge.i].lower_ in {"a", "an"}),
                      None)  # tags to an open petition": the petition is there first
    if target is None or target.lemma_.lower() in words().ui_nouns or \
            target.pos_ not in {"NOUN", "PROPN"}:
        return
    said = " ".join([*behaviour.preconditions, *(c.text for c in behaviour.conditions)]).lower()
    if target.lemma_.lower() in said or target.text.lower() in said or _EXISTENCE.search(said):
        return  # the set-up already says what there is ("when there are none to anonymize")
    first = doc[target.left_edge.i]
    of = next((t for t in target.children if t.dep_ == "prep" and t.lower_ == "of"
               and t.i == target.i + 1), None)  # "their date of birth": the whole name
    end = (of.right_edge.i if of is not None else target.i) + 1
    core = doc[target.left_edge.i:end].text
    if any(t.dep_ == "poss" for t in target.children):  # "the creator's signature"
        owner = next(t for t in target.children if t.dep_ == "poss")
        if owner.lower_ in {"my", "your", "our"}:
            return  # the tester's own ("change my password"): there as they sign in
        if owner.tag_ == "PRP$" and person and not words().pronoun().match(person):  # "her ..."
            core = f"{person}'s {doc[owner.i + 1:end].text}"
        text = f"{core} exists"
    elif first.lower_ in {"a", "an"}:  # "an archived petition": then view the one set up
        clauses = [t for t in target.children if t.dep_ in {"relcl", "acl"} and t.i > target.i]
        clause = doc[clauses[0].left_edge.i:_clause_end(clauses[0])] if clauses else None
        text = f"There is {doc[target.left_edge.i:clause.end].text}" if clause is not None \
            else f"There is {core}"  # "a petition that has been taken down"
        behaviour.actions = [re.sub(rf"\b{re.escape(first.text)} (?={re.escape(core[2:].strip())})",
                                    "the ", behaviour.actions[0], count=1)]
        if clause is not None:
            behaviour.actions = [behaviour.actions[0].replace(f" {clause.text}", "", 1)]
    elif target.tag_ in {"NNS", "NNPS"} and first.dep_ != "det":  # "signatures by email"
        text = f"There are {core} to {verb}"
    elif target.tag_ == "NN" and first.dep_ == "amod":  # "sign closed petition"
        text = f"There is {'an' if core[:1].lower() in 'aeio' else 'a'} {core}"
        behaviour.actions = [behaviour.actions[0].replace(core, f"the {core}", 1)]
    else:
        return
    behaviour.preconditions.append(text[:1].upper() + text[1:])
