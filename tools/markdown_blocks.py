"""Markdown (Confluence pages kept as .md files) to blocks."""

from __future__ import annotations

import re

from casewright.tools.blocks import Block, clean_text, row

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_ITEM = re.compile(r"^(\s*)(?:[-*+]|\d+[.)])\s+(.*)$")
_TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1")


def inline(text: str) -> str:
    """Strip inline Markdown (links, emphasis, code spans)."""
    text = _LINK.sub(r"\1", text)
    previous = None
    while previous != text:
        previous, text = text, _EMPHASIS.sub(r"\2", text)
    return text


def markdown_to_blocks(markdown: str) -> list[Block]:
    """Parse Markdown into blocks (headings, paragraphs, list items, table rows)."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    pending_row: list[str] | None = None

    def flush() -> None:
        text = clean_text("\n".join(paragraph))
        if text:
            blocks.append(Block("paragraph", text))
        paragraph.clear()

    for raw in markdown.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if pending_row is not None and not _TABLE_SEPARATOR.match(line):
            blocks.append(row(pending_row, header=False))
        if pending_row is not None and _TABLE_SEPARATOR.match(line):
            blocks.append(row(pending_row, header=True))
            pending_row = None
            continue
        pending_row = None
        if not line or line.startswith("```"):
            flush()
        elif heading := _HEADING.match(line):
            flush()
            blocks.append(Block("heading", clean_text(inline(heading[2])), level=len(heading[1])))
        elif line.startswith("|"):
            flush()
            cells = [inline(cell.strip()) for cell in line.strip("|").split("|")]
            if blocks and blocks[-1].kind == "row":
                blocks.append(row(cells, header=False))
            else:
                pending_row = cells
        elif item := _ITEM.match(raw):
            flush()
            depth = len(item[1].expandtabs(4)) // 2 + 1
            blocks.append(Block("item", clean_text(inline(item[2])), level=depth))
        else:
            paragraph.append(inline(line))
    if pending_row is not None:
        blocks.append(row(pending_row, header=False))
    flush()
    return blocks
