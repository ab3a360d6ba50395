"""A person's act in a criterion: who does what, and what it leaves.

"Agent can waive a fee" becomes the actor, the instruction "Waive a fee" and its result;
a criterion named by its act ("Downloading the data", "Search for X") becomes its steps; an
act with invalid data is expected to be refused, with a question on the message.
"""

from __future__ import annotations

import re

from casewright.design.behaviour import Ambiguity, Behaviour, Effect
from casewright.design.language import (
    FINITE,
    attempted,
    imperative,
    inflect,
    is_machine,
    is_person,
    negate,
    parse,
    persona_parse,
    relative,
)
from casewright.design.lexicon import words
from casewright.design.outcomes import outcome_of, what_it_does
from casewright.design.shapes import shape


def person_subject(clause: str) -> str | None:
    """Return the person a clause is about, as written ("The agent"), or None.

    What picks the person out is theirs: "Suppliers with a verified profile", "A borrower
    who has an overdue loan".
    """
    doc = persona_parse(clause)
    subject = next((t for t in doc if t.dep_ == "nsubj"), None)
    if subject is None or not is_person(subject):
        return None
    end = max((t.right_edge.i for t in subject.rights if t.dep_ == "relcl" or (
        t.dep_ == "prep" and t.lower_ in {"with", "without"})), default=subject.i)
    return (parse(clause) if doc.text != clause else doc)[subject.left_edge.i:end + 1].text


def person_effect(behaviour: Behaviour) -> None:
    """Turn 'Agent can waive a fee' into an action and its result; note refusals."""
    if _gerund_effect(behaviour):
        return
    first = behaviour.effects[0].text
    doing = shape("doing-then-gets").match(first)
    if doing and doing["doing"].split()[0].lower() != "being" and not is_machine(doing["who"]):
        # "A user doing a search for X gets an error"
        act = parse(doing["doing"])
        behaviour.actor = doing["who"]
        behaviour.actions = [f"{act[0].lemma_.capitalize()}{act[0].whitespace_}{act[1:].text}"]
        behaviour.effects[0] = Effect(text=f"{doing['who']} {doing['outcome']}")
        return
    actor = person_subject(first)
    tried = re.search(r"\b(?:tries|try|attempts?) to (?P<act>.+)$", first)
    if actor is not None and tried and (bad := bad_data(tried["act"])):
        attempt = tried["act"]  # "Charlie tries to submit an invalid petition": refused
        behaviour.actor, behaviour.actions = actor, [f"Try to {attempt}"]
        refused_data(behaviour, bad, outcome_of(attempt[:1].upper() + attempt[1:]))
        return
    if actor is not None and re.search(r"\b(tries|try|wants|want) to\b", first):
        behaviour.unparsed = "it says what is tried, not what should happen"
        return
    if actor is not None and (hidden := _not_seen(first)):  # "Moderators should not see X"
        behaviour.actor, behaviour.effects[0] = actor, Effect(text=hidden)
        return
    if actor is None or parse(first)[0:].root.lemma_ in words().receive_verbs:
        if passive := re.match(r"^(?P<subj>.+?)\s+(?P<can>can|may|cannot|can[’']t|can not)\s+"
                               r"(?:still\s+)?be\s+(?P<verb>\w+)(?P<rest>.*)$", first):
            doc = parse(passive["verb"])
            subject = passive["subj"]
            action = f"{doc[0].lemma_.capitalize()} {subject[:1].lower()}{subject[1:]}" \
                f"{passive['rest']}"
            if passive["can"] in {"can", "may"}:
                behaviour.actions.append(action)
            else:  # "The creator's signature can't be deleted": try, and it is not
                several = parse(subject)[:].root.tag_ in {"NNS", "NNPS"}
                behaviour.actions.append(f"Try to {action[:1].lower()}{action[1:]}")
                behaviour.prohibited = True
                behaviour.effects[0] = Effect(text=f"{subject} {'are' if several else 'is'} "
                                              f"not {passive['verb']}{passive['rest']}")
        return
    prohibited = bool(re.search(r"\b(cannot|can[’']t|can not|must not|mustn[’']t|may not|never|"
                                r"should not|shouldn[’']t)\b",
                                first, re.IGNORECASE))
    action = imperative(negate(first) if prohibited else first) or ""
    if not action:
        return
    if prohibited or len(action.split()) == 1:
        action = f"Try to {action[:1].lower()}{action[1:]}"  # "Laura cannot sign"
    behaviour.actor, behaviour.actions = actor, [action]
    behaviour.prohibited = prohibited
    plain = attempted(action)
    result = outcome_of(plain)
    if not prohibited and (bad := bad_data(plain)):
        refused_data(behaviour, bad, result)
    elif result:  # the criterion is the act itself: what it leaves is what the tester checks
        behaviour.effects[0] = Effect(text=negate(result) if prohibited else result,
                                      derived=not prohibited)
        behaviour.prohibited = prohibited
        if prohibited and behaviour.allowed_roles:
            behaviour.refused_roles.append(actor)


