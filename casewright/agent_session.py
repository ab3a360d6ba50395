"""An agent session: the model, the memory and the checkpointed graph, opened once per run.

Before the first story the workspace is ingested into memory (a no-op when nothing changed).
After each story, the cases that passed review with no open finding are kept as approved
exemplars in the state folder and added to memory, so later stories learn from them. A caller
(the library's `generate`) may bring its own chat model or memory; its memory is searched as
it is, never written to.

The story writer may be called from several threads at once (`casewright run --concurrency`):
the graph and its SQLite checkpointer are shared (the checkpointer locks every query), each
story gets its own copy of the context, and one lock serialises memory searches with the
writes that follow a story. A story learns from the stories finished before it started.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from langchain_core.language_models import BaseChatModel

from casewright.agents.context import AgentContext, Retrieval
from casewright.agents.passages import rule_passages
from casewright.agents.run import compile_agent, open_checkpointer, run_story
from casewright.approval import approved_cases
from casewright.config import Settings
from casewright.files import write_atomic
from casewright.keys import parse_issue_key
from casewright.models import Story, Suite, TestCase
from casewright.tools.glossary import workspace_glossary
from casewright.tools.workspace import Workspace

if TYPE_CHECKING:
    from casewright.memory.models import Hit, SearchFilter

StoryWriter = Callable[[Story, str], tuple[Suite, bool]]
ProvenanceValues = dict[str, str | int | float | bool | None]


def model_provenance(chat_model: BaseChatModel, settings: Settings) -> ProvenanceValues:
    """Return what identifies the chat model in each suite's provenance."""
    from casewright.llm.info import describe_model

    try:
        report = describe_model(chat_model)
    except TypeError:  # a caller's own model, not one load_chat_model built
        return {"model": type(chat_model).__name__, "model_provider": chat_model._llm_type}
    return {"model": report.model, "model_provider": report.provider,
            "model_sha256": report.sha256, "model_base_url": report.base_url,
            "seed": settings.model_seed, "temperature": settings.model_temperature}


def keep_approved(folder: Path, suite: Suite) -> list[TestCase]:
    """Save a suite's approved cases as `<folder>/<KEY>.json`; return them."""
    cases = approved_cases(suite)
    folder.mkdir(parents=True, exist_ok=True)
    text = "[\n" + ",\n".join(case.model_dump_json(indent=2) for case in cases) + "\n]\n"
    write_atomic(folder / f"{parse_issue_key(suite.story.key)}.json", text)
    return cases


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
    return AgentContext(
        chat_model=chat_model, memory=memory, rules=rule_passages(workspace.confluence),
        glossary=workspace_glossary(workspace.confluence),
        existing_tests=workspace.existing_tests(),
        max_review_rounds=settings.agent_review_rounds,
        max_objectives_per_criterion=settings.agent_objectives_per_criterion,
        reword=settings.agent_reword, critique=settings.agent_critique, product=settings.product,
        provenance=provenance, workspace=str(workspace.root), progress=progress)


@contextmanager
def agent_session(workspace: Workspace, settings: Settings, state: Path,
                  progress: Callable[[str], None], *, chat_model: BaseChatModel | None = None,
                  memory: Retrieval | None = None) -> Iterator[StoryWriter]:
    """Open the model, the memory and the graph; yield a function that writes one story.

    Without `chat_model` the configured one is loaded; without `memory` the configured
    memory is opened and the workspace ingested into it. The function is thread-safe, and
    prefixes each story's progress lines with its key.
    """
    from casewright.llm import load_chat_model
    from casewright.memory import Memory, ingest_workspace, open_memory

    if chat_model is None:
        chat_model = load_chat_model(settings)
    provenance = model_provenance(chat_model, settings)
    progress(f"model: {provenance['model']} ({provenance['model_provider']})")
    with ExitStack() as stack:
        owned: Memory | None = None
        if memory is None:
            owned = memory = stack.enter_context(open_memory(settings, create=True))
            stored = ingest_workspace(owned, workspace)
            progress(f"memory: {stored.added} chunks added, {stored.unchanged} unchanged, "
                     f"{stored.removed} removed")
        lock = threading.Lock()
        context = workspace_context(workspace, settings, chat_model,
                                    LockedRetrieval(memory, lock), provenance, progress)
        graph = compile_agent(open_checkpointer(state))

        def write(story: Story, run_id: str) -> tuple[Suite, bool]:
            def say(line: str) -> None:
                progress(f"{story.key}: {line}")

            suite, done_before = run_story(graph, story, replace(context, progress=say), run_id)
            if not done_before and workspace.approved is not None:
                with lock:
                    kept = keep_approved(workspace.approved, suite)
                    context.existing_tests = [*context.existing_tests, *kept]
                    if owned is not None:
                        ingest_workspace(owned, workspace)
                say(f"{len(kept)} approved cases kept as exemplars")
            return suite, done_before

        yield write
