"""The graph a chat session runs, and the model and memory its nodes need, opened on first use.

Reading suites back needs only the checkpointer, so a resumed session shows its suites at
once; the model and memory load when a request first needs them. The graph pauses at the
approval gate (`human_approval`), and approved cases become exemplars in memory, as in a run.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from langchain_core.language_models import BaseChatModel

from casewright.agent_session import keep_approved, model_provenance, workspace_context
from casewright.agents.context import AgentContext, Retrieval
from casewright.agents.run import compile_agent, open_checkpointer
from casewright.config import Settings
from casewright.models import Suite
from casewright.tools.workspace import Workspace

if TYPE_CHECKING:
    from casewright.memory import Memory


class ChatAgent:
    """The checkpointed graph of a workspace's state folder, with its lazily opened context."""

    def __init__(self, workspace: Workspace, settings: Settings, state: Path,
                 progress: Callable[[str], None], *, chat_model: BaseChatModel | None = None,
                 memory: Retrieval | None = None) -> None:
        self._workspace, self._settings, self._progress = workspace, settings, progress
        self._chat_model, self._memory = chat_model, memory
        self._stack = ExitStack()
        self._owned_memory: Memory | None = None
        self._context: AgentContext | None = None
        checkpointer = open_checkpointer(state)
        self._stack.callback(checkpointer.conn.close)
        self.graph = compile_agent(checkpointer)

    def context(self) -> AgentContext:
        """Return the nodes' context, loading the model and opening memory the first time."""
        if self._context is not None:
            return self._context
        from casewright.llm import load_chat_model
        from casewright.memory import ingest_workspace, open_memory

        # each part is kept as soon as it is open, so a Ctrl-C here never opens one twice
        if self._chat_model is None:
            self._chat_model = load_chat_model(self._settings)
        provenance = model_provenance(self._chat_model, self._settings)
        self._progress(f"model: {provenance['model']} ({provenance['model_provider']})")
        if self._memory is None:
            self._owned_memory = self._memory = self._stack.enter_context(
                open_memory(self._settings, create=True))
        if self._owned_memory is not None:
            stored = ingest_workspace(self._owned_memory, self._workspace)
            self._progress(f"memory: {stored.added} chunks added, {stored.unchanged} unchanged")
        context = workspace_context(self._workspace, self._settings, self._chat_model,
                                    self._memory, provenance, self._progress)
        self._context = replace(context, human_approval=True)
        return self._context

    def keep_approved(self, suite: Suite) -> int:
        """Keep a decided suite's approved cases as exemplars (file and memory); count them."""
        if self._workspace.approved is None:
            return 0
        kept = keep_approved(self._workspace.approved, suite)
        self.context().existing_tests = self._workspace.existing_tests()
        if self._owned_memory is not None:
            from casewright.memory import ingest_workspace

            ingest_workspace(self._owned_memory, self._workspace)
        self._progress(f"{len(kept)} approved cases of {suite.story.key} kept as exemplars")
        return len(kept)

    def close(self) -> None:
        """Close the memory and the checkpointer."""
        self._stack.close()
