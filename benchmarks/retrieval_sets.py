"""Retrieval sets for benchmarks/memory.py: queries paired with the passage that answers them.

- `sample`: each criterion of the bundled sample that cites a rule, the rule id removed from
  its text, paired with that rule's chunk.
- `unnumbered`: the same criteria over the sample without rule ids
  (benchmarks/devsets/brightwater-unnumbered), paired with the page section that holds the
  rule: what the retriever must find when pages number nothing.
- `jira-api`: public documentation, the Jira Cloud platform REST API reference
  (../shared/data/atlassian-rest-samples/jira-openapi, Apache-2.0): each operation's summary
  ("Get all project roles") as the query, its description under its tag as the passage, for
  a seeded sample of the operations that have one.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from casewright.agents.passages import passage_id
from casewright.config import load_settings
from casewright.memory import Chunk, workspace_chunks
from casewright.memory.chunking import make_chunk
from casewright.tools.workspace import Workspace, bundled_sample

HERE = Path(__file__).parent
UNNUMBERED = HERE / "devsets" / "brightwater-unnumbered"
JIRA_API = HERE.parents[1] / "shared" / "data" / "atlassian-rest-samples" / "jira-openapi" / \
    "platform-swagger.v3.json"
RULE_MENTION = re.compile(r"\s*\(?\b(?:in line with |see )?BR-\d+(?:\s*,\s*BR-\d+)*\)?")
_MARKUP = re.compile(r"\[([^\]]+)\]\([^)]*\)|[*#`]+")


@dataclass
class RetrievalSet:
    """Passages to search, and (query, ids of the passages that answer it) pairs."""

    name: str
    passages: list[Chunk]
    pairs: list[tuple[str, set[str]]]


def _workspace(root: Path) -> Workspace:
    return Workspace(root, load_settings(workspace=root))


def _passages(root: Path) -> list[Chunk]:
    return [chunk for chunk in workspace_chunks(_workspace(root))
            if chunk.kind in {"rule", "page"}]


def sample_sets() -> list[RetrievalSet]:
    """Return the sample's set (rule chunks) and the unnumbered sample's (page sections)."""
    numbered = _workspace(bundled_sample())
    rules = {rule.rule_id: (page, rule) for page in numbered.confluence.list_pages()
             for rule in page.rules}
    unnumbered = _passages(UNNUMBERED)
    sections = {passage_id(chunk) for chunk in unnumbered}
    criteria = [c for story in numbered.jira.list_stories() for c in story.criteria
                if c.rule_ids]
    by_rule, by_section = [], []
    for criterion in criteria:
        query = RULE_MENTION.sub("", criterion.text)
        by_rule.append((query, set(criterion.rule_ids)))
        wanted = set()
        for rule_id in criterion.rule_ids:
            page, rule = rules[rule_id]
            section = page.page_id if not rule.heading_path else passage_id(make_chunk(
                kind="page", source_id=page.page_id, title=page.title,
                heading_path=rule.heading_path, text=""))
            wanted.add(section)
        by_section.append((query, wanted & sections))
    return [RetrievalSet("sample (rule ids)", _passages(bundled_sample()), by_rule),
            RetrievalSet("sample without rule ids", unnumbered,
                         [(q, w) for q, w in by_section if w])]


def jira_api_set(operations: int = 200, seed: int = 7) -> RetrievalSet | None:
    """Return the Jira REST API reference set, or None where ../shared/data is not there."""
    if not JIRA_API.is_file():
        return None
    spec = json.loads(JIRA_API.read_text(encoding="utf-8"))
    found = [operation for methods in spec["paths"].values() for operation in methods.values()
             if isinstance(operation, dict) and operation.get("summary")
             and len(operation.get("description", "")) > 150]
    chosen = random.Random(seed).sample(found, min(operations, len(found)))
    passages, pairs = [], []
    for operation in chosen:
        tag = (operation.get("tags") or ["Jira"])[0]
        text = " ".join(_MARKUP.sub(r"\1", operation["description"]).split())[:1000]
        source_id = operation.get("operationId") or operation["summary"]
        passages.append(make_chunk(kind="page", source_id=source_id, title="Jira REST API",
                                   heading_path=[tag], text=f"Jira REST API › {tag}\n{text}"))
        pairs.append((operation["summary"], {source_id}))
    return RetrievalSet(f"Jira REST API reference ({len(chosen)} operations)", passages, pairs)
