"""The agent's SQLite checkpoints: each story resumable, a finished one read back, never redone.

Each story is one checkpointed thread (`<run id>/<story key>`): a finished story is read back,
never redone; an interrupted one continues from its last finished node.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph.state import CompiledStateGraph

from casewright.agents.context import AgentContext
from casewright.agents.graph import build_graph
from casewright.agents.state import AgentInput, AgentState
from casewright.design.lexicon import narrative_roles, using
from casewright.errors import InputError
from casewright.models import Story, Suite

CHECKPOINTS_FILE = "checkpoints.sqlite"
STATE_TYPES = [
    ("casewright.models", name) for name in (
        "Story", "AcceptanceCriterion", "TestCase", "Step", "Finding", "Suite", "Source",
        "Provenance", "SuiteUpdate", "CriterionChange")
] + [("casewright.agents.state", name) for name in ("Plan", "Objective", "Evidence", "Review")]
AgentGraph = CompiledStateGraph[AgentState, AgentContext, AgentInput, AgentState]
"""The compiled agent graph: its state, runtime context, input and output."""


def open_checkpointer(folder: Path) -> SqliteSaver:
    """Open (creating if needed) the SQLite checkpointer in a state folder."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / CHECKPOINTS_FILE
    connection = sqlite3.connect(path, check_same_thread=False)
    try:
        connection.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as error:
        connection.close()
        raise InputError(f"checkpoint file '{path}' is damaged ({error})",
                         hint="move it aside to start afresh; finished stories are in the "
                         "output folder, only resuming an unfinished run needs it") from None
    return SqliteSaver(connection, serde=JsonPlusSerializer(allowed_msgpack_modules=STATE_TYPES))


def compile_agent(checkpointer: SqliteSaver) -> AgentGraph:
    """Compile the agent graph with a checkpointer."""
    return build_graph().compile(checkpointer=checkpointer)


def thread(run_id: str, story_key: str) -> RunnableConfig:
    """Return the checkpoint thread of one story in one run."""
    return {"configurable": {"thread_id": f"{run_id}/{story_key}"}}


def finished_suites(folder: Path, run_id: str,
                    story_keys: Sequence[str]) -> tuple[list[Suite], list[str]]:
    """Read a run's suites back from its checkpoints, without running anything.

    Returns the suites of the stories that finished, in `story_keys` order, and the keys of
    those that did not (never started, or interrupted: `casewright run --resume` ends them).
    """
    checkpointer = open_checkpointer(folder)
    try:
        graph = compile_agent(checkpointer)
        suites: list[Suite] = []
        unfinished: list[str] = []
        for key in story_keys:
            suite = graph.get_state(thread(run_id, key)).values.get("suite")
            if suite is None:
                unfinished.append(key)
            else:
                suites.append(suite)
        return suites, unfinished
    finally:
        checkpointer.conn.close()


def run_story(graph: AgentGraph, story: Story, context: AgentContext, run_id: str,
              previous: Suite | None = None, *, redesign: bool = False) -> tuple[Suite, bool]:
    """Write one story's suite, or finish an interrupted one; True when it was already done.

    The suite updates `previous`, the story's earlier suite, when one is given. The engine
    reads the context's lexicon, with the role of the story's narrative ('As a ...').
    """
    config = thread(run_id, story.key)
    snapshot = graph.get_state(config)
    if "suite" in snapshot.values:
        return snapshot.values["suite"], True
    start: AgentInput | None = None if snapshot.next else \
        {"story": story, "previous": previous, "redesign": redesign}
    lexicon = context.lexicon.with_roles(narrative_roles(story.description))
    with using(lexicon):
        graph.invoke(start, config, context=context)  # may stop at the approval gate
    return graph.get_state(config).values["suite"], False
