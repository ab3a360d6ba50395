"""The agents: the LangGraph graph and its nodes, and the fixed pipeline beside it."""
