"""One run: pick the stories, make their suites, and write them where the user asked."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pydantic import BaseModel

from casewright.config import Settings
from casewright.errors import InputError
from casewright.exports import Exporter, get_exporter
from casewright.files import ensure_writable_dir, write_atomic
from casewright.keys import parse_issue_key
from casewright.living import change_line, earlier_suite, update_suite
from casewright.models import Story, Suite
from casewright.run_records import RunRecord, load_run, new_run_id, save_run, state_folder
from casewright.tools.sources import JiraSource, JqlSource
from casewright.tools.workspace import Workspace

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from casewright.agents.context import Retrieval

PIPELINES = ("agent", "fixed")

Item = TypeVar("Item")
Result = TypeVar("Result")


def select_stories(jira: JiraSource, keys: Sequence[str], epic: str | None,
                   jql: str | None = None) -> list[Story]:
    """Return the stories named by keys, an epic or JQL, in order, without repeats.

    One way at a time: "CC-101 --epic CC-2" would silently run both.
    """
    if sum((bool(keys), epic is not None, jql is not None)) > 1:
        raise InputError("pass story keys, --epic or --jql, one of them",
                         hint="run them one after the other")
    stories = [jira.get_story(key) for key in keys]
    if epic is not None:
        stories += jira.epic_stories(epic)
    if jql is not None:
        if not isinstance(jira, JqlSource):
            raise InputError("--jql needs Jira over REST; this workspace reads jira/*.json",
                             hint="set CASEWRIGHT_JIRA_URL with CASEWRIGHT_JIRA_EMAIL and "
                             "CASEWRIGHT_JIRA_TOKEN (Cloud) or CASEWRIGHT_JIRA_PAT (Server/DC)")
        stories += jira.search(jql)
    if not keys and epic is None and jql is None:
        stories = jira.list_stories()
        if not stories:
            raise InputError("no stories to run", hint="pass story keys, --epic or --jql, or "
                             "set CASEWRIGHT_JIRA_JQL to the stories in scope")
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
    if story_count > 1 and exporters[0].render_run is None:
        raise InputError(f"--format {exporters[0].name} writes one file per story",
                         hint="add -o DIR to write them")


def render_stdout(suites: Sequence[Suite], exporter: Exporter) -> str:
    """Render suites as one document: the format's run document, or its one suite."""
    if exporter.render_run is not None:
        return exporter.render_run(suites)
    return "".join(exporter.render(suite) for suite in suites)


def write_run_files(suites: Sequence[Suite], exporters: Sequence[Exporter],
                    output: Path) -> Iterator[Path]:
    """Write each format's run-level document (the HTML run report), yielding each file."""
    for exporter in exporters:
        if exporter.run_file is not None and exporter.render_run is not None and suites:
            path = output / exporter.run_file
            write_atomic(path, exporter.render_run(suites))
            yield path


def write_suite(suite: Suite, exporters: Sequence[Exporter], output: Path) -> Iterator[Path]:
    """Write one suite in each format as `<ISSUE-KEY><suffix>`, yielding each file written.

    An updated suite's `<KEY>.json` is rewritten even when JSON was not asked for: it is the
    record the next run updates, so it must not fall behind the other formats.
    """
    key = parse_issue_key(suite.story.key)
    record = get_exporter("json")
    if suite.update is not None and record.name not in {e.name for e in exporters}:
        exporters = [*exporters, record]
    for exporter in exporters:
        path = output / f"{key}{exporter.suffix}"
        write_atomic(path, exporter.render(suite))
        yield path


def prepare_output(output: Path | None, exporters: Sequence[Exporter], story_count: int) -> None:
    """Check, before any work, that the results will have somewhere to go.

    A missing `-o` folder is made with the first file, so a run that fails or is refused
    before it writes one (another run holds the memory) leaves no empty folder behind.
    """
    if output is None:
        check_stdout(exporters, story_count)
    else:
        ensure_writable_dir(output, create=False)


def check_concurrency(concurrency: int, *, local_model: bool) -> None:
    """Refuse a concurrency below 1, or above 1 on the in-process model (one call at a time)."""
    if concurrency < 1:
        raise InputError(f"--concurrency must be at least 1, not {concurrency}",
                         hint="use --concurrency 4, say, against a model server")
    if concurrency > 1 and local_model:
        raise InputError(
            f"--concurrency {concurrency} needs a model server; the local model answers one "
            "call at a time",
            hint="set CASEWRIGHT_MODEL_PROVIDER=openai and CASEWRIGHT_MODEL_BASE_URL to an "
            "OpenAI-compatible server (llama.cpp server, vLLM), or drop --concurrency")


def in_order(work: Callable[[Item], Result], items: Sequence[Item],
             workers: int) -> Iterator[Result]:
    """Yield `work(item)` for each item in order, running up to `workers` items at once.

    After a failure the items not yet started are cancelled; those running finish first.
    """
    if workers == 1:
        yield from map(work, items)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="story") as pool:
        futures = [pool.submit(work, item) for item in items]
        try:
            for future in futures:
                yield future.result()
        finally:
            for future in futures:
                future.cancel()


def locked(say: Callable[[str], None]) -> Callable[[str], None]:
    """Return `say` behind a lock, so lines from several threads never interleave."""
    lock = threading.Lock()

    def say_locked(line: str) -> None:
        with lock:
            say(line)

    return say_locked


class RunRequest(BaseModel):
    """What `casewright run` was asked for."""

    keys: list[str]
    epic: str | None = None
    jql: str | None = None
    pipeline: str = "agent"
    formats: list[str] = ["json"]
    output: Path | None = None
    resume: str | None = None
    concurrency: int = 1
    redesign: bool = False


