"""Clauses of a criterion: its text cleaned, split into sentences, at connectives and at and/or.

A sentence splits at its connective (if, when, while, once, unless, only if; before or after
an -ing act) into a main clause and a condition; clauses joined by and/or split apart where
the dependency parse joins verbs, not nouns. The sentence shapes are rows of
`shapes/en.toml`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from casewright.design.behaviour import Connective
from casewright.design.language import FINITE, parse
from casewright.design.shapes import shape
from casewright.tools.criteria import RULE_ID_FORM

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_RULE_REFS = re.compile(rf"\s*\((?:see\s+)?(?:{RULE_ID_FORM}(?:,\s*|\s+and\s+)?)+\)|"
                        rf",?\s*\b(?:in line with|as per|per|see|under)\s+{RULE_ID_FORM}\b|"
                        rf"\b{RULE_ID_FORM}\b")
_ASIDE = re.compile(r"\s*\((?:needed|required|because|so that|for|see|e\.g\.|i\.e\.|note)\b"
                    r"[^()]*\)", re.IGNORECASE)
_CHECK = r"^(?:verify|validate|confirm|check|ensure)\s+"
_CHECK_THAT = re.compile(_CHECK + r"(?:that|whether)\s+", re.IGNORECASE)
_CHECK_ABLE = re.compile(_CHECK + r"(?:the\s+|an?\s+)?(?P<who>[a-z]+(?: (?!is\b|are\b)[a-z]+)?)\s+"
                         r"(?:is\s+|are\s+)?(?P<able>(?:not\s+)?able|unable)\s+to\b",
                         re.IGNORECASE)
"""A tester's title around the behaviour: "Verify that the total is shown", "Verify user able
to preview the opportunity" say what to check, not an act of verifying."""
_NOT_COMPLEMENTS = frozenset({"nsubj", "nsubjpass", "aux", "auxpass", "neg", "cc", "conj",
                              "punct", "advmod", "mark"})


def clean(text: str) -> str:
    """Return a criterion's text without references, asides, "Verify that" or a final stop.

    An aside in brackets that gives a reason or a reference ("(needed for fraud
    investigations, see Fraud team request FR-118)") is no part of the behaviour.
    """
    text = _RULE_REFS.sub("", text)
    text = _ASIDE.sub("", text)
    text = _CHECK_ABLE.sub(lambda m: f"The {m['who']} is {m['able'].lower()} to", text)
    if _CHECK_THAT.match(text):
        text = _CHECK_THAT.sub("", text)
        text = text[:1].upper() + text[1:]
    for sign, said in ((">=", "at least "), ("<=", "at most "), (">", "more than "),
                        ("<", "fewer than ")):  # "when >5 notifications"
        text = re.sub(rf"(?<![\w>]){re.escape(sign)}\s*(?=\d)", said, text)
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"\s+", " ", text).strip(" .;")
    return text.replace(" ,", ",")


def subject_phrase(clause: str) -> str | None:
    """Return a clause's subject with its modifiers ("the late fee"), or None."""
    doc = parse(clause)
    subject = next((t for t in doc if t.dep_ in {"nsubj", "nsubjpass"}), None)
    return doc[subject.left_edge.i:subject.i + 1].text if subject is not None else None


def split_clauses(text: str) -> tuple[list[str], Literal["and", "or"]]:
    """Split a text where and/or/but join clauses; return the clauses and the joiner.

    "the customer has made 2 payments and isn't on a plan" gives two clauses, the second
    with the first's subject; "the amount, the date and the bill" stays whole: the parse
    joins nouns there, not verbs.
    """
    doc = parse(text)
    cuts: list[tuple[int, int, str | None]] = []  # (start char, next clause start, subject)
    joiner: Literal["and", "or"] = "and"
    for token in doc:
        if token.dep_ != "cc" or token.lower_ not in {"and", "or", "but"}:
            continue
        head = token.head
        conj = next((t for t in head.children if t.dep_ == "conj" and t.i > token.i), None)
        if head.pos_ not in {"VERB", "AUX"} and _opens_clause(doc, token.i):
            cuts.append((_cut_start(doc, token), token.idx + len(token.text), None))
            continue
        if conj is None or head.pos_ not in {"VERB", "AUX"} or conj.pos_ not in {"VERB", "AUX"}:
            continue
        own = any(t.dep_ in {"nsubj", "nsubjpass", "expl"} for t in conj.children)
        complete = any(t.dep_ not in _NOT_COMPLEMENTS and t.i < token.i for t in head.children)
        if not (own or complete or head.tag_ == "VBN"):
            continue  # "close or cancel a case": two verbs sharing one object
        subject = _governing_subject(head)
        carried = None if own or subject is None else \
            doc[subject.left_edge.i:subject.i + 1].text
        cuts.append((_cut_start(doc, token), token.idx + len(token.text), carried))
        joiner = "or" if token.lower_ == "or" else joiner
    clauses, begin, carried_before = [], 0, None
    for start, after, carried in cuts:
        piece = text[begin:start].strip(" ,")
        clauses.append(f"{carried_before} {piece}" if carried_before else piece)
        begin, carried_before = after, carried
    last = text[begin:].strip(" ,")
    clauses.append(f"{carried_before} {last}" if carried_before else last)
    return [c for c in clauses if c], joiner


