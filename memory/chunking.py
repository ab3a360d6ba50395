"""Chunks that keep their meaning: one per rule, page section, table, criterion and test case.

A page becomes one chunk per business rule (so each rule is found on its own) plus chunks for
what is left of each heading section: its prose, and its other tables in groups of rows that
repeat the header row. A story becomes a summary chunk and one chunk per acceptance criterion;
a test case one chunk. Every chunk's id derives from its source id and content, so an unchanged
source gives the same ids and a changed one new ids.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

from casewright.memory.models import Chunk
from casewright.models import Page, Story, TestCase
from casewright.tools.blocks import Block
from casewright.tools.confluence import extract_rules
from casewright.tools.criteria import RULE_ID
from casewright.tools.workspace import Workspace

CHUNK_NAMESPACE = uuid.UUID("6d1f0c3e-8a59-4d59-9f3c-2b1e7c4a9e11")
MAX_PROSE_CHARS = 1000
"""Prose longer than this is split at block boundaries (MiniLM reads about 256 tokens)."""
ROWS_PER_CHUNK = 8

_SEPARATOR = " › "


def make_chunk(**fields: Any) -> Chunk:
    """Build a chunk whose id is uuid5 of its source id and a hash of all its content."""
    content = json.dumps(fields, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()[:32]
    chunk_id = uuid.uuid5(CHUNK_NAMESPACE, f"{fields['source_id']}\n{digest}")
    return Chunk(chunk_id=str(chunk_id), **fields)


def anchor(heading: str) -> str:
    """Return a heading's anchor as Confluence Cloud writes it: words joined by hyphens."""
    return quote("-".join(re.findall(r"[^\s]+", heading)), safe="-_.~()")


def passage_url(url: str | None, heading_path: list[str]) -> str | None:
    """Return a page's URL pointing at the section a passage sits under."""
    if url is None or not heading_path:
        return url
    return f"{url.split('#', 1)[0]}#{anchor(heading_path[-1])}"


def _cited(text: str) -> list[str]:
    return list(dict.fromkeys(RULE_ID.findall(text)))


def _sections(blocks: list[Block]) -> Iterator[tuple[list[str], list[Block]]]:
    """Yield (heading path, blocks under it) in document order."""
    path: list[tuple[int, str]] = []
    body: list[Block] = []
    for block in blocks:
        if block.kind == "heading":
            if body:
                yield [title for _, title in path], body
            path = [(level, title) for level, title in path if level < block.level]
            path.append((block.level, block.text))
            body = []
        else:
            body.append(block)
    if body:
        yield [title for _, title in path], body


def _pieces(blocks: list[Block]) -> Iterator[str]:
    """Yield the blocks as texts: prose up to MAX_PROSE_CHARS, tables in groups of rows."""
    prose: list[str] = []
    rows: list[Block] = []

    def table() -> Iterator[str]:
        header = [rows[0]] if rows and rows[0].header else []
        body = rows[len(header):]
        for start in range(0, len(body), ROWS_PER_CHUNK):
            yield "\n".join(row.text for row in header + body[start:start + ROWS_PER_CHUNK])
        rows.clear()

    for block in blocks:
        if block.kind == "row":
            if prose:
                yield "\n".join(prose)
                prose = []
            rows.append(block)
            continue
        yield from table()
        if prose and sum(map(len, prose)) + len(block.text) > MAX_PROSE_CHARS:
            yield "\n".join(prose)
            prose = []
        prose.append(block.text)
    yield from table()
    if prose:
        yield "\n".join(prose)


def _defined_rule(block: Block, page: Page) -> str | None:
    """Return the id of the page rule this block defines (as the page's parser read it)."""
    defined = {(rule.rule_id, rule.text) for rule in page.rules}
    return next((rule.rule_id for rule in extract_rules([block], page.page_id)
                 if (rule.rule_id, rule.text) in defined), None)


