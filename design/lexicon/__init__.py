"""The engine's word lists, per language, as data: `en.toml` beside this module.

Stages read words from here, never from each other. A workspace adds to any list (the
`[lexicon]` table of casewright.toml, `Settings.lexicon`); a glossary term whose meaning names
a person, and the role of a story's "As a ..." narrative, count as roles. `using` makes such a
lexicon the one the engine reads while it plans; `words` returns the one in use.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib.resources import files
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Language = Literal["en"]
_Words = frozenset[str]


class Lexicon(BaseModel):
    """The words of one language the engine cannot read from the grammar, by kind."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    roles: _Words = Field(default=frozenset(), description="People who act ('agent').")
    pronouns: _Words = Field(default=frozenset(), description="Pronouns for the actor.")
    machines: _Words = Field(default=frozenset(), description="Nouns that act but are not "
                             "people ('system'): their acts are outcomes, not steps.")
    act_on_verbs: _Words = Field(default=frozenset(), description="Verbs whose object must "
                                 "exist first ('delete').")
    view_verbs: _Words = Field(default=frozenset(), description="Verbs of looking ('view').")
    ui_acts: _Words = Field(default=frozenset(), description="Acts on the screen ('click').")
    receive_verbs: _Words = Field(default=frozenset(), description="Verbs of what a person "
                                  "gets ('receive').")
    stative_verbs: _Words = Field(default=frozenset(), description="Verbs of a state ('owe').")
    ui_nouns: _Words = Field(default=frozenset(), description="Places on screen ('tab').")
    vague_words: _Words = Field(default=frozenset(), description="Words no test can check.")
    refusals: _Words = Field(default=frozenset(), description="Refusal phrasings, as regular "
                             "expressions ('refus\\w*').")
    data_formats: _Words = Field(default=frozenset(), description="Validated data by name "
                                 "('postcode').")
    entry_verbs: _Words = Field(default=frozenset(), description="Verbs that give data a "
                                "value ('enter', 'change'): the tester needs one to type.")
    title_acts: _Words = Field(default=frozenset(), description="Acts a scenario title may "
                               "name by a noun that is the verb itself ('Page load'), beside "
                               "the acts of the other verb lists.")

    def merged(self, other: Lexicon) -> Lexicon:
        """Return this lexicon with another's words added to each list."""
        return Lexicon(**{name: getattr(self, name) | getattr(other, name)
                          for name in Lexicon.model_fields})

    def with_roles(self, roles: Iterable[str]) -> Lexicon:
        """Return this lexicon with roles added, each with its head word ('team leader')."""
        said = {role.lower() for role in roles}
        return self.model_copy(update={
            "roles": self.roles | said | {role.split()[-1] for role in said if role.split()}})

    def acts(self) -> _Words:
        """Return every verb of an act a person does: the verb lists' words but "be"."""
        return (self.act_on_verbs | self.view_verbs | self.ui_acts | self.entry_verbs |
                self.title_acts) - {"be"}

    def vague(self) -> re.Pattern[str]:
        """Return the pattern of any vague word, the longest first."""
        return _alternation(self.vague_words)

    def pronoun(self) -> re.Pattern[str]:
        """Return the pattern of a clause that opens with a pronoun ('she signs')."""
        return _alternation(self.pronouns, lead="^")

    def refusal(self) -> re.Pattern[str]:
        """Return the pattern of a refusal phrasing."""
        return _alternation(self.refusals, escape=False)

    def formats(self) -> re.Pattern[str]:
        """Return the pattern of a data format's name, singular or plural."""
        return _alternation(self.data_formats, ending=r"(?:e?s)?")


@cache
def _alternation(words: _Words, *, escape: bool = True, lead: str = "",
                 ending: str = "") -> re.Pattern[str]:
    said = sorted(words, key=lambda w: (-len(w), w))
    body = "|".join(re.escape(w) if escape else w for w in said) or r"(?!)"
    return re.compile(rf"{lead}\b({body}){ending}\b", re.IGNORECASE)


@cache
def load(language: Language = "en") -> Lexicon:
    """Return a language's default lexicon, read once from its data file."""
    text = (files(__package__ or __name__) / f"{language}.toml").read_text(encoding="utf-8")
    return Lexicon.model_validate(tomllib.loads(text))


_ACTIVE: ContextVar[Lexicon | None] = ContextVar("lexicon", default=None)


def words() -> Lexicon:
    """Return the lexicon in use: the one `using` set, else the English defaults."""
    return _ACTIVE.get() or load()


@contextmanager
def using(lexicon: Lexicon) -> Iterator[Lexicon]:
    """Make a lexicon the one the engine reads until the block ends."""
    token = _ACTIVE.set(lexicon)
    try:
        yield lexicon
    finally:
        _ACTIVE.reset(token)


_WHO = re.compile(r"^(?:an?|the|any|every)\s+(?:[\w-]+\s+){0,3}?(?:who|whose)\b", re.IGNORECASE)
_NARRATIVE = re.compile(r"\bAs (?:an?|the) (?P<role>[a-z][\w -]{1,40}?),? I\b", re.IGNORECASE)


def glossary_roles(glossary: Mapping[str, str], lexicon: Lexicon) -> list[str]:
    """Return the glossary terms that name people: their meaning is 'A ... who ...' or a role.

    "Underwriter | The person who prices a policy" and "Team leader | A supervisor on the
    floor" are roles; "Arrears | Money owed on bills" is not.
    """
    return [term for term, meaning in glossary.items() if _WHO.match(meaning.strip()) or
            (head := re.match(r"^(?:an?|the)\s+([\w-]+)", meaning.strip(), re.IGNORECASE))
            and head[1].lower() in lexicon.roles]


def narrative_roles(text: str) -> list[str]:
    """Return the roles a story's narrative names: 'As a librarian, I want ...'."""
    return [match["role"].strip() for match in _NARRATIVE.finditer(text)]


def workspace_lexicon(additions: Lexicon, glossary: Mapping[str, str],
                      language: Language = "en") -> Lexicon:
    """Return a language's lexicon with a workspace's words and glossary roles added."""
    lexicon = load(language).merged(additions)
    return lexicon.with_roles(glossary_roles(glossary, lexicon))
