"""Build the specialist's training corpus: human-written Gherkin scenarios from public projects.

Nothing fetched from those projects is committed. What is committed is this script and
`benchmarks/corpus/manifest.json`: per repository its commit, licence (SPDX id and the licence
file at that commit), domain, split ("train" or "eval", always a whole project) and, per
feature file, how many scenarios it gave. The script reads each repository's git mirror at the
pinned commit, parses every feature with the official Cucumber parser (`gherkin-official`) and
writes one JSON record per scenario to `.corpus/scenarios.jsonl` (git-ignored). A Scenario
Outline is one record carrying its Examples table. Dropped: non-English files (`# language:`
other than `en`, or prose with almost no English words), scenarios with fewer than 2 steps of
their own, and exact duplicates (eval projects are read first, so a case shared with a
training project stays held out and leaves the training side). An eval project marked
`"read": false` (added later, read by no one) gives records of split "fresh" instead of "eval",
and one marked `"read": true` (added as fresh, read since) records of split "dev", so that what
reads the eval split (fine-tuning's held-out score, benchmarks/specialist.py) keeps its figures
and "fresh" is only ever projects no one has read: `benchmarks/specialist.py --fresh` measures
those, `--dev` the read ones.

    python benchmarks/build_corpus.py                  # mirrors under /work/.mirror
    python benchmarks/build_corpus.py /path/owner+name/repo ...   # or given one by one
    python benchmarks/build_corpus.py --refresh        # rewrite the manifest's file lists

A mirror is a git directory (bare, or a clone's `.git`) named after its repository as
`owner+name` (the folder itself or its parent). A build fails (exit 1) when a file gives a
different number of scenarios than the manifest says; `--refresh` writes the new numbers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, cast

from gherkin.errors import CompositeParserException, ParserException
from gherkin.parser import Parser
from pydantic import BaseModel, ValidationError

from casewright.training.corpus import CorpusScenario, CorpusStep

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = Path(__file__).parent / "corpus" / "manifest.json"
OUT = ROOT / ".corpus" / "scenarios.jsonl"
MIRROR_ROOT = Path("/work/.mirror")

# Evaluation-only projects: never part of the corpus (benchmarks/devsets/ and held-out checks).
EVAL_ONLY = {"alphagov/e-petitions", "diaspora/diaspora",
             "ministryofjustice/claim-for-crown-court-defence"}
EVAL_ONLY_WORD = "corona-warn-app"

FRESH = "fresh"
"""The records' split of the eval projects no one has read (manifest "read": false)."""
DEV = "dev"
"""The records' split of the eval projects added as fresh and read since ("read": true)."""

# A phrase every copy of the licence's text carries (lower case).
LICENCE_TEXT = {
    "MIT": "permission is hereby granted, free of charge",
    "Apache-2.0": "apache license",
    "BSD-2-Clause": "redistribution and use in source and binary forms",
    "BSD-3-Clause": "neither the name",
    "ISC": "permission to use, copy, modify, and/or distribute",
    "OGL-UK-3.0": "open government licence",
}

_KEYWORDS = {"Given", "When", "Then", "And", "But"}
_BY_TYPE = {"Context": "Given", "Action": "When", "Outcome": "Then", "Conjunction": "And"}
_FILE_ENTRY = re.compile(r'\{\s*"path": ("(?:[^"\\]|\\.)*"),\s*"scenarios": (\d+)\s*\}')
_WORD = re.compile(r"[A-Za-z']+")
_ENGLISH = set(
    "a an the i we you he she it they is are was be been am do does not no to of in on at by "
    "for from with and or as that this these those there should can will my our your their "
    "has have had see am when then if into out up".split()
)
ENGLISH_SHARE = 0.08  # below this share of common English words a file's prose is not English


class FileEntry(BaseModel):
    """One feature file and how many scenarios it gave."""

    path: str
    scenarios: int


class Repository(BaseModel):
    """One public repository, pinned to a commit, wholly in one split."""

    repo: str
    commit: str
    licence: Literal["MIT", "Apache-2.0", "BSD-2-Clause", "BSD-3-Clause", "ISC", "OGL-UK-3.0"]
    licence_file: str
    domain: str
    split: Literal["train", "eval"]
    read: bool | None = None
    """False: an eval project no developer has read (its scenarios never printed or looked at);
    its records get split "fresh", so that the readers of split "eval" leave it out. True: one
    added as fresh and read since; its records get split "dev". None: the split as it is."""
    paths: list[str] = []
    files: list[FileEntry] = []