def _governing_subject(verb: Token) -> Token | None:
    """Return the subject of a verb, or of the verb it hangs from ('reminds X not to promise')."""
    while True:
        subject = next((t for t in verb.children if t.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None or verb.head.i == verb.i:
            return subject
        verb = verb.head


def _cut_start(doc: Doc, token: Token) -> int:
    return doc[token.i - 1].idx if token.i and doc[token.i - 1].text == "," else token.idx


def _opens_clause(doc: Doc, index: int) -> bool:
    """Whether the words after a conjunction the parser joined to a noun are a clause.

    "... queue and a 30 day collections hold is put on the account": a noun phrase (no
    pronoun, no verb) then a finite verb. The small parser joins such clauses to nouns.
    """
    rest = doc[index + 1:]
    finite = next((t for t in rest if t.tag_ in FINITE and t.pos_ in {"AUX", "VERB"}),
                  None)
    if finite is None or finite.i == index + 1:
        return False
    phrase = doc[index + 1:finite.i]
    said = any(t.pos_ in {"VERB", "AUX"} for t in doc[:index])
    return said and phrase[0].pos_ in {"DET", "NUM", "ADV"} and all(
        t.pos_ in {"DET", "NUM", "NOUN", "PROPN", "ADJ", "VERB", "ADP", "ADV"} for t in phrase) \
        and any(t.pos_ in {"NOUN", "PROPN"} for t in phrase)


def connective_of(word: str) -> Connective:
    """Return the connective a word stands for: 'provided that' is 'only if'."""
    word = word.lower()
    if word in {"only if", "only when", "as long as", "provided that", "provided"}:
        return "only if"
    return "when" if word == "whenever" else word  # type: ignore[return-value]


def split_sentence(sentence: str) -> tuple[str, str | None, str | None]:
    """Return (main clause, condition clause, connective) of one sentence."""
    if match := shape("condition-first").match(sentence):
        condition, main = _split_without_comma(match["cond"])
        if main:
            return f"{main}, {match['rest']}", condition, match["con"]
        return match["rest"], match["cond"], match["con"]
    if match := shape("condition-first-no-comma").match(sentence):
        condition, main = _split_without_comma(match["body"])
        if main:
            return main, condition, match["con"]
    if match := shape("condition-after").match(sentence):
        connective = ("only " + match["con"]) if match["only"] else match["con"]
        return match["rest"], match["cond"], connective
    timed = shape("timed-gerund").match(sentence)
    if timed and not shape("must-before").match(sentence) and (
            timed["con"].lower() != "before" or any(t.dep_ == "dobj"
                                                    for t in parse(timed["cond"]))):
        # "Charlie is emailed ... before passing the threshold"; "before publishing" names
        # no state to set up, so it stays part of the act
        return timed["rest"], timed["cond"], timed["con"]
    return sentence, None, None


def _split_without_comma(body: str) -> tuple[str, str]:
    """Find where the main clause starts in 'If X Y' written without a comma.

    The main clause starts at a noun phrase followed by a finite verb or modal, that is not
    the condition's own subject and does not follow and/or or a preposition.
    """
    doc = parse(body)
    for chunk in doc.noun_chunks:
        if chunk.start < 2 or doc[chunk.start - 1].lower_ in {"and", "or", "but", ",", "than",
                                                               "of", "in", "on", "to", "with"}:
            continue
        after = doc[chunk.end] if chunk.end < len(doc) else None
        before = doc[chunk.start - 1]
        if after is not None and (after.tag_ == "MD" and chunk[0].pos_ == "DET" or (
                after.tag_ in {"VBZ", "VBP", "VBD"} and
                (before.pos_ in {"NOUN", "PROPN", "NUM", "ADJ", "ADV", "PART"} or
                 before.tag_ == "VBN"))):  # "If the parcel is damaged the courier ..."
            return doc[:chunk.start].text, doc[chunk.start:].text
    return body, ""
