"""Atlassian Document Format (Jira Cloud, REST v3): parsed to blocks, and cases rendered in it.

`case_traces` and `case_footer` are the format-neutral parts of a case's description, shared
with the wiki-markup renderer (`casewright.tools.wiki.case_wiki`).
"""

from __future__ import annotations

from typing import Any

from casewright.models import Story, TestCase
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


# Rendering: a test case as an ADF description

def case_traces(case: TestCase) -> list[tuple[str, str]]:
    """Return a case's traces as (name, value) pairs, those with no value left out."""
    traces = [("Criteria", ", ".join(case.criterion_ids)), ("Rules", ", ".join(case.rule_ids)),
              ("Kind", case.kind), ("Priority", case.priority)]
    return [(name, value) for name, value in traces if value]


def case_footer(case: TestCase) -> str:
    """Return the closing line of a pushed case's description."""
    return (f"Written by casewright as {case.case_id}; pushing the case again rewrites this "
            "summary and description.")


def _text(text: str, *, strong: bool = False) -> list[dict[str, Any]]:
    """Return text as ADF inline nodes: text runs with hard breaks between lines."""
    nodes: list[dict[str, Any]] = []
    for number, line in enumerate(text.split("\n")):
        if number:
            nodes.append({"type": "hardBreak"})
        if line:
            node: dict[str, Any] = {"type": "text", "text": line}
            if strong:
                node["marks"] = [{"type": "strong"}]
            nodes.append(node)
    return nodes


def _paragraph(*runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "paragraph", "content": [node for run in runs for node in run]}


def _heading(text: str) -> dict[str, Any]:
    return {"type": "heading", "attrs": {"level": 3}, "content": _text(text)}


def _cell(text: str, kind: str = "tableCell") -> dict[str, Any]:
    return {"type": kind, "attrs": {}, "content": [_paragraph(_text(text))]}


def case_adf(case: TestCase, story: Story) -> dict[str, Any]:
    """Return a case as an ADF description: objective, traces, preconditions, steps table."""
    content: list[dict[str, Any]] = [
        _paragraph(_text("Objective: ", strong=True), _text(case.objective)),
        _paragraph(_text("Story: ", strong=True), _text(f"{story.key} {story.summary}")),
        _paragraph(*[run for number, (name, value) in enumerate(case_traces(case)) for run in (
            _text(f"{' · ' if number else ''}{name}: ", strong=True), _text(value))]),
    ]
    if case.preconditions:
        content += [_heading("Preconditions"), {"type": "bulletList", "content": [
            {"type": "listItem", "content": [_paragraph(_text(line))]}
            for line in case.preconditions]}]
    header = {"type": "tableRow", "content": [
        _cell(name, "tableHeader") for name in ("#", "Action", "Data", "Expected result")]}
    rows = [{"type": "tableRow", "content": [
        _cell(str(number)), _cell(step.action), _cell(step.data), _cell(step.expected)]}
        for number, step in enumerate(case.steps, start=1)]
    content += [_heading("Steps"), {
        "type": "table", "attrs": {"isNumberColumnEnabled": False, "layout": "default"},
        "content": [header, *rows]}, _paragraph(_text(case_footer(case)))]
    return {"type": "doc", "version": 1, "content": content}