def _not_seen(text: str) -> str | None:
    """Return 'X is not shown' for 'Y should not see X' (what a person must not see)."""
    doc = parse(text)
    root = doc[:].root
    thing = next((t for t in root.children if t.dep_ == "dobj"), None)
    if root.lemma_ != "see" or thing is None or not any(
            t.dep_ == "neg" for t in root.children):
        return None
    several = thing.tag_ in {"NNS", "NNPS"}
    said = doc[thing.left_edge.i:thing.right_edge.i + 1].text
    return f"{said[:1].upper()}{said[1:]} {'are' if several else 'is'} not shown"


def bad_data(act: str) -> re.Match[str] | None:
    """Return where an act names data to refuse: invalid, missing, or a range turned round."""
    return shape("invalid-data").search(act) or shape("reversed-range").search(act)


def refused_data(behaviour: Behaviour, bad: re.Match[str], result: str | None) -> None:
    """Expect an act done with invalid data to be refused, and ask what the user is told.

    "Suzie signs a petition with an invalid name" states no outcome; the usual one is a
    refusal that says what is wrong, which the product owner confirms (some services accept
    and flag instead).
    """
    what = bad["what"]
    be = "are" if parse(what)[-1].tag_ in {"NNS", "NNPS"} else "is"  # "the credentials are"
    refused = f"A message says the {what} {be} missing" if bad.groupdict().get("none") else \
        f"The {what} {be} refused with a message saying what is wrong"
    behaviour.effects = [Effect(text=refused), *([Effect(text=negate(result))] if result else [])]
    behaviour.prohibited = True
    behaviour.ambiguities.append(Ambiguity(word=bad[0], question=(
        f"{behaviour.criterion_id} does not say what happens with {bad[0]}: its case expects "
        f"'{'; '.join(e.text for e in behaviour.effects)}'. Which message should the user "
        "see, or is it accepted?")))


_PHRASE_START = frozenset({"DT", "PRP$", "VBG", "VBN"})
"""Tags that open a noun phrase ("a", "my", "existing", "archived"): what a verb acts on."""


