"""The composition root: where a workspace and an agent are opened, for every entry point.

The CLI, the library (`generate`, `load_stories`), `compare`, chat and the LangGraph server
graph all open their workspace (`open_workspace`) and their agent's context (`open_context`)
here, so settings alone choose the backend everywhere: Jira and Confluence are read over REST
when the settings name a site and its credentials, else from the folder.

An agent (`open_agent`) ingests the workspace into memory before its first story (a no-op when
nothing changed). After each story, the cases that passed review with no open finding are kept
as approved exemplars in the state folder and added to memory, so later stories learn from
them. A caller may bring its own chat model or memory; its memory is searched as it is, never
written to.

The story writer may be called from several threads at once (`casewright run --concurrency`):
the graph and its SQLite checkpointer are shared (the checkpointer locks every query), each
story gets its own copy of the context, and one lock serialises memory searches with the
writes that follow a story. A story learns from the stories finished before it started.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from langchain_core.language_models import BaseChatModel

from casewright.agents.checkpoints import compile_agent, open_checkpointer, run_story
from casewright.agents.context import AgentContext, Retrieval
from casewright.agents.passages import rule_passages
from casewright.approval import keep_approved
from casewright.config import Settings, load_settings
from casewright.design.lexicon import workspace_lexicon
from casewright.errors import ConfigError
from casewright.models import Story, Suite
from casewright.progress import quiet
from casewright.run_records import state_folder
from casewright.tools.atlassian_site import uses_rest
from casewright.tools.glossary import workspace_glossary
from casewright.tools.rest_confluence import RestConfluence
from casewright.tools.rest_jira import RestJira
from casewright.tools.workspace import Workspace, bundled_sample, resolve_workspace

if TYPE_CHECKING:
    from casewright.memory import Memory
    from casewright.memory.models import Hit, SearchFilter


def open_workspace(workspace: Path | str | None = None, settings: Settings | None = None, *,
                   progress: Callable[[str], None] = quiet,
                   spaces: list[str] | None = None,
                   current_folder: bool = False) -> Workspace:
    """Return the workspace with its settings, its sources and its approved-cases folder.

    The folder is the one given, else the one the settings (or CASEWRIGHT_WORKSPACE) name,
    else (with `current_folder`, as the CLI does) the current folder if it is a workspace,
    else the bundled sample. When the settings name a REST site, the bundled sample gives way
    to the current folder, which then holds the settings, tests and state. Given settings are
    used as they are, only their workspace set. `spaces` names Confluence spaces to read.
    """
    explicit = Path(workspace) if workspace is not None else None
    if explicit is None and not current_folder:
        named = settings.workspace if settings is not None else load_settings().workspace
        explicit = named
    root, reason = resolve_workspace(explicit, Path.cwd()) if explicit is not None or \
        current_folder else (bundled_sample(), "bundled sample")
    given = settings is not None
    if settings is None:
        settings = load_settings(workspace=root, confluence_spaces=spaces)
    if reason == "bundled sample" and uses_rest(settings):
        root, reason = Path.cwd(), "current folder"
        if not given:
            settings = load_settings(workspace=root, confluence_spaces=spaces)
    if settings.workspace != root:
        settings = settings.model_copy(update={"workspace": root})
    jira = RestJira.from_settings(settings, progress)
    confluence = RestConfluence.from_settings(settings, state_folder(settings) / "confluence",
                                              progress=progress)
    if spaces and confluence is None:
        raise ConfigError("--space reads Confluence over REST, which is not set up",
                          hint="set CASEWRIGHT_CONFLUENCE_URL and a token or PAT")
    progress(f"workspace: {root} ({reason})")
    for source in (jira, confluence):
        if source is not None:
            progress(f"{source.site.service.lower()}: {source.site.url} over REST")
    return Workspace(root, settings, approved=state_folder(settings) / "approved", jira=jira,
                     confluence=confluence)


class StoryWriter(Protocol):
    """Writes one story's suite under a run id, updating its earlier suite if given."""

    def __call__(self, story: Story, run_id: str, previous: Suite | None = None, *,
                 redesign: bool = False) -> tuple[Suite, bool]:
        """Return the story's suite, and True when the run had finished it before."""
        ...


ProvenanceValues = dict[str, str | int | float | bool | None]


def model_provenance(chat_model: BaseChatModel, settings: Settings) -> ProvenanceValues:
    """Return what identifies the chat model in each suite's provenance."""
    from casewright.llm.info import describe_model

    try:
        report = describe_model(chat_model)
    except TypeError:  # a caller's own model, not one load_chat_model built
        return {"model": type(chat_model).__name__, "model_provider": chat_model._llm_type}
    adapter: ProvenanceValues = {"model_adapter": report.adapter.name,
                                 "model_adapter_sha256": report.adapter_sha256} \
        if report.adapter is not None else {}
    return {"model": report.model, "model_provider": report.provider,
            "model_sha256": report.sha256, **adapter, "model_base_url": report.base_url,
            "seed": settings.model_seed, "temperature": settings.model_temperature}


