"""Scenario titles that name an act or a rule without a verb, said as the clause they stand for.

Teams title scenarios tersely: "Checkbox selection", "Payment submission", "Back navigation"
name an act by its noun; "Agent name mandatory" states a rule without its "is". Read as they
stand, their first word passes for a verb ("The load is paged"). A title made only of nouns,
adjectives and adverbs is said again as an instruction when its head is the noun of an act
the lexicon knows (`nominal_act`), or as a statement when it ends in an adjective.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from casewright.design.language import inflect, is_person, is_verb, parse
from casewright.design.lexicon import words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_NOMINAL = frozenset({"NOUN", "PROPN", "ADJ", "ADV", "NUM"})
_DIRECTIONS = frozenset({"back", "forward", "backward", "backwards", "online", "offline", "home",
                         "away", "ahead"})
"""Adverbs of where an act goes: "Back navigation" navigates back, with no object."""
_MANNERS = frozenset({"successfully", "unsuccessfully"})
"""How a title's act goes: the act itself, or the act refused."""
_SUFFIXES = (  # a noun ending, and the verb endings that may replace it
    ("cation", ("cate", "", "y")), ("ation", ("ate", "e", "")), ("ission", ("it",)),
    ("ption", ("be",)), ("sion", ("d", "de", "se")), ("tion", ("te", "t", "")),
    ("ment", ("",)), ("al", ("", "e")), ("ance", ("", "e")), ("ence", ("", "e")),
    ("ure", ("e", "")), ("ing", ("", "e")),
)


def nominal_act(noun: str) -> str | None:
    """Return the verb an act's noun names ("selection" -> "select"), or None.

    The verb must be one the lexicon counts as an act (`Lexicon.acts`): "information" is no
    act of informing, "option" none of opting. A noun that is the verb itself counts only
    from `title_acts` ("Page load"; "Document type" types nothing, "Expense report" reports
    nothing).
    """
    noun = noun.lower()
    acts = words().acts()
    candidates = [noun] if noun in words().title_acts else []
    for suffix, endings in _SUFFIXES:
        if noun.endswith(suffix) and len(noun) > len(suffix) + 2:
            stem = noun[:-len(suffix)]
            candidates += [stem + ending for ending in endings]
            if stem[-1:] == "r" and stem[-2:-1] not in "aeiou":  # registration: register
                candidates.append(f"{stem[:-1]}er")
            if stem[-1:] == stem[-2:-1]:  # cancellation: cancel, referral: refer
                candidates.append(stem[:-1])
    return next((c for c in candidates if c in acts and is_verb(c)), None)


def as_clause(title: str) -> str:
    """Return a verbless title as the clause it stands for, or the title as it is.

    "Checkbox selection" -> "Select the checkbox"; "Selection of exemption type" -> "Select
    the exemption type"; "Page load for different age groups" -> "Load the page for
    different age groups"; "Back navigation" -> "Navigate back"; "User registration" -> "The
    user registers"; "Agent name mandatory" -> "The agent name is mandatory". A title that
    opens with a verb ("Pay Records Validation", "Download EPC") is an instruction already.
    """
    doc, lowered = parse(title), parse(title[:1].lower() + title[1:])
    if instruction := _bare_instruction(title, doc, lowered):
        return instruction
    end = next((t.i for t in doc if t.pos_ == "ADP" and not (
        t.lower_ == "of" and t.i == 1)), len(doc))  # "Page load for ...": the rest is kept
    head, rest = [*doc[:end]], doc[end:].text
    if len(doc) < 2 or lowered[0].tag_ == "VB" or any(
            t.pos_ == "AUX" or t.pos_ == "VERB" and t.i < len(doc) - 1 for t in doc) or \
            not _nominal(head):
        return title
    if len(head) >= 3 and head[1].lower_ == "of" and (verb := nominal_act(head[0].text)):
        thing = head[3:] if head[2].pos_ == "DET" else head[2:]
        return _instruction(title, verb, thing, rest)  # "Selection of exemption type"
    if head[-1].pos_ in {"NOUN", "PROPN"} and (verb := nominal_act(head[-1].text)):
        return _instruction(title, verb, head[:-1], rest)
    if not rest and _predicate(head[-1]) and head[-2].pos_ in {"NOUN", "PROPN"} and \
            all(t.pos_ in {"NOUN", "PROPN", "ADJ"} for t in head[:-1]):
        be = "are" if head[-2].tag_ in {"NNS", "NNPS"} else "is"
        return f"The {_phrase(head[:-1])} {be} {head[-1].lower_}"  # "Agent name mandatory"
    return title


