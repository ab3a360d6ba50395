"""Build a dev set from a project's public Cucumber features: stories to check the engine on.

Two are kept in benchmarks/devsets/, both read while the engine's rules were written (dev
sets, not held out):
- e-petitions: the UK Parliament e-petitions service (github.com/alphagov/e-petitions, MIT,
  Crown Copyright), the dev set the engine's wording was checked against;
- diaspora: the diaspora* social network (github.com/diaspora/diaspora, AGPL-3.0): its
  odd-numbered stories read to find what fails, ten cases of the others read once (its
  features are kept in devsets/diaspora/features).

Each feature becomes a Jira story in a workspace (its narrative, "As Charlie, in order to
..., I want ...", the description), its scenario titles the acceptance criteria as a plain
numbered list; the humans' scenarios go beside it (`reference.json`) so that
`benchmarks/quality.py` can set casewright's cases next to them. The criteria are the
humans' own sentences, unedited.

    python benchmarks/devset.py ../shared/data/reference-scenarios/e-petitions
    python benchmarks/devset.py benchmarks/devsets/diaspora --key DI --name diaspora
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path

DEVSETS = Path(__file__).parent / "devsets"
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


def issue(key: str, title: str, narrative: list[str], criteria: list[str],
          project: tuple[str, str]) -> dict:
    """Return a Jira REST issue (API v2, wiki markup) for one feature."""
    description = "\n".join(narrative) + "\n\nh3. Acceptance criteria\n" + \
        "\n".join(f"# {criterion}" for criterion in criteria)
    return {"key": key, "fields": {
        "summary": (f"{title}: {' '.join(narrative)}" if narrative else title)[:250],
        "description": description,
        "issuetype": {"name": "Story"}, "project": {"key": project[0], "name": project[1]},
        "labels": [project[1]]}}


def main() -> None:
    """Write the dev set workspace from the features folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="a folder with features/ and LICENCE.txt")
    parser.add_argument("--key", default="EP", help="the Jira project key (default: EP)")
    parser.add_argument("--name", default="e-petitions", help="the dev set's folder and project")
    options = parser.parse_args()
    here = DEVSETS / options.name
    shutil.rmtree(here / "jira", ignore_errors=True)
    (here / "jira").mkdir(parents=True)
    reference = {}
    features = sorted((options.source / "features").rglob("*.feature"))
    for number, path in enumerate(features, start=1):
        title, narrative, scenarios = parse_feature(path.read_text(encoding="utf-8"))
        if not scenarios:
            continue
        key = f"{options.key}-{number}"
        criteria = [str(s["title"]) for s in scenarios]
        (here / "jira" / f"{key}.json").write_text(
            json.dumps(issue(key, title, narrative, criteria,
                             (options.key, options.name)), indent=2) + "\n", encoding="utf-8")
        reference[key] = {"feature": str(path.relative_to(options.source)),
                          "scenarios": scenarios}
    (here / "reference.json").write_text(json.dumps(reference, indent=1) + "\n",
                                         encoding="utf-8")
    if options.source.resolve() != here.resolve():
        shutil.copy(options.source / "LICENCE.txt", here / "LICENCE.txt")
    print(f"{len(reference)} stories, {sum(len(r['scenarios']) for r in reference.values())} "
          f"criteria -> {here}")


if __name__ == "__main__":
    main()
