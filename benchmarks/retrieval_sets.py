"""Retrieval sets for benchmarks/memory.py: queries paired with the passage that answers them.

- `sample`: each criterion of the bundled sample that cites a rule, the rule id removed from
  its text, paired with that rule's chunk.
- `unnumbered`: the same criteria over the sample without rule ids
  (benchmarks/devsets/brightwater-unnumbered), paired with the page section that holds the
  rule: what the retriever must find when pages number nothing.
- `jira-api`: public documentation, the Jira Cloud platform REST API reference
  (devsets/jira-api-reference, Apache-2.0): each operation's summary ("Get all project
  roles") as the query, its description under its tag as the passage.

    python benchmarks/retrieval_sets.py ../shared/data/atlassian-rest-samples/jira-openapi

rebuilds devsets/jira-api-reference/operations.json: a seeded sample of 200 of the operations
whose description says more than its summary.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from casewright.agents.passages import passage_id
from casewright.config import load_settings
from casewright.memory import Chunk, workspace_chunks
from casewright.memory.chunking import make_chunk
from casewright.tools.workspace import Workspace, bundled_sample

HERE = Path(__file__).parent
UNNUMBERED = HERE / "devsets" / "brightwater-unnumbered"
JIRA_API = HERE / "devsets" / "jira-api-reference"
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


def jira_api_set() -> RetrievalSet:
    """Return the Jira REST API reference set."""
    operations = json.loads((JIRA_API / "operations.json").read_text(encoding="utf-8"))
    passages, pairs = [], []
    for operation in operations:
        tag, source_id = operation["tag"], operation["operation_id"]
        passages.append(make_chunk(kind="page", source_id=source_id, title="Jira REST API",
                                   heading_path=[tag],
                                   text=f"Jira REST API › {tag}\n{operation['description']}"))
        pairs.append((operation["summary"], {source_id}))
    return RetrievalSet(f"Jira REST API reference ({len(operations)} operations)", passages,
                        pairs)


def build_jira_api(source: Path, operations: int = 200, seed: int = 7) -> None:
    """Write devsets/jira-api-reference from the jira-swaggers repository's platform spec."""
    spec = json.loads((source / "platform-swagger.v3.json").read_text(encoding="utf-8"))
    found = [operation for methods in spec["paths"].values() for operation in methods.values()
             if isinstance(operation, dict) and operation.get("summary")
             and operation.get("operationId") and len(operation.get("description", "")) > 150]
    chosen = random.Random(seed).sample(found, min(operations, len(found)))
    JIRA_API.mkdir(parents=True, exist_ok=True)
    records = [{"operation_id": o["operationId"], "tag": (o.get("tags") or ["Jira"])[0],
                "summary": o["summary"],
                "description": " ".join(_MARKUP.sub(r"\1", o["description"]).split())[:1000]}
               for o in chosen]
    (JIRA_API / "operations.json").write_text(json.dumps(records, indent=1) + "\n",
                                              encoding="utf-8")
    shutil.copyfile(source / "LICENSE", JIRA_API / "LICENSE")
    (JIRA_API / "README.md").write_text(
        "# Jira Cloud platform REST API reference: a retrieval set\n\n200 operations of "
        "Atlassian's Jira Cloud platform REST API definition, as kept by "
        "github.com/salto-io/jira-swaggers (Apache-2.0, LICENSE): each operation's summary, "
        "tag and description (markup removed, first 1,000 characters). Built by "
        "`python benchmarks/retrieval_sets.py <jira-openapi folder>`.\n", encoding="utf-8")


if __name__ == "__main__":
    build_jira_api(Path(sys.argv[1]))
