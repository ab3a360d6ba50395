"""The chat session: a person writes, amends, approves and exports cases in a conversation.

intents.py    what a person can ask, as typed intents; the slash commands
routing.py    a line -> an intent, by slash commands and common phrasings (no model)
classify.py   what the patterns miss, asked of the chat model as a small classification
session_records.py  session records in the state folder: id, stories, dates, current story
session.py    ChatSession: the operations, over the checkpointed graph; no terminal needed
lazy_agent.py the graph, and the model and memory its nodes need, opened on first use
edits.py      one new or rewritten case: one writer call, checked by the shared checks
explain.py    why a case cites a rule, from the evidence (no model)
render.py     rich views of suites, cases, findings, stories and sessions
repl.py       the prompt_toolkit loop (history, completion), or plain lines from a pipe
"""
