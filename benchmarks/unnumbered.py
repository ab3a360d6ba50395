"""Build the unnumbered sample: the bundled workspace with every business-rule id removed.

Most Confluence spaces do not number their rules, and most stories do not cite them, so the
retriever must find evidence by what passages say. This copy of the sample keeps every page,
story and existing case, word for word, but without 'BR-n' ids: the rules become plain
sentences and table rows, the criteria cite nothing, the existing cases trace to no rule.
`tests/test_evidence.py` and `benchmarks/memory.py` use it.

    python benchmarks/unnumbered.py
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from casewright.tools.workspace import bundled_sample

HERE = Path(__file__).parent / "devsets" / "brightwater-unnumbered"
_ID = r"BR-\d+"
_MENTIONS = [
    re.compile(rf"\s*\((?:see |per |under )?{_ID}(?:(?:,\s*|\s+and\s+){_ID})*\)"),  # "(BR-4, BR-5)"
    re.compile(rf"\s*\b(?:in line with|per|under|see)\s+{_ID}(?:(?:,\s*|\s+and\s+){_ID})*"),
    re.compile(rf"(?:\*\*|<b>|<strong>){_ID}(?:\*\*|</b>|</strong>):?\s*|\b{_ID}:\s*"),  # own id
    re.compile(rf"\b{_ID}(?:(?:,\s*|\s+and\s+){_ID})*\b"),  # anything left: a table's id cell
]


def unnumbered(text: str) -> str:
    """Return a text without rule ids."""
    for pattern in _MENTIONS:
        text = pattern.sub("", text)
    return text


def build(target: Path = HERE) -> None:
    """Write the unnumbered copy of the sample to `target`."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(bundled_sample(), target)
    for path in sorted(target.rglob("*")):
        if path.suffix in {".json", ".md", ".html"} and path.parent.name != target.name:
            path.write_text(unnumbered(path.read_text(encoding="utf-8")), encoding="utf-8")
    for path in sorted((target / "tests").glob("*.json")):
        cases = json.loads(path.read_text(encoding="utf-8"))
        for case in cases if isinstance(cases, list) else cases.get("cases", []):
            case["rule_ids"] = []
        path.write_text(json.dumps(cases, indent=1, ensure_ascii=False) + "\n",
                        encoding="utf-8")
    (target / "README.md").write_text(
        "# The sample workspace without rule ids\n\nBuilt by `python benchmarks/unnumbered.py` "
        "from the bundled sample: every 'BR-n' id removed from pages, stories and cases.\n",
        encoding="utf-8")


if __name__ == "__main__":
    build()
