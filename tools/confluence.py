"""Confluence pages (REST JSON with storage XHTML, or .md/.html files) to `Page`."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from casewright.models import Page, Rule
from casewright.tools.blocks import Block, to_text
from casewright.tools.criteria import RULE_ID, RULE_ID_FORM
from casewright.tools.html_blocks import html_to_blocks
from casewright.tools.markdown_blocks import markdown_to_blocks

_LEADING_RULE = re.compile(rf"^\W*({RULE_ID_FORM})\b[\s:.)\-–|]*")
MAX_PAGE_BYTES = 2_000_000
"""A page file or body larger than this is skipped: no design page is that long."""
logger = logging.getLogger("casewright")


def skip_page(where: str, why: str, skipped: list[str]) -> None:
    """Warn that a page is left out, and why, and note it in `skipped`; the others are read."""
    logger.warning("%s: skipped, %s; the other pages are read", where, why)
    skipped.append(where)


def is_content(document: Any) -> bool:
    """Whether a JSON document looks like one Confluence content item."""
    return isinstance(document, dict) and "id" in document and "title" in document


def extract_rules(blocks: list[Block], page_id: str) -> list[Rule]:
    """Return the rules a page defines: blocks that start with a rule id (or a row's first cell).

    A block that only mentions a rule id elsewhere in its text refers to it and does not
    define it. The first definition of an id wins.
    """
    rules: dict[str, Rule] = {}
    path: list[tuple[int, str]] = []
    for block in blocks:
        if block.kind == "heading":
            path = [(level, title) for level, title in path if level < block.level]
            path.append((block.level, block.text))
            continue
        if block.kind == "row" and block.cells and RULE_ID.fullmatch(block.cells[0].strip()):
            rule_id = block.cells[0].strip()
            text = " | ".join(cell for cell in block.cells[1:] if cell)
        elif match := _LEADING_RULE.match(block.text):
            rule_id, text = match[1], block.text[match.end():]
        else:
            continue
        if rule_id not in rules and text.strip():
            rules[rule_id] = Rule(rule_id=rule_id, text=" ".join(text.split()), page_id=page_id,
                                  heading_path=[title for _, title in path])
    return list(rules.values())


ParsedPage = tuple[Page, list[Block]]
"""A page and its body's blocks (headings and tables, which chunking needs)."""


class PageTooLarge(ValueError):
    """A page body over MAX_PAGE_BYTES."""


def readable(where: str, parse: Callable[[], ParsedPage], skipped: list[str],
             ) -> ParsedPage | None:
    """Return a parsed page, or None (noted in `skipped`) for a huge, malformed or empty one."""
    try:
        parsed = parse()
    except PageTooLarge as error:
        skip_page(where, str(error), skipped)
        return None
    except (AttributeError, TypeError, KeyError, ValueError, RecursionError) as error:
        skip_page(where, f"malformed page ({type(error).__name__}: {error})", skipped)
        return None
    if not parsed[0].text.strip():
        skip_page(where, "the page is empty", skipped)
        return None
    return parsed


def _page(page_id: str, title: str, blocks: list[Block], **extra: Any) -> ParsedPage:
    return Page(page_id=page_id, title=title, text=to_text(blocks),
                rules=extract_rules(blocks, page_id), **extra), blocks


def parse_content(content: dict[str, Any], confluence_url: str | None = None) -> ParsedPage:
    """Parse `GET /wiki/rest/api/content/{id}?expand=body.storage,space,version`."""
    body = ((content.get("body") or {}).get("storage") or {}).get("value") or ""
    if len(body) > MAX_PAGE_BYTES:
        raise PageTooLarge(f"its body is larger than {MAX_PAGE_BYTES // 1_000_000} MB")
    links = content.get("_links") or {}
    base = links.get("base") or confluence_url
    url = f"{base.rstrip('/')}{links['webui']}" if base and links.get("webui") else None
    return _page(
        str(content["id"]), str(content["title"]), html_to_blocks(body),
        space=(content.get("space") or {}).get("key"), url=url,
        version=(content.get("version") or {}).get("number"),
    )


def parse_file(path: Path, text: str, space: str | None = None) -> ParsedPage:
    """Parse a .md or .html page file; the first heading is its title, the file its URL."""
    blocks = markdown_to_blocks(text) if path.suffix == ".md" else html_to_blocks(text)
    heading = next((b for b in blocks if b.kind == "heading"), None)
    title = heading.text if heading else path.stem.replace("-", " ").capitalize()
    body = [b for b in blocks if b is not heading]
    return _page(path.stem, title, body, space=space, url=path.resolve().as_uri())
