"""One run: pick the stories, make their suites, and write them where the user asked."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from casewright.errors import InputError
from casewright.exports import Exporter, get_exporter
from casewright.files import ensure_writable_dir, write_atomic
from casewright.keys import parse_issue_key
from casewright.models import Story, Suite
from casewright.tools.sources import JiraSource

STDOUT_MERGEABLE = {"json", "markdown"}


def select_stories(jira: JiraSource, keys: Sequence[str], epic: str | None) -> list[Story]:
    """Return the stories named by keys and/or an epic, in order, without repeats."""
    stories = [jira.get_story(key) for key in keys]
    if epic is not None:
        stories += jira.epic_stories(epic)
    if not keys and epic is None:
        stories = jira.list_stories()
    unique = {story.key: story for story in stories}
    return list(unique.values())


def parse_formats(values: Sequence[str]) -> list[Exporter]:
    """Return the exporters for `--format` values (repeatable, comma-separated)."""
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    try:
        exporters = [get_exporter(name) for name in dict.fromkeys(names)]
    except ValueError as error:
        raise InputError(str(error), hint="pass one of them to --format") from error
    if not exporters:
        raise InputError("no export format given", hint="pass --format json (or another)")
    return exporters


def check_stdout(exporters: Sequence[Exporter], story_count: int) -> None:
    """Refuse output that cannot go to stdout as one well-formed document."""
    if len(exporters) > 1:
        raise InputError("several formats cannot share stdout", hint="add -o DIR to write files")
    if story_count > 1 and exporters[0].name not in STDOUT_MERGEABLE:
        raise InputError(f"--format {exporters[0].name} writes one file per story",
                         hint="add -o DIR to write them")


def render_stdout(suites: Sequence[Suite], exporter: Exporter) -> str:
    """Render suites as one document: a JSON array, or the format's text joined."""
    if exporter.name == "json":
        items = ",\n".join(exporter.render(suite).rstrip("\n") for suite in suites)
        return f"[\n{items}\n]\n" if suites else "[]\n"
    return "\n".join(exporter.render(suite) for suite in suites)


def write_suite(suite: Suite, exporters: Sequence[Exporter], output: Path) -> Iterator[Path]:
    """Write one suite in each format as `<ISSUE-KEY><suffix>`, yielding each file written."""
    key = parse_issue_key(suite.story.key)
    for exporter in exporters:
        path = output / f"{key}{exporter.suffix}"
        write_atomic(path, exporter.render(suite))
        yield path


def prepare_output(output: Path | None, exporters: Sequence[Exporter], story_count: int) -> None:
    """Check, before any work, that the results will have somewhere to go."""
    if output is None:
        check_stdout(exporters, story_count)
    else:
        ensure_writable_dir(output)

