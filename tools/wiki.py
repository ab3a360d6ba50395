"""Jira wiki markup (Jira Server/Data Center, REST v2 descriptions) to blocks."""

from __future__ import annotations

import re

from casewright.tools.blocks import Block, clean_text, row

_HEADING = re.compile(r"^h([1-6])\.\s*(.*)$")
_ITEM = re.compile(r"^([#*-]+)\s+(.*)$")
_PREFORMATTED = re.compile(r"^\{(noformat|code)(:[^}]*)?\}")
_LINK = re.compile(r"\[([^|\]]+)\|[^\]]+\]")
_BARE_LINK = re.compile(r"\[([^\]|]+)\]")
_MONOSPACE = re.compile(r"\{\{(.+?)\}\}")
_EMPHASIS = re.compile(r"(?<![\w*_])([*_+])(?=\S)(.+?)(?<=\S)\1(?![\w*_])")
_MACRO = re.compile(r"\{(color|panel|quote)(:[^}]*)?\}")


def inline(text: str) -> str:
    """Strip inline wiki markup (bold, italic, links, monospace, colour macros)."""
    text = _LINK.sub(r"\1", text)
    text = _BARE_LINK.sub(r"\1", text)
    text = _MONOSPACE.sub(r"\1", text)
    text = _MACRO.sub("", text)
    previous = None
    while previous != text:
        previous, text = text, _EMPHASIS.sub(r"\2", text)
    return text.replace("\\\\", "\n")


def _split_row(line: str) -> tuple[list[str], bool]:
    header = line.startswith("||")
    separator = "||" if header else "|"
    cells = line.strip().strip("|").split(separator)
    return [inline(cell.strip("|").strip()) for cell in cells], header


def wiki_to_blocks(markup: str) -> list[Block]:
    """Parse Jira wiki markup into blocks."""
    blocks: list[Block] = []
    paragraph: list[str] = []
    preformatted: list[str] | None = None

    def flush() -> None:
        text = clean_text("\n".join(paragraph))
        if text:
            blocks.append(Block("paragraph", text))
        paragraph.clear()

    for raw in markup.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if preformatted is not None:
            if _PREFORMATTED.match(line):
                blocks.append(Block("paragraph", clean_text("\n".join(preformatted))))
                preformatted = None
            else:
                preformatted.append(raw)
            continue
        if _PREFORMATTED.match(line):
            flush()
            preformatted = []
        elif not line:
            flush()
        elif heading := _HEADING.match(line):
            flush()
            blocks.append(Block("heading", clean_text(inline(heading[2])), level=int(heading[1])))
        elif line.startswith("|"):
            flush()
            cells, header = _split_row(line)
            blocks.append(row(cells, header=header))
        elif item := _ITEM.match(line):
            flush()
            blocks.append(Block("item", clean_text(inline(item[2])), level=len(item[1])))
        else:
            paragraph.append(inline(line))
    flush()
    if preformatted:
        blocks.append(Block("paragraph", clean_text("\n".join(preformatted))))
    return blocks