class Manifest(BaseModel):
    """The committed manifest: where every record comes from."""

    note: str = ""
    repositories: list[Repository]


class CorpusError(Exception):
    """A problem with the manifest or a mirror, said in one line."""


class Mirror:
    """Read files of one git mirror at one commit."""

    def __init__(self, git_dir: Path, commit: str) -> None:
        self.git_dir, self.commit = git_dir, commit

    def _git(self, *args: str, data: bytes | None = None) -> bytes:
        process = subprocess.run(["git", "--git-dir", str(self.git_dir), *args],
                                 input=data, capture_output=True, check=False)
        if process.returncode:
            message = process.stderr.decode(errors="replace").strip().splitlines()
            raise CorpusError(f"git failed in {self.git_dir}: {message[-1] if message else ''}")
        return process.stdout

    def paths(self) -> list[str]:
        """Return every file path in the pinned commit."""
        try:
            listing = self._git("ls-tree", "-r", "--name-only", "-z", self.commit)
        except CorpusError as error:
            raise CorpusError(f"{self.git_dir} lacks commit {self.commit}: fetch it again "
                              f"or pin another commit ({error})") from None
        return [path for path in listing.decode().split("\0") if path]

    def read(self, paths: list[str]) -> dict[str, str]:
        """Return the text of `paths` at the pinned commit, read in one git process."""
        request = "".join(f"{self.commit}:{path}\n" for path in paths).encode()
        output, texts, at = self._git("cat-file", "--batch", data=request), {}, 0
        for path in paths:
            end = output.index(b"\n", at)
            header = output[at:end].split()
            if header[-1] == b"missing":
                raise CorpusError(f"{path} is not in {self.git_dir} at {self.commit}")
            size = int(header[2])
            body = output[end + 1:end + 1 + size]
            texts[path] = body.decode("utf-8", errors="replace").lstrip("\ufeff")
            at = end + 1 + size + 1
        return texts


def find_mirror(repo: str, given: dict[str, Path], root: Path) -> Path:
    """Return the git directory of `repo`'s mirror, given on the command line or under root."""
    name = repo.replace("/", "+")
    candidates = [given[name]] if name in given else [root / name / "repo", root / name]
    for candidate in candidates:
        for git_dir in (candidate / ".git", candidate):
            if (git_dir / "HEAD").is_file() and (git_dir / "objects").is_dir():
                return git_dir
    raise CorpusError(f"no mirror of {repo}: fetch github:{repo} or pass its git directory")


def mirror_name(path: Path) -> str:
    """Return the `owner+name` a mirror path given on the command line stands for."""
    for part in (path, *path.parents):
        if "+" in part.name:
            return part.name
    raise CorpusError(f"{path} is not named owner+name (nor is a folder above it)")


def check_repository(repository: Repository, mirror: Mirror) -> None:
    """Refuse an evaluation-only project and a licence file that is not the named licence."""
    name = repository.repo.lower()
    if repository.read is not None and repository.split != "eval":
        mark = "true" if repository.read else "false"
        raise CorpusError(f'{repository.repo}: "read": {mark} is for eval projects')
    if name in EVAL_ONLY or EVAL_ONLY_WORD in name:
        raise CorpusError(f"{repository.repo} is evaluation-only: remove it from the manifest")
    text = mirror.read([repository.licence_file])[repository.licence_file].lower()
    phrase = LICENCE_TEXT[repository.licence]
    if phrase not in " ".join(text.split()):
        raise CorpusError(f"{repository.repo}: {repository.licence_file} at "
                          f"{repository.commit[:10]} is not {repository.licence} text")


def _table(node: dict[str, Any] | None) -> list[list[str]] | None:
    if not node:
        return None
    return [[cell["value"] for cell in row["cells"]] for row in node["rows"]]


def _steps(nodes: list[dict[str, Any]]) -> list[CorpusStep]:
    steps: list[CorpusStep] = []
    for node in nodes:
        keyword = node["keyword"].strip()
        if keyword not in _KEYWORDS:  # "*" and the like: read by the step's type
            keyword = _BY_TYPE.get(node.get("keywordType", ""), "And" if steps else "Given")
        doc = node.get("docString")
        steps.append(CorpusStep(keyword=keyword, text=node["text"].strip(),
                          table=_table(node.get("dataTable")),
                          doc_string=doc["content"] if doc else None))
    return steps


