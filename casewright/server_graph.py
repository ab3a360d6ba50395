"""The agent for LangGraph Server, an entry point like the CLI: `langgraph.json` names `graph`.

A run's input is `{"story_key": "CC-101"}`; its output state holds the `suite`. The graph reads
the story from the configured Jira source (the `story` node), then runs the agent graph
(planner, retriever, writer, reviewer, ...) as its `agent` subgraph.

LangGraph Server builds each run's runtime context from the JSON the client sends as
`context` (`ServerContext(**context)`, `{}` when none). A client may set the limits there
(`max_review_rounds`, `critique`, ...); the chat model, the memory, the rules and the
existing tests come from Settings (the `CASEWRIGHT_*` environment, as for the CLI), opened
once per server process on the first run and shared by every run after it. The server
brings its own checkpointer and store. The memory is searched, never written to.
"""

from __future__ import annotations

import atexit
import logging
import threading
from contextlib import ExitStack
from dataclasses import Field, dataclass, field, fields
from typing import Any, NamedTuple

from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema
from typing_extensions import TypedDict  # pydantic reads typing's only from Python 3.12

from casewright.agents.context import AgentContext
from casewright.agents.graph import build_graph
from casewright.agents.state import AgentState
from casewright.assembly import open_context, open_workspace
from casewright.errors import InputError
from casewright.models import Story
from casewright.tools.sources import JiraSource

logger = logging.getLogger("casewright")


def _type_name(item: Field[Any]) -> str:
    """Return a field's type name, whether its annotation is a string or a class."""
    return item.type if isinstance(item.type, str) else getattr(item.type, "__name__", "")


RUN_OPTIONS = {item.name: _type_name(item) for item in fields(AgentContext)
               if _type_name(item) in ("int", "bool")}
"""The context fields a client may set per run, with their types: the limits and flags."""


class Shared(NamedTuple):
    """What every run uses: the agent's context and the Jira source stories are read from."""

    context: AgentContext
    jira: JiraSource


_shared: Shared | None = None
_opening = threading.Lock()


def use(context: AgentContext, jira: JiraSource) -> None:
    """Make every later run use these instead of what Settings name (a host program, tests)."""
    global _shared
    with _opening:
        _shared = Shared(context, jira)


def shared() -> Shared:
    """Return what every run uses, opening it from Settings on the first call."""
    global _shared
    with _opening:
        if _shared is None:
            _shared = _open_from_settings()
        return _shared


def _open_from_settings() -> Shared:
    workspace = open_workspace(progress=logger.info)
    stack = ExitStack()
    atexit.register(stack.close)
    context = open_context(workspace, workspace.settings, logger.info, stack,
                           lock=threading.Lock())
    logger.info("serving %s with the workspace %s", context.provenance["model"], workspace.root)
    return Shared(context, workspace.jira)


@dataclass(init=False)
class ServerContext(AgentContext):
    """The shared context, with the limits a run's `context` JSON sets."""

    jira: JiraSource = field(init=False)
    """Where the `story` node reads the story from."""

    def __init__(self, **options: int | bool) -> None:
        unknown = sorted(set(options) - set(RUN_OPTIONS))
        if unknown:
            raise InputError(f"context {unknown[0]!r} cannot be set per run",
                             hint=f"set any of: {', '.join(sorted(RUN_OPTIONS))}")
        context, self.jira = shared()
        for item in fields(AgentContext):
            setattr(self, item.name, options.get(item.name, getattr(context, item.name)))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: type,
                                     handler: GetCoreSchemaHandler) -> CoreSchema:
        """Describe the context as a client sends it (the server shows and filters by it)."""
        options = {name: core_schema.typed_dict_field(
            core_schema.bool_schema() if kind == "bool" else core_schema.int_schema(),
            required=False) for name, kind in RUN_OPTIONS.items()}
        return core_schema.no_info_after_validator_function(
            lambda given: cls(**given), core_schema.typed_dict_schema(options))


class ServerInput(TypedDict):
    """What a client sends to start a run."""

    story_key: str
    """The story to write cases for, such as 'CC-101'."""


class ServerState(AgentState, total=False):
    """The agent's state, and the key of the story the run was asked for."""

    story_key: str


def load_story(state: ServerInput, runtime: Runtime[ServerContext]) -> dict[str, Story]:
    """Read the story the run names from the configured Jira source."""
    return {"story": runtime.context.jira.get_story(state["story_key"])}


def build_server_graph() -> CompiledStateGraph[ServerState, ServerContext, ServerInput,
                                               ServerState]:
    """Return the served graph: `story` then the agent graph as the `agent` subgraph."""
    builder = StateGraph(ServerState, context_schema=ServerContext, input_schema=ServerInput)
    builder.add_node("story", load_story)
    builder.add_node("agent", build_graph().compile())
    builder.add_edge(START, "story")
    builder.add_edge("story", "agent")
    builder.add_edge("agent", END)
    return builder.compile(name="casewright")


graph = build_server_graph()
