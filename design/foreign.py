"""Which language a criterion is written in, so that one the analysis cannot read is named.

The analysis reads English. A criterion in another language would be parsed as broken
English ("names a situation but no behaviour") and lose its case; instead it keeps the
template case and a finding that says the language is not supported yet.

Two cheap signs, nothing downloaded: the script of most letters (Chinese, Cyrillic, Arabic
...), and for Latin script the stop words spaCy ships for each language, counting only the
words a language does not share with English ("der", "les", "los" but not "in" or "a"); a
language other than English must use twice as many of its own as of English's.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from collections import Counter
from functools import cache

ENGLISH = "English"
LATIN_LANGUAGES = {"de": "German", "fr": "French", "es": "Spanish", "it": "Italian",
                   "nl": "Dutch", "pt": "Portuguese"}
"""spaCy language code -> name: the Latin-script languages told apart from English."""
SCRIPTS = {"CJK": "Chinese", "HIRAGANA": "Japanese", "KATAKANA": "Japanese",
           "HANGUL": "Korean", "GREEK": "Greek", "HEBREW": "Hebrew", "THAI": "Thai"}
"""First word of a letter's Unicode name -> the language it names; others name a script."""
MIN_STOP_WORDS = 2
"""Fewest stop words that tell a language: a single 'die' or 'van' could be English."""
_WORD = re.compile(r"[^\W\d_]{2,}")
"""A word of two letters or more: a lone 'e' (of 'e-petitions') is no Italian 'and'."""


@cache
def _stop_words(code: str) -> frozenset[str]:
    module = importlib.import_module(f"spacy.lang.{code}.stop_words")
    return frozenset(module.STOP_WORDS)


def _script(letter: str) -> str:
    """Return the script of a letter: 'Latin', or the language or script its name gives."""
    name = unicodedata.name(letter, "")
    if "LATIN" in name or not name:
        return "Latin"
    word = name.removeprefix("HALFWIDTH ").split()[0]
    return SCRIPTS.get(word, f"{word.capitalize()} script")


def _by_script(text: str) -> str | None:
    """Return the language or script of most letters when it is not Latin."""
    scripts = Counter(_script(c) for c in text if c.isalpha())
    if not scripts or scripts["Latin"] * 2 >= sum(scripts.values()):
        return None
    if scripts["Japanese"]:
        return "Japanese"  # kana among the ideographs: Japanese writes with both
    return scripts.most_common(1)[0][0]


def _by_stop_words(text: str) -> str | None:
    """Return the Latin-script language whose stop words the text uses, or None for too few."""
    words = [w.lower() for w in _WORD.findall(text)]
    english = _stop_words("en")
    best, most, evidence = ENGLISH, 0, sum(w in english for w in words)
    for code, language in LATIN_LANGUAGES.items():
        theirs = _stop_words(code)
        own = sum(w in theirs and w not in english for w in words)
        evidence = max(evidence, own)
        if own >= MIN_STOP_WORDS and own > most and \
                own > 2 * sum(w in english and w not in theirs for w in words):
            best, most = language, own
    return best if evidence >= MIN_STOP_WORDS else None


def written_in(text: str) -> str | None:
    """Return the language text is written in ('English', 'German', 'Chinese' ...).

    None when the text has too few words to tell (a short label such as 'Max 3 items').
    """
    return _by_script(text) or _by_stop_words(text)


def unsupported_language(criterion_text: str, story_text: str) -> str | None:
    """Return the language of a criterion the analysis cannot read; None for English.

    A criterion too short to tell is taken to be in the story's language.
    """
    language = written_in(criterion_text) or written_in(story_text)
    return None if language in {None, ENGLISH} else language
