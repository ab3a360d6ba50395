"""Replay a public feature set's history: how living suites follow stories that change.

e-petitions (github.com/alphagov/e-petitions, MIT) has kept its Cucumber features in git since
2012. Each commit that changed a scenario title becomes a step: the workspace is built from its
features/ as benchmarks/devset.py builds the dev set (a feature a story, its scenario titles
the criteria, keys kept per feature file across the history), and casewright updates the suites
in one output folder: `stories --changed`, then a run of those stories (and any new one)
against the folder; the update's seconds count both. At the end every story is run again
against the folder, which must change nothing. A tester approves every case after each step, so
the next step shows how many approvals survive. Per step it prints the criteria added, changed
and removed; the cases kept, updated, new and made obsolete; the approvals kept of those the
changed stories held; and the seconds of the update beside a full run (every story into a fresh
folder, timed at the first and the last step). The agent writes the engine's wording: no model
is loaded or asked, and the memory finds nothing.

The repository's history is not in this checkout: fetch a clone first.

    git clone https://github.com/alphagov/e-petitions /tmp/e-petitions
    python benchmarks/living_suites.py /tmp/e-petitions [--steps 20]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from devset import issue, parse_feature
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

from casewright.approval import APPROVED_LABEL
from casewright.changed_stories import changed_stories
from casewright.config import load_settings
from casewright.living import read_suite, suite_file
from casewright.memory.models import Hit, SearchFilter
from casewright.models import Suite
from casewright.run_command import RunRequest, execute
from casewright.tools.workspace import Workspace

PROJECT = ("EP", "e-petitions")


class NoHits:
    """A memory that finds nothing: the replay measures the suites, not retrieval."""

    def search(self, query: str, *, limit: int, where: SearchFilter) -> list[Hit]:
        """Find nothing."""
        return []


def git(repo: Path, *args: str) -> str:
    """Return the output of a git command in `repo`."""
    return subprocess.run(["git", f"--git-dir={repo}", *args], check=True, capture_output=True,
                          text=True).stdout


def features_at(repo: Path, commit: str) -> dict[str, str]:
    """Return every .feature file under features/ at a commit, by path."""
    paths = [path for path in git(repo, "ls-tree", "-r", "--name-only", commit,
                                  "features/").splitlines() if path.endswith(".feature")]
    return {path: git(repo, "show", f"{commit}:{path}") for path in paths}


def titles(text: str) -> list[str]:
    """Return a feature's scenario titles: the story's criteria."""
    return [str(scenario["title"]) for scenario in parse_feature(text)[2]]


def criteria_commits(repo: Path, steps: int) -> list[str]:
    """Return the last `steps` commits that changed a scenario title, oldest first."""
    found: list[str] = []
    for commit in git(repo, "log", "--format=%H", "--", "features/*.feature").splitlines():
        parents = git(repo, "log", "-1", "--format=%P", commit).split()
        if len(parents) != 1:
            continue
        changed = git(repo, "diff", "--name-only", parents[0], commit, "--",
                      "features/*.feature").splitlines()
        if any(_titles_at(repo, parents[0], path) != _titles_at(repo, commit, path)
               for path in changed):
            found.append(commit)
            if len(found) == steps:
                break
    return found[::-1]


def _titles_at(repo: Path, commit: str, path: str) -> list[str] | None:
    try:
        return titles(git(repo, "show", f"{commit}:{path}"))
    except subprocess.CalledProcessError:  # not there at that commit
        return None


class Workspaces:
    """The workspace at each commit, its stories keyed by feature file across the history."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.keys: dict[str, str] = {}

    def build(self, features: dict[str, str]) -> list[str]:
        """Write jira/ for these features; return the keys of the stories it holds."""
        folder = self.root / "jira"
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.json"):
            old.unlink()
        keys = []
        for path, text in sorted(features.items()):
            title, narrative, scenarios = parse_feature(text)
            if not scenarios:
                continue
            key = self.keys.setdefault(path, f"{PROJECT[0]}-{len(self.keys) + 1}")
            criteria = [str(scenario["title"]) for scenario in scenarios]
            (folder / f"{key}.json").write_text(json.dumps(
                issue(key, title, narrative, criteria, PROJECT)), encoding="utf-8")
            keys.append(key)
        return keys


@dataclass
class Step:
    """What one step of the replay changed."""

    commit: str
    stories: int
    changed: int
    criteria: Counter[str]
    cases: Counter[str]
    approvals_before: int
    approvals_kept: int
    seconds: float


def run(workspace: Path, out: Path, keys: Sequence[str]) -> tuple[list[Suite], float]:
    """Run the agent (engine wording) on stories against an output folder; time it."""
    settings = load_settings(workspace, home=workspace / "home")
    began = time.perf_counter()
    suites = execute(RunRequest(keys=list(keys), output=out, formats=["json"]),
                     Workspace(workspace, settings), settings, lambda line: None,
                     chat_model=GenericFakeChatModel(messages=iter([])), memory=NoHits())
    return suites, time.perf_counter() - began


def approve_all(out: Path) -> None:
    """Approve every live case in the folder, as a tester who reviewed them would."""
    for path in sorted(out.glob("*.json")):
        suite = read_suite(path)
        cases = [case if case.status == "obsolete" or APPROVED_LABEL in case.labels
                 else case.model_copy(update={"labels": [*case.labels, APPROVED_LABEL]})
                 for case in suite.cases]
        path.write_text(suite.model_copy(update={"cases": cases}).model_dump_json(indent=2),
                        encoding="utf-8")


