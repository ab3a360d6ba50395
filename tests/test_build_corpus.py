"""benchmarks/build_corpus.py on real git mirrors made here: records, drops, manifest checks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[1] / "benchmarks" / "build_corpus.py"
MIT = "MIT License\n\nPermission is hereby granted, free of charge, to any person ...\n"

RENEWALS = """\
Feature: Renewing a loan
  As a member
  I want to renew a loan
  So that I keep the book longer

  Background:
    Given I am signed in as a member

  @loans
  Scenario: Renew a loan before it is due
    Given I have borrowed "Dune"
    When I renew "Dune"
    Then I see the new due date

  Scenario Outline: Renewal is refused
    Given my loan of "<book>" is <state>
    When I renew "<book>"
    Then I see "<message>"

    Examples:
      | book | state   | message          |
      | Dune | overdue | Return it first  |
      | Emma | on hold | Someone wants it |

  Scenario: Too short to keep
    When I renew a loan

  Scenario: Renew a loan before it is due
    Given I have borrowed "Dune"
    When I renew "Dune"
    Then I see the new due date
"""

GERMAN = """\
# language: de
Funktionalität: Ausleihe verlängern
  Szenario: Verlängern
    Angenommen ich habe "Dune" ausgeliehen
    Wenn ich "Dune" verlängere
    Dann sehe ich das neue Datum
