"""Embed casewright in a pipeline: UAT cases for every story of an epic, as Xray CSV files.

    python examples/pipeline_xray.py [EPIC] [OUT_DIR]     # defaults: CC-1 and out/

It reads the bundled sample workspace with the bundled model; point CASEWRIGHT_WORKSPACE (or
`load_stories(..., workspace=...)` and `generate(..., workspace=...)`) at your own.
"""

from __future__ import annotations

import sys
from pathlib import Path

from casewright import generate, get_exporter, load_stories


def export_epic(epic: str, out: Path) -> list[Path]:
    """Write `<KEY>.xray.csv` for each story of the epic; return the files written."""
    xray = get_exporter("xray")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for suite in generate(load_stories(epic=epic)):
        path = out / f"{suite.story.key}{xray.suffix}"
        path.write_text(xray.render(suite), encoding="utf-8")
        print(f"{path}: {len(suite.cases)} cases, {len(suite.findings)} open findings")
        written.append(path)
    return written


if __name__ == "__main__":
    export_epic(sys.argv[1] if len(sys.argv) > 1 else "CC-1",
                Path(sys.argv[2] if len(sys.argv) > 2 else "out"))
