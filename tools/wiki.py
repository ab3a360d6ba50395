"""Jira wiki markup (Server/Data Center, REST v2): parsed to blocks, and cases rendered in it."""

from __future__ import annotations

import re

from casewright.models import Story, TestCase
from casewright.tools.adf import case_footer, case_traces
from casewright.tools.blocks import Block, clean_text, row

_HEADING = re.compile(r"^h([1-6])\.\s*(.*)$")
_ITEM = re.compile(r"^([#*-]+)\s+(.*)$")
_PREFORMATTED = re.compile(r"^\{(noformat|code)(:[^}]*)?\}")
_LINK = re.compile(r"\[([^|\]]+)\|[^\]]+\]")
_BARE_LINK = re.compile(r"\[([^\]|]+)\]")
_MONOSPACE = re.compile(r"\{\{(.+?)\}\}")
_EMPHASIS = re.compile(r"(?<![\w*_])([*_+])(?=\S)(.+?)(?<=\S)\1(?![\w*_])")
_MACRO = re.compile(r"\{(color|panel|quote)(:[^}]*)?\}")
_SPECIAL = re.compile(r"([|\[\]{}*_+^~])")


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


# Rendering: a test case as a wiki-markup description

def wiki_text(text: str) -> str:
    """Return text safe inside wiki markup: special characters escaped, line breaks kept."""
    lines = [_SPECIAL.sub(r"\\\1", " ".join(line.split())) for line in text.split("\n")]
    return " \\\\ ".join(line for line in lines if line)


def case_wiki(case: TestCase, story: Story) -> str:
    """Return a case as a wiki-markup description: objective, traces, preconditions, steps."""
    traces = " · ".join(f"*{name}:* {wiki_text(value)}" for name, value in case_traces(case))
    lines = [f"*Objective:* {wiki_text(case.objective)}",
             f"*Story:* {story.key} {wiki_text(story.summary)}", traces, ""]
    if case.preconditions:
        lines += ["h3. Preconditions", *(f"* {wiki_text(line)}" for line in case.preconditions),
                  ""]
    lines += ["h3. Steps", "||#||Action||Data||Expected result||"]
    lines += [f"|{number}|{wiki_text(step.action) or ' '}|{wiki_text(step.data) or ' '}|"
              f"{wiki_text(step.expected) or ' '}|"
              for number, step in enumerate(case.steps, start=1)]
    lines += ["", wiki_text(case_footer(case))]
    return "\n".join(lines)
