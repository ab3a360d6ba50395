"""The block model that every rich-text format is reduced to before parsing.

Jira wiki markup, Atlassian Document Format, Confluence storage XHTML, HTML and Markdown all
become a flat list of `Block`s (headings, paragraphs, list items, table rows), so one criteria
parser and one rule parser serve every source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "item", "row"]

_INLINE_SPACES = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True)
class Block:
    r"""One structural unit of a document.

    Attributes:
        kind: heading, paragraph, list item or table row.
        text: the plain text; paragraphs keep their line breaks as "\\n".
        level: heading level (1-6) or list nesting depth (1 = top level).
        cells: the cells of a table row.
        header: whether a table row is made of header cells.
    """

    kind: BlockKind
    text: str
    level: int = 0
    cells: tuple[str, ...] = field(default=())
    header: bool = False


def clean_text(text: str) -> str:
    """Collapse runs of spaces on each line and drop empty lines at the ends."""
    lines = [_INLINE_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def row(cells: list[str], *, header: bool) -> Block:
    """Make a table-row block from its cell texts."""
    cleaned = tuple(clean_text(cell).replace("\n", " ") for cell in cells)
    return Block("row", " | ".join(c for c in cleaned if c), cells=cleaned, header=header)


def to_text(blocks: list[Block]) -> str:
    """Render blocks as plain text, one block per line (paragraph lines kept)."""
    return "\n".join(block.text for block in blocks if block.text)