def chunk_page(page: Page, blocks: list[Block]) -> list[Chunk]:
    """Return a page's chunks: one per rule, then its sections without the rules' own blocks.

    A rule that ends with a colon keeps the list items that follow it ("at least 2 of these
    3 items:"), since they are part of the rule.
    """
    common = {"title": page.title, "space": page.space, "page_id": page.page_id}
    rule_items: dict[str, list[str]] = {rule.rule_id: [] for rule in page.rules}
    open_list = {rule.rule_id: rule.text.endswith(":") for rule in page.rules}
    section_chunks: list[Chunk] = []
    for heading_path, section in _sections(blocks):
        kept: list[Block] = []
        listing: str | None = None
        for block in section:
            if rule_id := _defined_rule(block, page):
                listing = rule_id if open_list[rule_id] else None
            elif listing and block.kind == "item":
                rule_items[listing].append(f"- {block.text}")
            else:
                listing = None
                kept.append(block)
        in_section = [rule.rule_id for rule in page.rules if rule.heading_path == heading_path]
        context = _SEPARATOR.join([page.title, *heading_path])
        for piece in _pieces(kept):
            section_chunks.append(make_chunk(
                kind="page", source_id=page.page_id, heading_path=heading_path,
                url=passage_url(page.url, heading_path),
                rule_ids=list(dict.fromkeys(in_section + _cited(piece))), **common,
                text=f"{context}\n{piece}"))
    rule_chunks = [
        make_chunk(kind="rule", source_id=rule.rule_id, heading_path=rule.heading_path,
                   url=passage_url(page.url, rule.heading_path), rule_ids=[rule.rule_id],
                   **common,
                   text="\n".join([_SEPARATOR.join([page.title, *rule.heading_path]),
                                   f"{rule.rule_id}: {rule.text}", *rule_items[rule.rule_id]]))
        for rule in page.rules]
    return rule_chunks + section_chunks


def chunk_story(story: Story) -> list[Chunk]:
    """Return a story's summary chunk and one chunk per acceptance criterion."""
    common = {"kind": "story", "source_id": story.key, "title": story.summary, "url": story.url,
              "project": story.project, "story_key": story.key}
    summary = f"{story.key}: {story.summary}\n{story.description}".strip()
    chunks = [make_chunk(**common, rule_ids=_cited(summary), text=summary)]
    for criterion in story.criteria:
        label = f"{story.key} {criterion.criterion_id}" + (
            f" {criterion.title}" if criterion.title else "")
        chunks.append(make_chunk(**common, criterion_id=criterion.criterion_id,
                                 rule_ids=criterion.rule_ids,
                                 text=f"{label}: {story.summary}\n{criterion.text}"))
    return chunks


def chunk_case(case: TestCase) -> Chunk:
    """Return a test case as one chunk: objective, preconditions and numbered steps."""
    lines = [f"{case.case_id}: {case.title}", f"Objective: {case.objective}"]
    lines += [f"Precondition: {condition}" for condition in case.preconditions]
    for number, step in enumerate(case.steps, start=1):
        data = f" [{step.data}]" if step.data else ""
        lines.append(f"{number}. {step.action}{data} -> {step.expected}")
    project = case.story_key.rpartition("-")[0] or None
    return make_chunk(kind="test", source_id=case.case_id, title=case.title, project=project,
                      story_key=case.story_key, rule_ids=case.rule_ids, text="\n".join(lines))


def workspace_chunks(workspace: Workspace) -> list[Chunk]:
    """Return every chunk of a workspace's stories, pages and existing tests, ids unique."""
    chunks: list[Chunk] = []
    for story in workspace.jira.list_stories():
        chunks += chunk_story(story)
    for page in workspace.confluence.list_pages():
        chunks += chunk_page(page, workspace.confluence.page_blocks(page.page_id))
    chunks += [chunk_case(case) for case in workspace.existing_tests()]
    return list({chunk.chunk_id: chunk for chunk in chunks}.values())
