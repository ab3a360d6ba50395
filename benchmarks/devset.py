"""Build the e-petitions dev set: public stories casewright was never tuned on.

The UK Parliament e-petitions service (github.com/alphagov/e-petitions, MIT, Crown
Copyright) publishes its acceptance tests as Cucumber features: a narrative ("As Charlie, in
order to ..., I want ...") and human-written scenarios. Each feature becomes a Jira story in
a workspace, its scenario titles the acceptance criteria as a plain numbered list; the
humans' scenarios go beside it (`reference.json`) so that `benchmarks/quality.py` can set
casewright's cases next to them. The criteria are the humans' own sentences, unedited.

    python benchmarks/devset.py ../shared/data/reference-scenarios/e-petitions
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path

HERE = Path(__file__).parent / "devsets" / "e-petitions"
_SCENARIO = re.compile(r"^\s*Scenario(?: Outline)?:\s*(.+?)\s*$")
_STEP = re.compile(r"^\s*(Given|When|Then|And|But)\b\s*(.*)$")


def parse_feature(text: str) -> tuple[str, list[str], list[dict[str, object]]]:
    """Return a feature's title, narrative lines and scenarios (title and steps)."""
    title, narrative, scenarios = "", [], []
    background = False
    for line in text.splitlines():
        background = background or line.strip().startswith("Background:")
        if line.strip().startswith("Feature:"):
            title = line.split(":", 1)[1].strip()
        elif match := _SCENARIO.match(line):
            scenarios.append({"title": match[1], "steps": []})
        elif scenarios and (step := _STEP.match(line)):
            scenarios[-1]["steps"].append(f"{step[1]} {step[2]}")  # type: ignore[union-attr]
        elif not scenarios and not background and title and line.strip() and \
                not line.strip().startswith(("@", "#")):
            narrative.append(line.strip())
    return title, narrative, scenarios


def issue(key: str, title: str, narrative: list[str], criteria: list[str]) -> dict:
    """Return a Jira REST issue (API v2, wiki markup) for one feature."""
    description = "\n".join(narrative) + "\n\nh3. Acceptance criteria\n" + \
        "\n".join(f"# {criterion}" for criterion in criteria)
    return {"key": key, "fields": {
        "summary": f"{title}: {' '.join(narrative)}"[:250], "description": description,
        "issuetype": {"name": "Story"}, "project": {"key": "EP", "name": "e-petitions"},
        "labels": ["e-petitions"]}}


def main() -> None:
    """Write the dev set workspace from the features folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="the e-petitions folder in shared/data")
    source = parser.parse_args().source
    shutil.rmtree(HERE / "jira", ignore_errors=True)
    (HERE / "jira").mkdir(parents=True)
    reference = {}
    features = sorted((source / "features").rglob("*.feature"))
    for number, path in enumerate(features, start=1):
        title, narrative, scenarios = parse_feature(path.read_text(encoding="utf-8"))
        if not scenarios:
            continue
        key = f"EP-{number}"
        criteria = [str(s["title"]) for s in scenarios]
        (HERE / "jira" / f"{key}.json").write_text(
            json.dumps(issue(key, title, narrative, criteria), indent=2) + "\n",
            encoding="utf-8")
        reference[key] = {"feature": str(path.relative_to(source)), "scenarios": scenarios}
    (HERE / "reference.json").write_text(json.dumps(reference, indent=1) + "\n",
                                         encoding="utf-8")
    shutil.copy(source / "LICENCE.txt", HERE / "LICENCE.txt")
    print(f"{len(reference)} stories, {sum(len(r['scenarios']) for r in reference.values())} "
          f"criteria -> {HERE}")


if __name__ == "__main__":
    main()