class LockedRetrieval:
    """A memory whose searches hold a lock, so they never overlap the session's writes."""

    def __init__(self, memory: Retrieval, lock: threading.Lock) -> None:
        self.memory = memory
        self.lock = lock

    def search(self, query: str, *, limit: int, where: SearchFilter) -> list[Hit]:
        """Search the memory under the lock."""
        with self.lock:
            return self.memory.search(query, limit=limit, where=where)


def workspace_context(workspace: Workspace, settings: Settings, chat_model: BaseChatModel,
                      memory: Retrieval | None, provenance: ProvenanceValues,
                      progress: Callable[[str], None]) -> AgentContext:
    """Return the agent's context: the workspace's rules and tests, the settings' limits."""
    glossary = workspace_glossary(workspace.confluence)
    return AgentContext(
        chat_model=chat_model, memory=memory, rules=rule_passages(workspace.confluence),
        glossary=glossary, lexicon=workspace_lexicon(settings.lexicon, glossary),
        existing_tests=workspace.existing_tests(),
        max_review_rounds=settings.agent_review_rounds,
        max_objectives_per_criterion=settings.agent_objectives_per_criterion,
        reword=settings.agent_reword, draft=settings.agent_draft,
        critique=settings.agent_critique, product=settings.product,
        provenance=provenance, workspace=str(workspace.root), progress=progress)


def refresh_memory(memory: Memory, workspace: Workspace,
                   progress: Callable[[str], None]) -> None:
    """Make memory hold the workspace's pages and tests; an empty workspace leaves it as is.

    Stories read over REST with no pages or tests beside them are no error for an agent: it
    writes its cases with no evidence, and says so.
    """
    from casewright.memory.ingest import NothingToIngest, ingest_workspace

    try:
        stored = ingest_workspace(memory, workspace)
    except NothingToIngest:
        progress("memory: nothing to ingest (no pages or tests in the workspace)")
        return
    progress(f"memory: {stored.added} chunks added, {stored.unchanged} unchanged, "
             f"{stored.removed} removed")


@dataclass
class AgentParts:
    """The model and memory an agent's context is built from, each kept as soon as it opens.

    `owned` is the memory opened here (approved cases are added to it); a caller's own
    `memory` is only searched.
    """

    chat_model: BaseChatModel | None = None
    memory: Retrieval | None = None
    owned: Memory | None = None


def open_context(workspace: Workspace, settings: Settings, progress: Callable[[str], None],
                 stack: ExitStack, parts: AgentParts | None = None,
                 lock: threading.Lock | None = None) -> AgentContext:
    """Load the model, open memory and ingest the workspace; return the agent's context.

    What `parts` already holds is used as it is, and what opens here is kept in it, so a
    Ctrl-C half-way never opens a part twice. The memory opened here closes with `stack`;
    with `lock`, every search holds it.
    """
    from casewright.llm import load_chat_model
    from casewright.memory import open_memory

    parts = parts if parts is not None else AgentParts()
    if parts.chat_model is None:
        parts.chat_model = load_chat_model(settings)
    provenance = model_provenance(parts.chat_model, settings)
    progress(f"model: {provenance['model']} ({provenance['model_provider']})")
    if parts.memory is None:
        parts.owned = parts.memory = stack.enter_context(open_memory(settings, create=True))
    if parts.owned is not None:
        refresh_memory(parts.owned, workspace, progress)
    memory = parts.memory if lock is None else LockedRetrieval(parts.memory, lock)
    return workspace_context(workspace, settings, parts.chat_model, memory, provenance,
                             progress)


@contextmanager
def open_agent(workspace: Workspace, settings: Settings, state: Path,
               progress: Callable[[str], None], *, chat_model: BaseChatModel | None = None,
               memory: Retrieval | None = None) -> Iterator[StoryWriter]:
    """Open the model, the memory and the graph; yield a function that writes one story.

    Without `chat_model` the configured one is loaded; without `memory` the configured
    memory is opened and the workspace ingested into it. The function writes a story, or
    finishes one an earlier run left; it is thread-safe, and prefixes each story's progress
    lines with its key.
    """
    with ExitStack() as stack:
        lock = threading.Lock()
        parts = AgentParts(chat_model=chat_model, memory=memory)
        context = open_context(workspace, settings, progress, stack, parts, lock)
        checkpointer = open_checkpointer(state)
        stack.callback(checkpointer.conn.close)
        graph = compile_agent(checkpointer)

        def write(story: Story, run_id: str, previous: Suite | None = None, *,
                  redesign: bool = False) -> tuple[Suite, bool]:
            def say(line: str) -> None:
                progress(f"{story.key}: {line}")

            suite, done_before = run_story(graph, story, replace(context, progress=say), run_id,
                                           previous, redesign=redesign)
            if not done_before and workspace.approved is not None:
                with lock:
                    kept = keep_approved(workspace.approved, suite)
                    context.existing_tests = [*context.existing_tests, *kept]
                    if parts.owned is not None:
                        refresh_memory(parts.owned, workspace, say)
                say(f"{len(kept)} approved cases kept as exemplars")
            return suite, done_before

        yield write
