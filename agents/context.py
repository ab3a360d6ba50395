"""The agent's run dependencies, passed as objects in LangGraph's runtime context."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from casewright.design.lexicon import Lexicon, load
from casewright.models import Source, Story, TestCase
from casewright.progress import quiet
from casewright.prompts import system_prompt

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from casewright.memory.models import Hit, SearchFilter


class Retrieval(Protocol):
    """What the retriever needs from memory: a filtered hybrid search."""

    def search(self, query: str, *, limit: int, where: SearchFilter) -> list[Hit]:
        """Return the best hits for a query."""
        ...



@dataclass
class AgentContext:
    """Everything a node may use besides the state; tests swap any of it."""

    chat_model: BaseChatModel
    """The chat model every node calls (local llama.cpp, a server, or a test fake)."""
    memory: Retrieval | None = None
    """Retrieval memory; without it the agent finds only the rules a criterion names."""
    rules: dict[str, Source] = field(default_factory=dict)
    """Business rules by id, as passages with their links, from the Confluence source."""
    glossary: dict[str, str] = field(default_factory=dict)
    """The terms the workspace's pages define, with their definitions."""
    lexicon: Lexicon = field(default_factory=load)
    """The engine's words: the English defaults, the workspace's and its glossary roles."""
    existing_tests: Sequence[TestCase] = ()
    """The workspace's existing cases: exemplars and duplicate candidates."""
    max_review_rounds: int = 2
    """How often the reviewer may send cases back before the suite ends with open findings."""
    max_objectives_per_criterion: int = 8
    """Upper bound on the cases written for one criterion."""
    reword: bool = False
    """Whether the writer asks the model to reword the engine's cases in the team's style."""
    draft: bool = False
    """Whether the model drafts every case whole, checked against the engine's configuration
    (the specialist's way; it takes precedence over `reword`)."""
    product: str | None = None
    """What the stories are about, named in the system prompt (default: the Jira project's
    name)."""
    critique: bool = True
    """Whether the reviewer asks the model for a critique after its own checks."""
    human_approval: bool = False
    """Whether the graph pauses after `finish` for a person to approve or reject each case."""
    workspace: str | None = None
    """The workspace the stories came from, recorded in each suite."""
    provenance: dict[str, str | int | float | bool | None] = field(default_factory=dict)
    """What made the suites (model file and hash, seed, settings), recorded in each one."""
    progress: Callable[[str], None] = field(default=quiet)
    """Receives one line per step of work (shown on stderr by the CLI)."""

    def system_for(self, story: Story) -> str:
        """Return the system text every model call about a story shares."""
        return system_prompt(self.product or story.project_name or story.project)