def _examples(scenario: dict[str, Any]) -> list[list[list[str]] | None]:
    """Return one table per distinct Examples header (tables sharing a header are joined)."""
    tables: dict[tuple[str, ...], list[list[str]]] = {}
    for block in scenario.get("examples", []):
        if not block.get("tableHeader"):
            continue
        header = tuple(cell["value"] for cell in block["tableHeader"]["cells"])
        rows = tables.setdefault(header, [list(header)])
        rows.extend([cell["value"] for cell in row["cells"]] for row in block["tableBody"])
    return list(tables.values()) or [None]


def _narrative(description: str) -> str:
    return "\n".join(line.strip() for line in description.strip().splitlines())


def is_english(feature: dict[str, Any]) -> bool:
    """Return whether a parsed feature is written in English (keywords and prose)."""
    if feature.get("language", "en") != "en":
        return False
    words: list[str] = _WORD.findall(f"{feature.get('name', '')} {feature.get('description', '')}")
    for child in _children(feature):
        for step in child.get("steps", []):
            words.extend(_WORD.findall(step["text"]))
    if len(words) < 20:
        return True
    return sum(word.lower() in _ENGLISH for word in words) / len(words) >= ENGLISH_SHARE


def _children(feature: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for child in feature.get("children", []):
        for kind in ("background", "scenario"):
            if kind in child:
                yield child[kind]
        if "rule" in child:
            for grandchild in child["rule"].get("children", []):
                for kind in ("background", "scenario"):
                    if kind in grandchild:
                        yield grandchild[kind]


def parse_feature(text: str) -> tuple[dict[str, Any] | None, str]:
    """Return a file's parsed feature, or None and why it is skipped."""
    try:
        document = Parser().parse(text)
    except (CompositeParserException, ParserException):
        return None, "unparsed"
    feature = cast("dict[str, Any] | None", document.get("feature"))
    if not feature:
        return None, "empty"
    if not is_english(feature):
        return None, "not English"
    return feature, ""


def scenarios(feature: dict[str, Any], context: dict[str, str]) -> list[CorpusScenario]:
    """Return a parsed feature's scenarios as records (before the drop of short ones)."""
    background: list[CorpusStep] = []
    records: list[CorpusScenario] = []
    head = {"feature": feature["name"].strip(), "narrative": _narrative(feature["description"])}
    feature_tags = [tag["name"] for tag in feature["tags"]]

    def add(node: dict[str, Any], before: list[CorpusStep], rule: dict[str, Any] | None) -> None:
        tags = feature_tags + [tag["name"] for tag in (rule or {}).get("tags", [])]
        tags += [tag["name"] for tag in node["tags"]]
        for table in _examples(node):
            records.append(CorpusScenario(**context, **head, background=before,
                                  rule=rule["name"].strip() if rule else None,
                                  scenario=node["name"].strip(), tags=list(dict.fromkeys(tags)),
                                  steps=_steps(node["steps"]), examples=table))

    for child in feature["children"]:
        if "background" in child:
            background = _steps(child["background"]["steps"])
        elif "scenario" in child:
            add(child["scenario"], background, None)
        elif "rule" in child:
            rule_background = background
            for grandchild in child["rule"]["children"]:
                if "background" in grandchild:
                    rule_background = background + _steps(grandchild["background"]["steps"])
                elif "scenario" in grandchild:
                    add(grandchild["scenario"], rule_background, child["rule"])
    return records


def _key(record: CorpusScenario) -> str:
    content = record.model_dump(include={"background", "scenario", "steps", "examples"})
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def record_split(repository: Repository) -> str:
    """Return the split of a repository's records: its own, or fresh or dev by its read mark."""
    if repository.read is None:
        return repository.split
    return DEV if repository.read else FRESH


def wanted(path: str, repository: Repository) -> bool:
    """Return whether a file of the repository is one of its features to read."""
    return path.endswith(".feature") and (
        not repository.paths or any(path.startswith(prefix) for prefix in repository.paths))


def build(manifest: Manifest, given: dict[str, Path], root: Path,
          refresh: bool) -> tuple[list[CorpusScenario], list[str]]:
    """Return every kept record and the files whose count differs from the manifest's."""
    seen: set[str] = set()
    kept: list[CorpusScenario] = []
    differ: list[str] = []
    order = sorted(manifest.repositories, key=lambda repository: repository.split != "eval")
    for number, repository in enumerate(order, 1):
        mirror = Mirror(find_mirror(repository.repo, given, root), repository.commit)
        check_repository(repository, mirror)
        paths = sorted(path for path in mirror.paths() if wanted(path, repository))
        texts = mirror.read(paths)
        counts: dict[str, int] = {}
        dropped: Counter[str] = Counter()
        context = {"project": repository.repo, "domain": repository.domain,
                   "split": record_split(repository),
                   "commit": repository.commit,
                   "licence": repository.licence}
        for path in paths:
            feature, skipped = parse_feature(texts[path])
            if feature is None:
                dropped[f"{skipped} files"] += 1
                continue
            for record in scenarios(feature, {**context, "path": path}):
                key = _key(record)
                if len(record.steps) < 2 or key in seen:
                    dropped["short" if len(record.steps) < 2 else "duplicates"] += 1
                    continue
                seen.add(key)
                kept.append(record)
                counts[path] = counts.get(path, 0) + 1
        found = [FileEntry(path=path, scenarios=count) for path, count in counts.items()]
        if refresh:
            repository.files = found
        elif found != repository.files:
            differ.append(repository.repo)
        skipped = ", ".join(f"{count} {why}" for why, count in sorted(dropped.items()))
        print(f"[{number}/{len(order)}] {repository.repo}: {sum(counts.values())} scenarios "
              f"from {len(found)} files" + (f"; dropped {skipped}" if skipped else ""),
              file=sys.stderr)
    return kept, differ


def table(records: list[CorpusScenario]) -> str:
    """Return the per-project, per-domain and per-split counts as Markdown."""
    by_project = Counter((r.project, r.domain, r.split) for r in records)
    lines = ["| project | domain | split | scenarios |", "| --- | --- | --- | ---: |"]
    for (project, domain, split), count in sorted(by_project.items(),
                                                  key=lambda item: (item[0][2], item[0][1])):
        lines.append(f"| {project} | {domain} | {split} | {count} |")
    splits = Counter(r.split for r in records)
    extra = [split for split in (DEV, FRESH) if splits[split]]
    lines += ["", "| domain | projects | train | eval |" + "".join(f" {s} |" for s in extra),
              "| --- | ---: | ---: | ---: |" + " ---: |" * len(extra)]
    for domain in sorted({r.domain for r in records}):
        projects = {p for (p, d, _s) in by_project if d == domain}
        counts = [sum(c for (_p, d, s), c in by_project.items() if d == domain and s == split)
                  for split in ["train", "eval", *extra]]
        lines.append(f"| {domain} | {len(projects)} | " + " | ".join(map(str, counts)) + " |")
    share = 100 * splits["eval"] / max(splits["train"] + splits["eval"], 1)
    never = f"; dev {splits[DEV]} (eval projects read since they were fresh)" \
        if splits[DEV] else ""
    never += f"; fresh {splits[FRESH]} (eval projects no one has read)" if splits[FRESH] else ""
    lines += ["", f"Total: {len(records)} scenarios from {len(by_project)} projects in "
              f"{len({r.domain for r in records})} domains; train {splits['train']}, "
              f"eval {splits['eval']} ({share:.1f}% of train and eval){never}."]
    return "\n".join(lines)


def manifest_json(manifest: Manifest) -> str:
    """Return the manifest as JSON with one line per feature file."""
    text = manifest.model_dump_json(indent=1, exclude_none=True)
    return _FILE_ENTRY.sub(r'{"path": \1, "scenarios": \2}', text) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the builder; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mirrors", nargs="*", type=Path,
                        help="mirror git directories (named owner+name); others under --root")
    parser.add_argument("--root", type=Path, default=MIRROR_ROOT,
                        help=f"folder of mirrors as owner+name/repo (default {MIRROR_ROOT})")
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--refresh", action="store_true",
                        help="rewrite the manifest's file lists and counts from the mirrors")
    args = parser.parse_args(argv)
    try:
        manifest = Manifest.model_validate_json(args.manifest.read_text())
        given = {mirror_name(path.resolve()): path for path in args.mirrors}
        records, differ = build(manifest, given, args.root, args.refresh)
    except (OSError, ValidationError) as error:
        print(f"error: cannot read {args.manifest}: {str(error).splitlines()[0]}",
              file=sys.stderr)
        return 2
    except CorpusError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if differ:
        print(f"error: scenario counts differ from the manifest for {', '.join(differ)}: "
              "check the pinned commits, or rerun with --refresh", file=sys.stderr)
        return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    partial = args.out.with_suffix(".partial")
    with partial.open("w") as out:
        for record in records:
            out.write(record.model_dump_json() + "\n")
    partial.replace(args.out)
    if args.refresh:
        args.manifest.write_text(manifest_json(manifest))
    print(table(records))
    print(f"wrote {len(records)} scenarios to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
