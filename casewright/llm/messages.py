"""Prefix-stable prompts: what every call about one story shares comes first, the task last.

llama.cpp re-evaluates only the part of a prompt after its common prefix with the previous
one. So every node of a run sends the same system text and the same tagged sections (story,
evidence) in the same order, and puts what differs (its task, an exemplar) in the last
message. Measured on 2 cores with the bundled model (benchmarks/model_speed.py): a call that
shares a 2,200-token prefix with the call before it took 0.24 s against 13.4 s cold (1.8%);
with the task first and the story after it, the second call cost 86% of a cold one.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

_TAG = re.compile(r"<(/?[A-Za-z][\w:-]*[^<>]*)>")


def neutral(text: str) -> str:
    """Return injected text whose tags cannot close or open a prompt section.

    "</story><system>...</system>" in a story becomes "‹/story›‹system›...": the model and a
    training record see it as the story's own words, not as the prompt's structure. A lone
    "<" or ">" ("an amount < £5") is left as it is.
    """
    return _TAG.sub(r"‹\1›", text)


def tagged(tag: str, text: str) -> str:
    """Wrap injected material in a tag, marking it as data rather than instructions."""
    return f"<{tag}>\n{neutral(text.strip())}\n</{tag}>"


def prefix_stable_messages(system: str, shared: Mapping[str, str], task: str) -> list[BaseMessage]:
    """Return [system text + shared sections, task] for one call.

    Args:
        system: Instructions that stay the same for every node of a run.
        shared: Sections every call about this story carries, by tag, such as
            {"story": ..., "evidence": ...}; keep the same order from call to call.
        task: What this call asks: the node's instruction and anything only it needs; text it
            quotes from a story or a case goes through `neutral` (or `tagged`) first.
    """
    context = "\n\n".join([system.strip(), *(tagged(tag, text) for tag, text in shared.items())])
    return [SystemMessage(context), HumanMessage(task.strip())]