def approved(out: Path, keys: Sequence[str]) -> set[str]:
    """Return the ids of the approved live cases of these stories' suites."""
    ids: set[str] = set()
    for key in keys:
        if suite_file(out, key).exists():
            ids |= {case.case_id for case in read_suite(suite_file(out, key)).live_cases
                    if APPROVED_LABEL in case.labels}
    return ids


class Replay:
    """The replay: one workspace rebuilt at each commit, one output folder updated."""

    def __init__(self, repo: Path, root: Path) -> None:
        self.repo, self.spaces, self.out = repo, Workspaces(root / "workspace"), root / "out"
        self.keys: list[str] = []
        """The stories of the last commit built."""

    def start(self, commit: str) -> float:
        """Write every story's suite at the first commit; return the seconds of that run."""
        self.keys = self.spaces.build(features_at(self.repo, commit))
        seconds = run(self.spaces.root, self.out, self.keys)[1]
        approve_all(self.out)
        return seconds

    def rerun(self) -> tuple[Counter[str], float]:
        """Run every story again against the folder; return the case statuses and seconds."""
        suites, seconds = run(self.spaces.root, self.out, self.keys)
        statuses = Counter(case.status for suite in suites for case in suite.live_cases)
        statuses["obsolete"] = sum(len(s.update.obsoleted) for s in suites if s.update)
        return statuses, seconds

    def step(self, commit: str) -> Step:
        """Update the suites of the stories that changed (or are new) at a commit."""
        keys = self.spaces.build(features_at(self.repo, commit))
        began = time.perf_counter()
        workspace = Workspace(self.spaces.root, load_settings(self.spaces.root))
        found, _ = changed_stories(workspace.jira, self.out, lambda line: None)
        chosen = [story.story.key for story in found] + \
            [key for key in keys if not suite_file(self.out, key).exists()]
        before = approved(self.out, chosen)
        suites = run(self.spaces.root, self.out, chosen)[0] if chosen else []
        seconds = time.perf_counter() - began
        after = approved(self.out, chosen)
        criteria = Counter(change.change for suite in suites if suite.update
                           for change in suite.update.criteria)
        criteria["added"] += sum(len(s.story.criteria) for s in suites if s.update is None)
        cases = Counter(case.status for suite in suites for case in suite.live_cases)
        cases["obsolete"] = sum(len(s.update.obsoleted) for s in suites if s.update)
        approve_all(self.out)
        self.keys = keys
        return Step(commit[:8], len(keys), len(chosen), criteria, cases, len(before),
                    len(before & after), seconds)


def full_run(repo: Path, commit: str, root: Path) -> float:
    """Return the seconds of a full run of a commit's stories into a fresh folder."""
    spaces = Workspaces(root / "full")
    keys = spaces.build(features_at(repo, commit))
    return run(spaces.root, root / "full-out", keys)[1]


def main() -> None:
    """Replay the history and print a row per step."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path, help="a clone of alphagov/e-petitions (or its .git)")
    parser.add_argument("--steps", type=int, default=20, help="commits that changed criteria")
    options = parser.parse_args()
    repo = options.repo / ".git" if (options.repo / ".git").exists() else options.repo
    commits = criteria_commits(repo, options.steps + 1)
    print(f"{len(commits)} commits of alphagov/e-petitions that changed scenario titles, "
          f"{git(repo, 'log', '-1', '--format=%ad', '--date=short', commits[0]).strip()} to "
          f"{git(repo, 'log', '-1', '--format=%ad', '--date=short', commits[-1]).strip()}")
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        replay = Replay(repo, root)
        print(f"step 0 {commits[0][:8]}: full run {replay.start(commits[0]):.1f} s")
        header = ("step", "commit", "stories", "changed", "criteria +/~/-", "kept", "updated",
                  "new", "obsolete", "approvals kept", "update s")
        print(" | ".join(header))
        totals: Counter[str] = Counter()
        for number, commit in enumerate(commits[1:], start=1):
            step = replay.step(commit)
            c, k = step.criteria, step.cases
            print(" | ".join(str(value) for value in (
                number, step.commit, step.stories, step.changed,
                f"{c['added']}/{c['changed']}/{c['removed']}", k["kept"], k["updated"], k["new"],
                k["obsolete"], f"{step.approvals_kept}/{step.approvals_before}",
                f"{step.seconds:.1f}")))
            totals.update(k)
            totals.update({"approvals_before": step.approvals_before,
                           "approvals_kept": step.approvals_kept, "centiseconds":
                           round(step.seconds * 100)})
        again, rerun_seconds = replay.rerun()
        print(f"every story again against the folder: {again['kept']} kept, "
              f"{again['updated']} updated, {again['new']} new, {again['obsolete']} made "
              f"obsolete ({rerun_seconds:.1f} s)")
        last = full_run(repo, commits[-1], root)
        print(f"full run at {commits[-1][:8]}: {last:.1f} s; updates: "
              f"{totals['centiseconds'] / 100 / max(len(commits) - 1, 1):.1f} s a step on "
              f"average; cases kept {totals['kept']}, updated {totals['updated']}, new "
              f"{totals['new']}, made obsolete {totals['obsolete']}; approvals kept "
              f"{totals['approvals_kept']} of {totals['approvals_before']}")


if __name__ == "__main__":
    main()
