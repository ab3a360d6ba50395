"""Agents: the fixed automation pipeline (and, later, the LangGraph agent nodes)."""
