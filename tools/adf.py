"""Atlassian Document Format (Jira Cloud, REST v3) to blocks."""

from __future__ import annotations

from typing import Any

from casewright.tools.blocks import Block, clean_text, row

_CONTAINERS = {"doc", "blockquote", "panel", "expand", "nestedExpand", "layoutSection",
               "layoutColumn", "bodiedExtension"}
_LISTS = {"bulletList", "orderedList"}


def inline_text(node: dict[str, Any]) -> str:
    """Return the text of an inline node or of all inline nodes under a block node."""
    kind = node.get("type")
    attrs = node.get("attrs") or {}
    if kind == "text":
        return str(node.get("text", ""))
    if kind == "hardBreak":
        return "\n"
    if kind == "mention":
        return str(attrs.get("text", ""))
    if kind == "emoji":
        return str(attrs.get("text") or attrs.get("shortName", ""))
    if kind in {"inlineCard", "blockCard"}:
        return str(attrs.get("url", ""))
    if kind == "date":
        return str(attrs.get("timestamp", ""))
    if kind == "status":
        return str(attrs.get("text", ""))
    parts = [inline_text(child) for child in node.get("content") or []]
    separator = "\n" if kind in {"tableCell", "tableHeader", "listItem"} else ""
    return separator.join(parts)


def _list_items(node: dict[str, Any], depth: int, out: list[Block]) -> None:
    for item in node.get("content") or []:
        text_parts: list[str] = []
        nested: list[dict[str, Any]] = []
        for child in item.get("content") or []:
            if child.get("type") in _LISTS:
                nested.append(child)
            else:
                text_parts.append(inline_text(child))
        text = clean_text("\n".join(text_parts))
        if text:
            out.append(Block("item", text, level=depth))
        for sub in nested:
            _list_items(sub, depth + 1, out)


def _walk(node: dict[str, Any], out: list[Block]) -> None:
    kind = node.get("type")
    if kind in _CONTAINERS:
        for child in node.get("content") or []:
            _walk(child, out)
    elif kind == "heading":
        level = int((node.get("attrs") or {}).get("level", 1))
        out.append(Block("heading", clean_text(inline_text(node)), level=level))
    elif kind in _LISTS:
        _list_items(node, 1, out)
    elif kind == "table":
        for table_row in node.get("content") or []:
            cells = table_row.get("content") or []
            header = bool(cells) and all(cell.get("type") == "tableHeader" for cell in cells)
            out.append(row([inline_text(cell) for cell in cells], header=header))
    else:
        text = clean_text(inline_text(node))
        if text:
            out.append(Block("paragraph", text))


def adf_to_blocks(document: dict[str, Any]) -> list[Block]:
    """Parse an ADF document (`{"type": "doc", ...}`) into blocks."""
    blocks: list[Block] = []
    _walk(document, blocks)
    return blocks