def _gerund_effect(behaviour: Behaviour) -> bool:
    """Turn a criterion named by its act ('Downloading the data', 'Search for X') into steps."""
    if _gerund_subject(behaviour):
        return True
    first = behaviour.effects[0].text
    if person_subject(first) == first.split(" ", 1)[0]:
        return False  # "Suzie signs ...", which the parser reads as nouns
    refused = bool(re.match(r"^(not|never|cannot)\s+", first, re.IGNORECASE))
    doc = parse(re.sub(r"^(not|never|cannot)\s+", "", first, flags=re.IGNORECASE))
    lowered = parse(doc.text[:1].lower() + doc.text[1:]) if doc else doc
    verb = next((said[0] for said in (lowered, doc) if said and said[0].tag_ in {"VB", "VBP"}
                 and said[0].dep_ == "ROOT" and not any(t.dep_ == "nsubj" and t.head == said[0]
                                                        for t in said)),
                None)  # the tagger reads "navigate" as an adjective, "Navigate" as a verb; a
    # relative clause's subject ("a document that contains no virus") is not the act's
    lemma = None
    if verb is not None:
        lemma = verb.lemma_
        doc = parse(f"{inflect(lemma, 'VBG')} {doc[1:].text}")  # an instruction
    elif lowered and len(lowered) > 1 and (lowered[0].tag_ == "NN" or (
            lowered[0].tag_ in {"JJ", "NNP"} and lowered[1].tag_ in _PHRASE_START)) and not any(
            t.tag_ in FINITE and not relative(t) for t in lowered) and parse(
            f"they {lowered.text}")[1].tag_ == "VBP":  # "Search for X", tagged as a noun; "Book
        # a room", "Delete existing item", tagged as adjectives ("Total order value" is not)
        lemma = parse(f"they {lowered[0].text}")[1].lemma_
        doc = parse(f"{inflect(lemma, 'VBG')} {doc[1:].text}")
    if not doc or doc[0].tag_ != "VBG":
        return False
    lemma = lemma or _verb_lemma(doc[0].lower_) or doc[0].lemma_  # "inputting" is no "inputte"
    action = f"{lemma.capitalize()}{doc[0].whitespace_}{doc[1:].text}".strip()
    tried = re.match(r"^(?:Attempt|Try) to (?P<act>.+)$", action)
    result = outcome_of((tried["act"][:1].upper() + tried["act"][1:]) if tried else action)
    if not refused and (bad := bad_data(action)):
        behaviour.actions = [f"Try to {tried['act']}" if tried else action]
        refused_data(behaviour, bad, result)  # "Attempt to reset password with invalid email"
        return True
    if tried:
        result = None  # what an attempt leads to is not said
    if result is None:  # "Accessing admin": what should happen is not said
        behaviour.actions = [action]
        behaviour.effects[0] = Effect(text=doc.text)
        return True
    behaviour.actions = [action]
    behaviour.effects[0] = Effect(text=negate(result) if refused else result,
                                  derived=not refused)
    behaviour.prohibited = refused
    return True


def _verb_lemma(form: str) -> str | None:
    """Return a verb form's lemma from lemminflect's dictionary, which spaCy's rules miss."""
    from lemminflect import getLemma

    found = getLemma(form, upos="VERB")
    return found[0] if found else None


def _gerund_subject(behaviour: Behaviour) -> bool:
    """Read 'Saving the form creates a case in the queue': save the form, a case is created.

    The act is the gerund that is the sentence's subject; what it does to its object is the
    outcome, put in the passive with the rest of the sentence kept.
    """
    text = behaviour.effects[0].text
    if said := shape("gerund-then-it").match(text):  # "Searching for X, it returns all Y"
        doing = parse(said["doing"])
        behaviour.actions = [f"{doing[0].lemma_.capitalize()}{doing[0].whitespace_}"
                             f"{doing[1:].text}".strip()]
        behaviour.effects[0] = Effect(text=what_it_does(said["verb"], said["what"]))
        return True
    doc = parse(text)
    verb = doc[0].head if doc and doc[0].tag_ == "VBG" and doc[0].dep_ == "csubj" else None
    target = next((t for t in verb.children if t.dep_ == "dobj"), None) if verb else None
    if verb is None or target is None or verb.tag_ not in {"VBZ", "VBP"}:
        return False
    act = doc[:verb.i].text
    thing = doc[target.left_edge.i:target.i + 1].text
    several = target.tag_ in {"NNS", "NNPS"}
    rest = doc[target.i + 1:].text
    behaviour.actions = [f"{doc[0].lemma_.capitalize()}{act[len(doc[0].text):]}".strip()]
    outcome = f"{thing} {'are' if several else 'is'} {inflect(verb.lemma_, 'VBN')} {rest}"
    behaviour.effects[0] = Effect(text=(outcome[:1].upper() + outcome[1:]).strip())
    return True