def _bare_instruction(title: str, doc: Doc, lowered: Doc) -> str | None:
    """Return an instruction with no article as the tagger reads it, or None.

    "Submit taxpayer details" and "Select exemption type" parse as noun phrases; with their
    article ("Submit the taxpayer details") they are acts. "Successfully submit ..." is the
    act; "Unsuccessfully submit taxpayer details" is the act refused ("The taxpayer details
    cannot be submitted").
    """
    from lemminflect import getAllLemmas

    said = parse(f"They {title[:1].lower()}{title[1:]}")  # a bare imperative parses badly
    if len(said) < 3:
        return None
    manner = said[1] if len(said) > 3 and said[1].lower_ in _MANNERS else None
    first = doc[0]
    if manner is None and any(t.pos_ in {"VERB", "AUX"} for t in (*doc, *lowered)) or \
            first.pos_ == "ADJ" and "ADJ" in getAllLemmas(first.lower_):
        return None  # the tagger reads the act, or an adjective opens it ("Open orders list")
    verb = said[2 if manner else 1]
    thing = said[verb.i + 1:]
    if verb.pos_ != "VERB" or verb.tag_ not in {"VB", "VBP"} or not thing or \
            verb.lower_ not in words().acts() or not is_verb(verb.lower_):
        return None
    if not manner and (thing[0].pos_ in {"DET", "PRON", "ADP", "NUM", "PART", "ADV"} or
                       thing[0].tag_ == "PRP$"):
        return None  # "Select the checkbox": the tagger reads it
    article = "" if thing[0].pos_ in {"DET", "PRON", "NUM", "PROPN"} or \
        thing[0].tag_ == "PRP$" else "the "  # "Change Aydin's due date"
    if manner is not None and manner.lower_.startswith("un") and all(
            t.pos_ in {"NOUN", "PROPN", "ADJ"} for t in thing):
        return f"The {thing.text} cannot be {inflect(verb.lemma_, 'VBN')}"
    return f"{verb.lemma_.capitalize()} {article}{thing.text}"


def _nominal(head: Sequence[Token]) -> bool:
    """Whether a title's words before any preposition are a noun phrase.

    Nouns, adjectives and adverbs; "of" second ("Selection of ..."), a determiner after it,
    and a participle last ("Email address required").
    """
    return len(head) >= 2 and all(
        t.pos_ in _NOMINAL or t.i == 1 and t.lower_ == "of" or t.i > 1 and t.pos_ == "DET" or
        t.i == len(head) - 1 > 1 and _predicate(t) for t in head)


def _predicate(token: Token) -> bool:
    """Whether a title's last word says what its nouns are: an adjective or a participle.

    The dictionary decides where the small tagger reads "mandatory" after two nouns as one.
    """
    from lemminflect import getAllLemmas

    kinds = getAllLemmas(token.lower_)
    return token.tag_ in {"VBN", "VBD"} or "ADJ" in kinds and "NOUN" not in kinds


def _instruction(title: str, verb: str, thing: Sequence[Token], rest: str) -> str:
    """Return "<Verb> the <thing> <rest>", or the person's act ("The user registers").

    A direction ("back") follows the verb bare; a thing with no noun ("Quick registration")
    names no object, and the title stays.
    """
    if thing and all(t.lower_ in _DIRECTIONS for t in thing):
        said = f"{verb.capitalize()} {' '.join(t.lower_ for t in thing)}"
    elif thing and is_person(thing[-1]):  # the tagger reads some roles as adjectives
        said = f"The {_phrase(thing)} {inflect(verb, 'VBZ')}"
    elif any(t.pos_ in {"NOUN", "PROPN"} for t in thing):
        said = f"{verb.capitalize()} the {_phrase(thing)}"
    else:
        return title
    return f"{said} {rest}".strip()


def _phrase(tokens: Sequence[Token]) -> str:
    """Return a title's words in running text: lower case, save acronyms and names.

    A Title Case title's capitals are its style ("Pay Records"), not names.
    """
    styled = all(t.text[:1].isupper() for t in tokens[0].doc if t.is_alpha and len(t) > 3)
    return " ".join(t.text if t.text.isupper() and len(t) > 1 or (
        t.pos_ == "PROPN" and t.i > 0 and not styled) else t.text.lower() for t in tokens)