"""


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def _mirror(root: Path, name: str, files: dict[str, str]) -> tuple[Path, str]:
    """A clone under root/owner+name/repo holding `files` in one commit; its commit."""
    repo = root / name.replace("/", "+") / "repo"
    repo.mkdir(parents=True)
    _git(repo, "init", "-q")
    for path, text in files.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text)
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "x")
    return repo, _git(repo, "rev-parse", "HEAD")


def _manifest(path: Path, repositories: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps({"repositories": repositories}))
    return path


def _entry(name: str, commit: str, **extra: object) -> dict[str, object]:
    return {"repo": name, "commit": commit, "licence": "MIT", "licence_file": "LICENSE",
            "domain": "library", "split": "train", **extra}


def _run(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *map(str, args)], capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def library(tmp_path: Path) -> tuple[Path, Path]:
    """A mirror root with one MIT project, and its manifest (no file counts yet)."""
    _repo, commit = _mirror(tmp_path / "mirrors", "lib/loans", {
        "LICENSE": MIT, "features/renewals.feature": RENEWALS,
        "features/de/renewals.feature": GERMAN, "vendor/other.feature": RENEWALS})
    manifest = _manifest(tmp_path / "manifest.json",
                         [_entry("lib/loans", commit, paths=["features/"])])
    return tmp_path, manifest


def test_refresh_writes_one_record_per_scenario_and_the_counts(library: tuple[Path, Path]):
    root, manifest = library
    out = root / "corpus" / "scenarios.jsonl"

    result = _run("--root", root / "mirrors", "--manifest", manifest, "--out", out, "--refresh")

    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    # the outline is one record with its table; the one-step scenario, the exact duplicate,
    # the German file and the file outside features/ are left out
    assert [r["scenario"] for r in records] == ["Renew a loan before it is due",
                                                "Renewal is refused"]
    first, outline = records
    assert first["narrative"].startswith("As a member\nI want to renew a loan")
    assert first["background"][0]["text"] == "I am signed in as a member"
    assert first["tags"] == ["@loans"]
    assert [s["keyword"] for s in first["steps"]] == ["Given", "When", "Then"]
    assert first["examples"] is None
    assert outline["examples"][0] == ["book", "state", "message"]
    assert len(outline["examples"]) == 3
    assert first["licence"] == "MIT" and first["split"] == "train"
    files = json.loads(manifest.read_text())["repositories"][0]["files"]
    assert files == [{"path": "features/renewals.feature", "scenarios": 2}]
    assert "dropped 1 duplicates, 1 not English files, 1 short" in result.stderr
    assert "| lib/loans | library | train | 2 |" in result.stdout

    again = _run("--root", root / "mirrors", "--manifest", manifest, "--out", out)
    assert again.returncode == 0, again.stderr


def test_a_count_that_differs_from_the_manifest_fails_the_build(library: tuple[Path, Path]):
    root, manifest = library
    data = json.loads(manifest.read_text())
    data["repositories"][0]["files"] = [{"path": "features/renewals.feature", "scenarios": 3}]
    manifest.write_text(json.dumps(data))
    out = root / "scenarios.jsonl"

    result = _run("--root", root / "mirrors", "--manifest", manifest, "--out", out)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "error: scenario counts differ from the manifest for lib/loans: check the pinned "
        "commits, or rerun with --refresh")
    assert not out.exists()


def test_a_mirror_given_on_the_command_line_is_used(library: tuple[Path, Path]):
    root, manifest = library
    out = root / "scenarios.jsonl"

    result = _run(root / "mirrors" / "lib+loans" / "repo", "--root", root / "nowhere",
                  "--manifest", manifest, "--out", out, "--refresh")

    assert result.returncode == 0, result.stderr
    assert len(out.read_text().splitlines()) == 2


def test_an_evaluation_only_project_is_refused(tmp_path: Path):
    _repo, commit = _mirror(tmp_path, "diaspora/diaspora",
                            {"LICENSE": MIT, "features/a.feature": RENEWALS})
    manifest = _manifest(tmp_path / "manifest.json", [_entry("diaspora/diaspora", commit)])

    result = _run("--root", tmp_path, "--manifest", manifest, "--out", tmp_path / "out.jsonl")

    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: diaspora/diaspora is evaluation-only: remove it from the manifest")


def test_a_licence_file_that_is_not_the_named_licence_is_refused(tmp_path: Path):
    _repo, commit = _mirror(tmp_path, "lib/gpl", {
        "LICENSE": "GNU GENERAL PUBLIC LICENSE\nVersion 3\n", "features/a.feature": RENEWALS})
    manifest = _manifest(tmp_path / "manifest.json", [_entry("lib/gpl", commit)])

    result = _run("--root", tmp_path, "--manifest", manifest, "--out", tmp_path / "out.jsonl")

    assert result.returncode == 2
    assert result.stderr.strip() == f"error: lib/gpl: LICENSE at {commit[:10]} is not MIT text"


def test_a_missing_mirror_says_what_to_fetch(tmp_path: Path):
    manifest = _manifest(tmp_path / "manifest.json", [_entry("lib/absent", "0" * 40)])

    result = _run("--root", tmp_path, "--manifest", manifest, "--out", tmp_path / "out.jsonl")

    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: no mirror of lib/absent: fetch github:lib/absent or pass its git directory")


def test_read_marks_give_eval_projects_splits_dev_and_fresh(tmp_path: Path):
    _repo, old = _mirror(tmp_path / "mirrors", "lib/loans", {
        "LICENSE": MIT, "features/renewals.feature": RENEWALS})
    _repo, read = _mirror(tmp_path / "mirrors", "lib/fines", {
        "LICENSE": MIT, "features/fines.feature": RENEWALS.replace("renew", "pay")})
    _repo, new = _mirror(tmp_path / "mirrors", "lib/holds", {
        "LICENSE": MIT, "features/holds.feature": RENEWALS.replace("renew", "hold")})
    manifest = _manifest(tmp_path / "manifest.json", [
        _entry("lib/loans", old, split="eval"),
        _entry("lib/fines", read, split="eval", read=True),
        _entry("lib/holds", new, split="eval", read=False)])
    out = tmp_path / "scenarios.jsonl"

    result = _run("--root", tmp_path / "mirrors", "--manifest", manifest, "--out", out,
                  "--refresh")

    assert result.returncode == 0, result.stderr
    splits = {(r["project"], r["split"]) for r in map(json.loads, out.read_text().splitlines())}
    assert splits == {("lib/loans", "eval"), ("lib/fines", "dev"), ("lib/holds", "fresh")}
    # the marks survive the rewrite; an entry without one gets none
    written = json.loads(manifest.read_text())["repositories"]
    assert "read" not in written[0] and [r.get("read") for r in written] == [None, True, False]
    assert "| library | 3 | 0 | 2 | 2 | 2 |" in result.stdout
    assert "eval 2 (100.0% of train and eval); dev 2 (eval projects read since they were " \
        "fresh); fresh 2 (eval projects no one has read)." in result.stdout


@pytest.mark.parametrize("read", [False, True])
def test_a_read_mark_on_a_training_project_is_refused(tmp_path: Path, read: bool):
    _repo, commit = _mirror(tmp_path, "lib/loans",
                            {"LICENSE": MIT, "features/a.feature": RENEWALS})
    manifest = _manifest(tmp_path / "manifest.json",
                         [_entry("lib/loans", commit, read=read)])

    result = _run("--root", tmp_path, "--manifest", manifest, "--out", tmp_path / "out.jsonl")

    assert result.returncode == 2
    assert result.stderr.strip() == \
        f'error: lib/loans: "read": {str(read).lower()} is for eval projects'
