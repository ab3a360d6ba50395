"""The `casewright` command line. Heavy modules are imported inside the commands."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from casewright.config import Settings
    from casewright.tools.workspace import Workspace

app = typer.Typer(
    name="casewright",
    help="Turn Jira stories into reviewed, traceable UAT test cases.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

WorkspaceOption = Annotated[Path | None, typer.Option(
    "--workspace", "-w", help="Workspace folder (default: the current folder if it is one, "
    "else the bundled sample).", envvar="CASEWRIGHT_WORKSPACE", show_default=False)]


def say(message: str) -> None:
    """Print a progress or status line on stderr, keeping stdout for results."""
    print(message, file=sys.stderr, flush=True)


@contextmanager
def reporting(ctx: typer.Context) -> Iterator[None]:
    """Turn known errors into one line and an exit code; `--debug` shows the traceback."""
    from casewright.errors import CasewrightError

    debug = bool(ctx.obj and ctx.obj.get("debug"))
    try:
        yield
    except CasewrightError as error:
        if debug:
            raise
        say(f"error: {error.one_line()}")
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        say("interrupted")
        raise typer.Exit(130) from None
    except Exception as error:  # the last line of defence: no traceback without --debug
        if debug:
            raise
        say(f"error: unexpected {type(error).__name__}: {error}; rerun with --debug for details")
        raise typer.Exit(1) from None


def open_workspace(workspace: Path | None) -> tuple[Workspace, Settings]:
    """Resolve the workspace, load its settings and say which one is used."""
    from casewright.config import load_settings
    from casewright.tools.workspace import Workspace, resolve_workspace

    root, reason = resolve_workspace(workspace, Path.cwd())
    settings = load_settings(workspace=root)
    say(f"workspace: {root} ({reason})")
    return Workspace(root, settings), settings


@app.callback()
def main_options(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.",
                                        envvar="CASEWRIGHT_DEBUG")] = False,
) -> None:
    """Turn Jira stories into reviewed, traceable UAT test cases."""
    ctx.obj = {"debug": debug}


@app.command()
def run(
    ctx: typer.Context,
    keys: Annotated[list[str] | None, typer.Argument(
        help="Story keys, such as CC-101. Without keys or --epic: every story.",
        show_default=False)] = None,
    epic: Annotated[str | None, typer.Option("--epic", help="Run every story of this epic.",
                                             show_default=False)] = None,
    workspace: WorkspaceOption = None,
    pipeline: Annotated[str, typer.Option("--pipeline", "-p",
                                          help="fixed (templates, no model) or agent.")] = "fixed",
    formats: Annotated[list[str] | None, typer.Option(
        "--format", "-f", help="json, markdown, gherkin, xray, zephyr, testrail, azure; "
        "repeat or comma-separate for several.", show_default="json")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Folder to write <KEY><suffix> files into (default: stdout).",
        show_default=False)] = None,
) -> None:
    """Write UAT test cases for stories, in the formats asked."""
    with reporting(ctx):
        from casewright.agents.fixed_pipeline import run_fixed
        from casewright.errors import InputError
        from casewright.runner import (
            parse_formats,
            prepare_output,
            render_stdout,
            select_stories,
            write_suite,
        )

        if pipeline not in {"fixed", "agent"}:
            raise InputError(f"unknown pipeline {pipeline!r}", hint="use --pipeline fixed")
        if pipeline == "agent":
            raise InputError("the agent pipeline is not available yet",
                             hint="use --pipeline fixed")
        exporters = parse_formats(formats or ["json"])
        source, settings = open_workspace(workspace)
        stories = select_stories(source.jira, keys or [], epic)
        prepare_output(output, exporters, len(stories))
        began, suites, written = time.perf_counter(), [], []
        for number, story in enumerate(stories, start=1):
            started = time.perf_counter()
            suite = run_fixed(story, settings)
            suites.append(suite)
            if output is not None:
                written += list(write_suite(suite, exporters, output))
            say(f"[{number}/{len(stories)}] {story.key}: {len(story.criteria)} criteria -> "
                f"{len(suite.cases)} cases ({time.perf_counter() - started:.2f} s)")
            for finding in suite.findings:
                say(f"  {finding.severity}: {finding.message}")
        if output is None:
            sys.stdout.write(render_stdout(suites, exporters[0]))
        cases = sum(len(suite.cases) for suite in suites)
        where = f"{len(written)} files in {output}" if output is not None else "stdout"
        say(f"done: {len(suites)} stories, {cases} cases -> {where} "
            f"({time.perf_counter() - began:.2f} s)")


@app.command()
def stories(ctx: typer.Context, workspace: WorkspaceOption = None) -> None:
    """List the workspace's stories with their epics and acceptance criteria."""
    with reporting(ctx):
        from collections import Counter

        from rich.console import Console
        from rich.table import Table

        source, _ = open_workspace(workspace)
        existing = Counter(case.story_key for case in source.existing_tests())
        table = Table("Key", "Epic", "Summary", "Criteria", "From", "Existing tests")
        for story in source.jira.list_stories():
            table.add_row(story.key, story.epic_key or "-", story.summary,
                          str(len(story.criteria)), story.criteria_source,
                          str(existing[story.key]))
        Console(soft_wrap=False, highlight=False).print(table)


def main() -> None:
    """Run the command line (the `casewright` console script)."""
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    app()
