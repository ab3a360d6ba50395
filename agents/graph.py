"""The agent's graph, wiring only: planner -> retriever -> writer <-> reviewer -> finish -> gate.

The approval gate ends the graph at once unless the runtime context asks for human approval.
"""

from __future__ import annotations

from langgraph.graph import END, START, StateGraph

from casewright.agents.approval_gate import GATE, approval_gate
from casewright.agents.context import AgentContext
from casewright.agents.finish import finish
from casewright.agents.planner import plan
from casewright.agents.retriever import retrieve
from casewright.agents.reviewer import review, route_review
from casewright.agents.state import AgentInput, AgentState
from casewright.agents.writer import write


def build_graph() -> StateGraph[AgentState, AgentContext, AgentInput, AgentState]:
    """Return the uncompiled graph; callers compile it with their own checkpointer."""
    builder = StateGraph(AgentState, context_schema=AgentContext, input_schema=AgentInput)
    builder.add_node("planner", plan)
    builder.add_node("retriever", retrieve)
    builder.add_node("writer", write)
    builder.add_node("reviewer", review)
    builder.add_node("finish", finish)
    builder.add_node(GATE, approval_gate, destinations=(GATE, END))
    builder.add_edge(START, "planner")
    builder.add_edge("planner", "retriever")
    builder.add_edge("retriever", "writer")
    builder.add_edge("writer", "reviewer")
    builder.add_conditional_edges("reviewer", route_review, ["writer", "finish"])
    builder.add_edge("finish", GATE)
    return builder
