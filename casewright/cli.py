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
    """Turn known errors into one line and an exit code; `--debug` adds the traceback.

    The exit code is the same with and without `--debug`: 2 for usage and input errors, 1 for
    a run that failed, 130 for Ctrl-C.
    """
    from casewright.errors import CasewrightError
    from casewright.redaction import format_exception, redact

    debug = bool(ctx.obj and ctx.obj.get("debug"))
    try:
        yield
    except CasewrightError as error:
        if debug:  # a server's answer inside the traceback may echo a token: redacted
            say(format_exception(error))
        say(f"error: {error.one_line()}")
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        say("interrupted")
        raise typer.Exit(130) from None
    except BrokenPipeError:  # `casewright search ... | head -1`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(0) from None
    except Exception as error:  # the last line of defence: no traceback without --debug
        if debug:
            say(format_exception(error))
        say(f"error: unexpected {type(error).__name__}: {redact(str(error))}"
            + ("" if debug else "; rerun with --debug for details"))
        raise typer.Exit(1) from None


def open_workspace(workspace: Path | None,
                   spaces: list[str] | None = None) -> tuple[Workspace, Settings]:
    """Resolve the workspace (given, else the current folder, else the sample) and say which.

    Jira and Confluence are read over REST when settings name a site and its credentials
    (`casewright.assembly`).
    """
    from casewright.assembly import open_workspace as assemble

    source = assemble(workspace, progress=say, spaces=spaces, current_folder=True)
    return source, source.settings


@app.callback()
def main_options(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on errors.",
                                        envvar="CASEWRIGHT_DEBUG")] = False,
) -> None:
    """Turn Jira stories into reviewed, traceable UAT test cases."""
    ctx.obj = {"debug": debug}
    _warnings_to_stderr()
    from casewright.llm import crash_note  # light: no llama.cpp until a model loads

    crash_note.arm(debug=debug)


def _warnings_to_stderr() -> None:
    """Show the library's warnings (a page skipped, say) on stderr as 'warning: ...' lines."""
    import logging

    logger = logging.getLogger("casewright")
    if not any(getattr(h, "casewright_cli", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("warning: %(message)s"))
        handler.setLevel(logging.WARNING)
        handler.casewright_cli = True  # type: ignore[attr-defined]
        logger.addHandler(handler)


@app.command()
def run(
    ctx: typer.Context,
    keys: Annotated[list[str] | None, typer.Argument(
        help="Story keys, such as CC-101. Without keys or --epic: every story.",
        show_default=False)] = None,
    epic: Annotated[str | None, typer.Option("--epic", help="Run every story of this epic.",
                                             show_default=False)] = None,
    jql: Annotated[str | None, typer.Option(
        "--jql", help="Run every story this JQL finds (Jira over REST).",
        show_default=False)] = None,
    workspace: WorkspaceOption = None,
    pipeline: Annotated[str, typer.Option(
        "--pipeline", "-p", help="agent (planner, retriever, writer, reviewer on the local "
        "model) or fixed (one templated case per criterion, no model).")] = "agent",
    formats: Annotated[list[str] | None, typer.Option(
        "--format", "-f", help="json, markdown, gherkin, xray, zephyr, testrail, azure, html "
        "(traceability report), jsonl (fine-tuning records); repeat or comma-separate for "
        "several.", show_default="json")] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Folder to write <KEY><suffix> files into (default: stdout).",
        show_default=False)] = None,
    resume: Annotated[str | None, typer.Option(
        "--resume", help="Finish an interrupted run by its id; other options are taken from "
        "the run.", show_default=False)] = None,
    concurrency: Annotated[int, typer.Option(
        "--concurrency", "-j", help="Stories written at once; above 1 needs a model "
        "server (CASEWRIGHT_MODEL_PROVIDER=openai), which batches their calls.")] = 1,
    redesign: Annotated[bool, typer.Option(
        "--redesign", help="Design the cases of unchanged criteria again too, when -o holds "
        "a story's earlier suite (default: only changed criteria get new cases).")] = False,
) -> None:
    """Write UAT test cases for stories, in the formats asked.

    A story whose suite is already in the -o folder (<KEY>.json) has that suite updated:
    cases of unchanged criteria are kept, changed criteria designed again, removed ones'
    cases marked obsolete.
    """
    with reporting(ctx):
        from casewright.run_command import RunRequest, execute

        request = RunRequest(keys=keys or [], epic=epic, jql=jql, pipeline=pipeline,
                             formats=formats or ["json"], output=output, resume=resume,
                             concurrency=concurrency, redesign=redesign)
        source, settings = open_workspace(workspace)
        execute(request, source, settings, say)


