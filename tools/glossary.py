"""The terms a workspace defines: glossary pages, and "X means Y" anywhere in a page.

A glossary is a page (or a section) whose title names a glossary, definitions or terms; each
table row or list item of it that reads "term | definition", "term: definition" or
"term - definition" defines its term. Outside such sections only an explicit definition counts
("A broken plan means ...", "Arrears are defined as ...").
"""

from __future__ import annotations

import re

from casewright.models import Page
from casewright.tools.blocks import Block
from casewright.tools.sources import ConfluenceSource

MAX_TERM_WORDS = 6
_GLOSSARY = re.compile(r"\b(glossary|definitions?|terms|terminology|abbreviations?)\b",
                       re.IGNORECASE)
_ENTRY = re.compile(r"^(?P<term>[^:|\u2013\u2014]{2,60}?)\s*(?::|\s[-\u2013\u2014]\s)\s*"
                    r"(?P<meaning>\S.+)$")
_DEFINITION = re.compile(r"(?:^|(?<=[.!?]\s))(?:an?\s+|the\s+)?"
                         r"(?P<term>[\w&/'-]+(?:\s[\w&/'-]+){0,5}?)\s*(?:\([^)]{1,20}\)\s*)?"
                         r"(?:means|is defined as|are defined as|"
                         r"refers to|stands for)\s+(?P<meaning>[^.!?]+)", re.IGNORECASE)


def is_glossary(title: str) -> bool:
    """Whether a page or section title names a glossary, definitions or terms."""
    return bool(_GLOSSARY.search(title))


def _term(text: str) -> str | None:
    term = text.strip(" *_\"'`").strip()
    return term if term and len(term.split()) <= MAX_TERM_WORDS else None


def _entry(block: Block) -> tuple[str, str] | None:
    if block.kind == "row":
        cells = [cell for cell in block.cells if cell]
        if block.header or len(cells) < 2:
            return None
        term = _term(cells[0])
        return (term, cells[1]) if term else None
    match = _ENTRY.match(block.text) if block.kind == "item" else None
    term = _term(match["term"]) if match else None
    return (term, match["meaning"].strip()) if match and term else None


def definitions(page: Page, blocks: list[Block]) -> dict[str, str]:
    """Return the terms a page defines, each with its definition."""
    found: dict[str, str] = {}
    in_glossary = is_glossary(page.title)
    for block in blocks:
        if block.kind == "heading":
            in_glossary = is_glossary(page.title) or is_glossary(block.text)
            continue
        entry = _entry(block) if in_glossary else None
        if entry:
            found.setdefault(*entry)
            continue
        for match in _DEFINITION.finditer(block.text):
            if term := _term(match["term"]):
                found.setdefault(term, match["meaning"].strip())
    return found


def workspace_glossary(confluence: ConfluenceSource) -> dict[str, str]:
    """Return the terms every page of a Confluence source defines; the first definition wins."""
    glossary: dict[str, str] = {}
    for page in confluence.list_pages():
        for term, meaning in definitions(page, confluence.page_blocks(page.page_id)).items():
            glossary.setdefault(term, meaning)
    return glossary
