"""Small wording helpers shared by the parsers, the pipelines and the exporters."""

from __future__ import annotations


def sentence(text: str) -> str:
    """Capitalise the first letter and drop a trailing full stop."""
    text = text.strip().rstrip(".")
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """Lower-case a leading capital so text reads on after a keyword ('The' -> 'the').

    Acronyms and names that start with two capitals ('ID&V', 'SMS') are left alone.
    """
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def headline(text: str, limit: int = 80) -> str:
    """Shorten text to at most `limit` characters at a word boundary."""
    text = sentence(" ".join(text.split()))
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"