@app.command()
def push(
    ctx: typer.Context,
    run_id: Annotated[str, typer.Argument(help="The run whose approved cases to push (the id "
                                          "`casewright run` printed).", show_default=False)],
    to: Annotated[str, typer.Option("--to", help="Where to push: jira (Jira over REST).",
                                    show_default=False)],
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Print what would be created or updated and write nothing (Jira is "
        "still read, to find the issues pushed before).")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Create or update one Jira issue per approved case of a run, linked to its story.

    Pushing again updates the same issues (found by the key stored when each was created,
    else by their label casewright-<case id>); the issues of obsolete cases are labelled
    casewright-obsolete (and moved through CASEWRIGHT_JIRA_OBSOLETE_TRANSITION if set).
    """
    with reporting(ctx):
        from casewright.push import push_run

        _, settings = open_workspace(workspace)
        report = push_run(run_id, settings, target=to, dry_run=dry_run, progress=say)
        print("\n".join(report.lines()))


@app.command()
def compare(
    ctx: typer.Context,
    keys: Annotated[list[str] | None, typer.Argument(
        help="Story keys. Without keys or --epic: every story.", show_default=False)] = None,
    epic: Annotated[str | None, typer.Option("--epic", help="Every story of this epic.",
                                             show_default=False)] = None,
    workspace: WorkspaceOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON on stdout.")
                       ] = False,
) -> None:
    """Run the fixed pipeline and the agent on the same stories and compare their quality."""
    with reporting(ctx):
        import json

        from rich.console import Console
        from rich.table import Table

        from casewright.compare import run_both, score_both, table_rows
        from casewright.run_command import select_stories

        source, settings = open_workspace(workspace)
        chosen = select_stories(source.jira, keys or [], epic)
        fixed_suites, agent_suites = run_both(chosen, source, settings, say)
        fixed, agent = score_both(fixed_suites, agent_suites, source)
        writer = "the model drafted each case, the engine checked it" if settings.agent_draft \
            else "the engine's wording (agent_draft off)"
        table = Table("metric", "fixed", "agent", title="fixed pipeline vs agent",
                      caption=f"agent: {writer}; fixed: one templated case per criterion, "
                      "no model")
        for row in table_rows(fixed, agent):
            table.add_row(*row)
        Console(stderr=True, highlight=False).print(table)
        if as_json:
            print(json.dumps({"fixed": fixed.model_dump() | {"summary": fixed.summary()},
                              "agent": agent.model_dump() | {"summary": agent.summary()}},
                             indent=2))


@app.command()
def stories(
    ctx: typer.Context,
    workspace: WorkspaceOption = None,
    changed: Annotated[bool, typer.Option(
        "--changed", help="Only the stories whose criteria changed since their suites in -o "
        "DIR were written: their keys on stdout, what changed on stderr.")] = False,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="With --changed: the folder `casewright run -o` wrote.",
        show_default=False)] = None,
) -> None:
    """List the workspace's stories with their epics and acceptance criteria."""
    with reporting(ctx):
        from collections import Counter

        from rich.console import Console
        from rich.table import Table

        from casewright.errors import InputError

        if changed != (output is not None):
            raise InputError("--changed and -o DIR go together: -o names the folder of suites",
                             hint="e.g. casewright stories --changed -o out/")
        source, _ = open_workspace(workspace)
        if output is not None:
            _changed_stories(source, output)
            return
        existing = Counter(case.story_key for case in source.existing_tests())
        table = Table("Key", "Epic", "Summary", "Criteria", "From", "Existing tests")
        for story in source.jira.list_stories():
            table.add_row(story.key, story.epic_key or "-", story.summary,
                          str(len(story.criteria)), story.criteria_source,
                          str(existing[story.key]))
        Console(soft_wrap=False, highlight=False).print(table)


def _changed_stories(source: Workspace, output: Path) -> None:
    """Print the keys of the stories changed since their suites in `output`; say what changed."""
    from casewright.changed_stories import changed_stories

    found, suites = changed_stories(source.jira, output, say)
    for story in found:
        say(story.line())
        print(story.story.key)
    say(f"{len(found)} of {suites} stories changed since their suites in {output}"
        + (f"; update them: casewright run {' '.join(s.story.key for s in found)} -o {output}"
           if found else ""))


@app.command()
def ingest(
    ctx: typer.Context,
    workspace: WorkspaceOption = None,
    spaces: Annotated[list[str] | None, typer.Option(
        "--space", help="Confluence space to read over REST (repeatable; default: the "
        "confluence_spaces setting). Only pages whose version changed are fetched.",
        show_default=False)] = None,
) -> None:
    """Store the workspace's rules, pages, stories and test cases in the retrieval memory."""
    with reporting(ctx):
        from rich.console import Console
        from rich.progress import MofNCompleteColumn, Progress

        from casewright.memory import chunks_to_ingest, open_memory
        from casewright.memory import ingest as ingest_chunks
        from casewright.tools.sources import JqlSource

        began = time.perf_counter()
        source, settings = open_workspace(workspace, spaces)
        if isinstance(source.jira, JqlSource) and settings.jira_jql is None:
            say("jira: no stories ingested: set CASEWRIGHT_JIRA_JQL to the ones in scope")
        chunks = chunks_to_ingest(source)
        done, console = [0], Console(stderr=True)
        with open_memory(settings, create=True) as memory, Progress(
                *Progress.get_default_columns(), MofNCompleteColumn(), console=console,
                transient=True, disable=not console.is_terminal) as bar:
            say(f"memory: {memory.store.location}")
            task = bar.add_task("embedding chunks", total=None, visible=False)

            def progress(embedded: int, total: int) -> None:
                done[0] = embedded
                bar.update(task, completed=embedded, total=total, visible=total > 0)
                if total and not console.is_terminal:  # a log, not a bar: one line a batch
                    say(f"memory: {embedded}/{total} new chunks embedded")

            try:
                report = ingest_chunks(memory, chunks, progress=progress,
                                       remove_stale=not source.confluence.skipped)
            except KeyboardInterrupt:
                say(f"interrupted: {done[0]} new chunks stored and kept; run `casewright "
                    "ingest` again to finish")
                raise
        kept = f", {report.kept} kept from pages skipped this time" if report.kept else ""
        print(f"{report.added} added, {report.unchanged} unchanged, {report.removed} removed"
              f"{kept} ({len(chunks) + report.kept} chunks in memory)")
        say(f"done in {time.perf_counter() - began:.2f} s (embedding {report.embed_seconds:.2f}"
            f" s, storing {report.upsert_seconds:.2f} s)")


@app.command()
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="What to look for, in plain words.")],
    limit: Annotated[int, typer.Option("--limit", "-k", help="How many hits.")] = 5,
    kind: Annotated[str | None, typer.Option(
        "--kind", help="Only rule, page, story or test chunks.", show_default=False)] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Search the retrieval memory as the agent does (dense + BM25, fused)."""
    with reporting(ctx):
        from casewright.errors import InputError
        from casewright.memory import SearchFilter, open_memory
        from casewright.memory.models import CHUNK_KINDS

        if kind is not None and kind not in CHUNK_KINDS:
            raise InputError(f"unknown kind {kind!r}", hint="use --kind rule, page, story or test")
        if limit < 1:
            raise InputError(f"--limit must be at least 1, not {limit}", hint="use -k 5")
        _, settings = open_workspace(workspace)
        with open_memory(settings, read_only=True) as memory:
            hits = memory.search(query, limit=limit, where=SearchFilter(kind=kind))
        if not hits:
            say("no hits")
        for rank, hit in enumerate(hits, start=1):
            chunk = hit.chunk
            where = " › ".join([chunk.title, *chunk.heading_path])
            content = " ".join(chunk.text.splitlines()[1:]) or chunk.text
            print(f"{rank}. {chunk.source_id}  [{chunk.kind}]  score {hit.score:.3f}  {where}\n"
                  f"   {chunk.url or '-'}\n   {content[:160]}")


@app.command()
def model(ctx: typer.Context, workspace: WorkspaceOption = None) -> None:
    """Show the chat model in use and time a short structured generation with it."""
    with reporting(ctx):
        from casewright.llm import load_chat_model
        from casewright.llm.info import describe_model, smoke_test

        _, settings = open_workspace(workspace)
        chat_model = load_chat_model(settings)
        print("\n".join(describe_model(chat_model).lines()), flush=True)
        say("asking the model for one test step as structured output ...")
        print(smoke_test(chat_model).line())


@app.command()
def finetune(
    ctx: typer.Context,
    runs: Annotated[list[str] | None, typer.Option(
        "--from", help="Train on this run's approved cases (repeatable); default: the "
        "workspace's tests/ and every approved case kept.", show_default=False)] = None,
    jsonl: Annotated[list[Path] | None, typer.Option(
        "--jsonl", help="Also train on these chat records (as `run -f jsonl` writes).",
        show_default=False)] = None,
    epochs: Annotated[int, typer.Option("--epochs", min=1, help="Passes over the examples.")
                      ] = 2,
    rank: Annotated[int, typer.Option("--rank", min=1, help="LoRA rank.")] = 8,
    max_steps: Annotated[int | None, typer.Option(
        "--max-steps", min=1, help="Stop after this many steps (one example each).",
        show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="Adapter file to write (default: in the state folder).",
        show_default=False)] = None,
    no_eval: Annotated[bool, typer.Option(
        "--no-eval", help="Skip the held-out comparison before and after.")] = False,
    corpus: Annotated[Path | None, typer.Option(
        "--corpus", help="Train on a corpus of human scenarios (its train split; held out: its "
        "eval projects) instead of the team's cases, as the specialist was.",
        show_default=False)] = None,
    start_from: Annotated[Path | None, typer.Option(
        "--start-from", help="Train this adapter further (the shipped specialist: "
        "casewright model names it) instead of a new one.", show_default=False)] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Fine-tune the local model on the team's cases: a LoRA adapter llama.cpp loads."""
    with reporting(ctx):
        from casewright.training.finetune import FinetuneRequest
        from casewright.training.finetune import finetune as train_adapter

        source, settings = open_workspace(workspace)
        request = FinetuneRequest(runs=runs or [], jsonl=jsonl or [], epochs=epochs, rank=rank,
                                  max_steps=max_steps, output=output, evaluate=not no_eval,
                                  corpus=corpus, start=start_from)
        result = train_adapter(request, source, settings, say)
        print(f"adapter: {result.adapter}")
        print(f"trained: {result.steps} steps on {result.examples - result.held_out} examples, "
              f"loss {result.loss:.3f}, {result.seconds:.0f} s")
        if table := result.table():
            print(table)


@app.command()
def chat(
    ctx: typer.Context,
    session: Annotated[str | None, typer.Option(
        "--session", help="Resume a chat session by its id (`casewright sessions` lists them).",
        show_default=False)] = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Write, amend, approve and export cases in a chat session, resumable by its id."""
    with reporting(ctx):
        from casewright.chat.repl import run_chat

        source, settings = open_workspace(workspace)
        run_chat(source, settings, session_id=session, debug=bool(ctx.obj.get("debug")))


@app.command()
def sessions(ctx: typer.Context, workspace: WorkspaceOption = None) -> None:
    """List the workspace's chat sessions with their stories and dates, newest first."""
    with reporting(ctx):
        from rich.console import Console

        from casewright.chat.render import sessions_table
        from casewright.chat.session_records import list_sessions
        from casewright.run_records import state_folder

        _, settings = open_workspace(workspace)
        records = list_sessions(state_folder(settings))
        if not records:
            say("no chat sessions yet; start one with `casewright chat`")
            return
        Console(soft_wrap=False, highlight=False).print(sessions_table(records))


def main() -> None:
    """Run the command line (the `casewright` console script)."""
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    app()
