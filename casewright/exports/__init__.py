"""Exporters: one story's suite written in the exact shape a test-management tool imports.

Each format is one small module with a `render(suite) -> str`; this registry names them, in
the order the CLI lists them. Formats that can hold a whole run in one document (a JSON array,
Markdown and JSONL joined, the HTML run report) have a `render_run` too, so several stories
can go to stdout, and HTML names the run-level file written beside the per-story ones. No
format sees a control character (NUL, BEL ...) of the suite: the registry strips them first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from casewright.exports import (
    azure,
    gherkin,
    html,
    json_export,
    jsonl,
    markdown,
    testrail,
    xray,
    zephyr,
)
from casewright.exports._text import printable
from casewright.models import Suite

__all__ = ["EXPORTERS", "Exporter", "get_exporter"]


@dataclass(frozen=True)
class Exporter:
    """A file format: its name, its file suffix and the function that writes a suite in it."""

    name: str
    suffix: str
    render: Callable[[Suite], str]
    render_run: Callable[[Sequence[Suite]], str] | None = None
    """One document for a whole run's suites, where the format can hold one."""
    run_file: str | None = None
    """The file a run's document is written to beside the per-story files, if any."""


def _printed(render: Callable[[Suite], str], suite: Suite) -> str:
    return render(printable(suite))


def _printed_run(render_run: Callable[[Sequence[Suite]], str], suites: Sequence[Suite]) -> str:
    return render_run([printable(suite) for suite in suites])


def _exporter(name: str, suffix: str, render: Callable[[Suite], str],
              render_run: Callable[[Sequence[Suite]], str] | None = None,
              run_file: str | None = None) -> Exporter:
    """Return an exporter whose format sees every suite with its control characters stripped."""
    return Exporter(name, suffix, partial(_printed, render),
                    None if render_run is None else partial(_printed_run, render_run), run_file)


EXPORTERS: dict[str, Exporter] = {
    exporter.name: exporter
    for exporter in (
        _exporter("json", ".json", json_export.render, json_export.render_run),
        _exporter("markdown", ".md", markdown.render,
                  lambda suites: "\n".join(markdown.render(suite) for suite in suites)),
        _exporter("gherkin", ".feature", gherkin.render),
        _exporter("xray", ".xray.csv", xray.render),
        _exporter("zephyr", ".zephyr.csv", zephyr.render),
        _exporter("testrail", ".testrail.xml", testrail.render),
        _exporter("azure", ".azure.csv", azure.render),
        _exporter("html", ".html", html.render, html.render_run, run_file="report.html"),
        _exporter("jsonl", ".jsonl", jsonl.render,
                  lambda suites: "".join(jsonl.render(suite) for suite in suites)),
    )
}


def get_exporter(name: str) -> Exporter:
    """Return the exporter for a format name, in any letter case.

    Raises:
        ValueError: the format is unknown; the message lists the known ones.
    """
    exporter = EXPORTERS.get(name.lower())
    if exporter is None:
        known = ", ".join(EXPORTERS)
        raise ValueError(f"unknown export format {name!r}; known formats: {known}")
    return exporter