def resumed(request: RunRequest, workspace: Workspace, state: Path) -> RunRequest:
    """Return the request of the run being resumed."""
    if request.keys or request.epic or request.jql:
        raise InputError("--resume takes no story keys, --epic or --jql",
                         hint="run `casewright run --resume RUN_ID` alone")
    record = load_run(state, request.resume or "")
    if Path(record.workspace).resolve() != workspace.root.resolve():
        raise InputError(f"run {record.run_id} belongs to workspace '{record.workspace}'",
                         hint=f"add -w {record.workspace}")
    return RunRequest(keys=record.story_keys, pipeline=record.pipeline, formats=record.formats,
                      output=Path(record.output) if record.output else None,
                      resume=record.run_id, concurrency=request.concurrency,
                      redesign=record.redesign)


StoryMaker = Callable[[Story, Suite | None], tuple[Suite, bool]]


def _agent_maker(request: RunRequest, stories: Sequence[Story], exporters: Sequence[Exporter],
                 workspace: Workspace, settings: Settings, say: Callable[[str], None],
                 stack: ExitStack, chat_model: BaseChatModel | None,
                 memory: Retrieval | None) -> StoryMaker:
    """Open the agent, then record the run; return what writes one story under its run id.

    The model and the memory (and its lock) open first: a run that cannot start gets no id.
    """
    from casewright.assembly import open_agent

    state = state_folder(settings)
    write_story = stack.enter_context(open_agent(
        workspace, settings, state, lambda line: say(f"  {line}"), chat_model=chat_model,
        memory=memory))
    run_id = request.resume or new_run_id()
    save_run(state, RunRecord(
        run_id=run_id, created_at=datetime.now(UTC), workspace=str(workspace.root.resolve()),
        story_keys=[story.key for story in stories], pipeline=request.pipeline,
        formats=[e.name for e in exporters], redesign=request.redesign,
        output=str(request.output.resolve()) if request.output else None))
    say(f"run id: {run_id} (finish it if interrupted: casewright run --resume {run_id})")

    def make(story: Story, previous: Suite | None) -> tuple[Suite, bool]:
        return write_story(story, run_id, previous, redesign=request.redesign)
    return make


def _say_finished(suite: Suite, note: str, say: Callable[[str], None]) -> None:
    """Say a story's cases, what an update changed, and its open findings, one line each."""
    say(f"  {suite.story.key}: {len(suite.live_cases)} cases, {len(suite.findings)} open "
        f"findings ({note})")
    if (changed := change_line(suite)) is not None:
        say(f"  {changed}")
    for finding in suite.findings:
        where = f"{finding.case_id}: " if finding.case_id else ""
        say(f"    {finding.severity}: {where}{finding.message}")


def execute(request: RunRequest, workspace: Workspace, settings: Settings,
            say: Callable[[str], None], *, chat_model: BaseChatModel | None = None,
            memory: Retrieval | None = None) -> list[Suite]:
    """Run a request: suites for its stories, written in story order as they finish.

    With `request.concurrency` above 1, that many stories run at once on threads (their model
    calls reach the server together, which batches them); files, results and the closing
    line of each story still come in story order. `chat_model` and `memory` replace the
    configured ones (see `open_agent`).
    """
    from casewright.agents.fixed_pipeline import run_fixed

    state = state_folder(settings)
    if request.resume is not None:
        request = resumed(request, workspace, state)
    if request.pipeline not in PIPELINES:
        raise InputError(f"unknown pipeline {request.pipeline!r}",
                         hint="use --pipeline agent or --pipeline fixed")
    check_concurrency(request.concurrency, local_model=request.pipeline == "agent"
                      and chat_model is None and settings.model_provider == "local")
    exporters = parse_formats(request.formats)
    stories = select_stories(workspace.jira, request.keys, request.epic, request.jql)
    prepare_output(request.output, exporters, len(stories))
    earlier = {story.key: earlier_suite(request.output, story.key) for story in stories}
    say = locked(say)
    began, suites, written = time.perf_counter(), [], []
    with ExitStack() as stack:
        if request.pipeline == "agent":
            make = _agent_maker(request, stories, exporters, workspace, settings, say, stack,
                                chat_model, memory)
        else:
            def make(story: Story, previous: Suite | None) -> tuple[Suite, bool]:
                return update_suite(previous, run_fixed(story, settings),
                                    redesign=request.redesign), False

        def work(numbered: tuple[int, Story]) -> tuple[Suite, bool, float]:
            number, story = numbered
            started = time.perf_counter()
            say(f"[{number}/{len(stories)}] {story.key}: {len(story.criteria)} criteria")
            suite, done_before = make(story, earlier[story.key])
            return suite, done_before, time.perf_counter() - started

        numbered = list(enumerate(stories, start=1))
        for suite, done_before, seconds in in_order(work, numbered, request.concurrency):
            suites.append(suite)
            if request.output is not None:
                written += list(write_suite(suite, exporters, ensure_writable_dir(request.output)))
            _say_finished(suite, "done in an earlier session" if done_before
                          else f"{seconds:.1f} s", say)
    if request.output is None:
        sys.stdout.write(render_stdout(suites, exporters[0]))
    else:
        written += list(write_run_files(suites, exporters, request.output))
    cases = sum(len(suite.live_cases) for suite in suites)
    where = f"{len(written)} files in {request.output}" if request.output is not None else "stdout"
    say(f"done: {len(suites)} stories, {cases} cases -> {where} "
        f"({time.perf_counter() - began:.1f} s)")
    return suites
