"""Evidence passages: memory hits turned into citable sources, and whether one bears on a text.

A passage is a rule (cited by its id) or a section of a page under its headings (cited as
'<page id>#<heading anchor>'). Several chunks of one section are one passage. Hybrid search
always returns its best hits, related or not, so a passage counts as evidence for a criterion
only when it shares enough of the criterion's words.
"""

from __future__ import annotations

from casewright.memory.chunking import anchor, passage_url
from casewright.memory.models import Chunk, Hit
from casewright.models import Rule, Source
from casewright.quality import content_words, stem
from casewright.tools.sources import ConfluenceSource

SHARED_STEMS = 2
"""Content-word stems a passage must share with a criterion to bear on it."""


def stems(text: str) -> set[str]:
    """Return a text's content words of letters, with plural and verb endings cut off."""
    return {stem(word) for word in content_words(text) if len(word) > 2 and word.isalpha()}


def bears_on(passage: str, subject: str) -> bool:
    """Whether a passage shares enough content words with a subject to be evidence for it."""
    return len(stems(passage) & stems(subject)) >= SHARED_STEMS


def passage_id(chunk: Chunk) -> str:
    """Return the id a case cites a chunk's passage by."""
    if chunk.kind != "page" or not chunk.heading_path:
        return chunk.source_id
    return f"{chunk.source_id}#{anchor(chunk.heading_path[-1])}"


def _own_text(chunk: Chunk) -> str:
    """Drop the context line (page title and headings) a page or rule chunk starts with."""
    return chunk.text.split("\n", 1)[-1].strip() if chunk.kind in {"rule", "page"} \
        else chunk.text


def from_hits(hits: list[Hit]) -> list[Source]:
    """Return the passages of some hits, best first; chunks of one section are merged."""
    passages: dict[str, Source] = {}
    for hit in hits:
        chunk = hit.chunk
        key = passage_id(chunk)
        if key in passages:
            passages[key].text += "\n" + _own_text(chunk)
            continue
        passages[key] = Source(
            source_id=key, kind="rule" if chunk.kind == "rule" else "page", title=chunk.title,
            url=chunk.url, text=_own_text(chunk), page_id=chunk.page_id,
            heading_path=chunk.heading_path)
    return list(passages.values())


def rule_passage(rule: Rule, page_url: str | None, page_title: str) -> Source:
    """Return a rule the Confluence source defines as a passage."""
    return Source(source_id=rule.rule_id, kind="rule", title=page_title,
                  url=passage_url(page_url, rule.heading_path), text=rule.text,
                  page_id=rule.page_id, heading_path=rule.heading_path)


def rule_passages(confluence: ConfluenceSource) -> dict[str, Source]:
    """Return every rule the Confluence source defines, as passages by rule id."""
    return {rule.rule_id: rule_passage(rule, page.url, page.title)
            for page in confluence.list_pages() for rule in page.rules}
