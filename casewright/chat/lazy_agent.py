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

from langchain_core.language_models import BaseChatModel

from casewright.agents.checkpoints import compile_agent, open_checkpointer
from casewright.agents.context import AgentContext, Retrieval
from casewright.approval import keep_approved
from casewright.assembly import AgentParts, open_context, refresh_memory
from casewright.config import Settings
from casewright.models import Suite
from casewright.tools.workspace import Workspace


class ChatAgent:
    """The checkpointed graph of a workspace's state folder, with its lazily opened context."""

    def __init__(self, workspace: Workspace, settings: Settings, state: Path,
                 progress: Callable[[str], None], *, chat_model: BaseChatModel | None = None,
                 memory: Retrieval | None = None) -> None:
        self._workspace, self._settings, self._progress = workspace, settings, progress
        self._parts = AgentParts(chat_model=chat_model, memory=memory)
        self._stack = ExitStack()
        self._context: AgentContext | None = None
        checkpointer = open_checkpointer(state)
        self._stack.callback(checkpointer.conn.close)
        self.graph = compile_agent(checkpointer)

    def context(self) -> AgentContext:
        """Return the nodes' context, loading the model and opening memory the first time."""
        if self._context is None:
            context = open_context(self._workspace, self._settings, self._progress, self._stack,
                                   self._parts)
            self._context = replace(context, human_approval=True)
        return self._context

    def keep_approved(self, suite: Suite) -> int:
        """Keep a decided suite's approved cases as exemplars (file and memory); count them."""
        if self._workspace.approved is None:
            return 0
        kept = keep_approved(self._workspace.approved, suite)
        self.context().existing_tests = self._workspace.existing_tests()
        if self._parts.owned is not None:
            refresh_memory(self._parts.owned, self._workspace, self._progress)
        self._progress(f"{len(kept)} approved cases of {suite.story.key} kept as exemplars")
        return len(kept)

    def close(self) -> None:
        """Close the memory and the checkpointer."""
        self._stack.close()
