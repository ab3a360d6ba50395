"""The library entry points: suites for stories, called from another program.

`generate` runs the same agent session as `casewright run` (model, memory, checkpointed graph,
approved cases kept as exemplars) and returns the suites instead of writing files; given a
story's earlier suite, the new one updates it (`casewright.living`). Progress
lines go to the `casewright` logger at INFO level, never to stdout.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from casewright.assembly import open_workspace as assemble
from casewright.config import Settings
from casewright.models import Story, Suite
from casewright.run_records import new_run_id, state_folder
from casewright.tools.workspace import Workspace

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from casewright.agents.context import Retrieval

__all__ = ["agenerate", "generate", "load_stories"]

logger = logging.getLogger("casewright")

StoriesOrKeys = Story | str | Iterable[Story | str]
"""One story or issue key, or several of them mixed."""


def open_workspace(workspace: Path | str | None, settings: Settings | None) -> Workspace:
    """Return the workspace to read, with its settings, sources and approved-cases folder.

    The workspace is the one given, else the one the settings (or CASEWRIGHT_WORKSPACE) name,
    else the bundled sample; settings that name a Jira or Confluence site read it over REST
    (`casewright.assembly`). Given settings are used as they are, only their workspace set.
    """
    return assemble(workspace, settings, progress=logger.info)


def load_stories(keys: Sequence[str] = (), *, epic: str | None = None,
                 workspace: Path | str | None = None,
                 settings: Settings | None = None) -> list[Story]:
    """Return stories by key and/or every story of an epic; with neither, every story.

    Args:
        keys: Issue keys, such as "CC-101".
        epic: An epic key whose stories are added after `keys`.
        workspace: Workspace folder (default: the bundled sample).
        settings: Settings to read it with (default: loaded for the workspace).

    Raises:
        InputError: a key is unknown or malformed.
    """
    from casewright.run_command import select_stories

    return select_stories(open_workspace(workspace, settings).jira, list(keys), epic)


def generate(stories_or_keys: StoriesOrKeys, *, workspace: Path | str | None = None,
             chat_model: BaseChatModel | None = None, memory: Retrieval | None = None,
             settings: Settings | None = None, previous: Iterable[Suite] = (),
             redesign: bool = False) -> list[Suite]:
    """Write a suite of UAT test cases for each story with the agent, in order.

    Args:
        stories_or_keys: Story objects, issue keys of the workspace, or a mix.
        workspace: Workspace whose rules, existing tests and stories are used (default: the
            one `settings` names, else the bundled sample).
        chat_model: Any LangChain chat model (default: the configured one, the bundled GGUF
            unless settings say otherwise).
        memory: Any object with `search(query, *, limit, where)` (default: the configured
            Qdrant memory, with the workspace ingested into it).
        settings: Settings (default: the environment and the workspace's casewright.toml).
        previous: Earlier suites of these stories: each story's new suite updates its own
            (cases of unchanged criteria kept with their ids, approvals and edits; those of
            changed or removed criteria designed again or marked obsolete).
        redesign: Design the cases of unchanged criteria again too.

    Raises:
        InputError: a key is unknown or malformed, or the workspace is not one.
        ConfigError: a setting is invalid.
    """
    from casewright.assembly import open_agent

    earlier = {suite.story.key: suite for suite in previous}

    source = open_workspace(workspace, settings)
    items = [stories_or_keys] if isinstance(stories_or_keys, Story | str) else stories_or_keys
    stories = [item if isinstance(item, Story) else source.jira.get_story(item) for item in items]
    with open_agent(source, source.settings, state_folder(source.settings), logger.info,
                    chat_model=chat_model, memory=memory) as write:
        run_id = new_run_id()
        return [write(story, run_id, earlier.get(story.key), redesign=redesign)[0]
                for story in stories]


async def agenerate(stories_or_keys: StoriesOrKeys, *, workspace: Path | str | None = None,
                    chat_model: BaseChatModel | None = None, memory: Retrieval | None = None,
                    settings: Settings | None = None, previous: Iterable[Suite] = (),
                    redesign: bool = False) -> list[Suite]:
    """Run `generate` in a worker thread, so an event loop keeps serving while the model works.

    The graph's nodes are synchronous model calls; a thread is what awaiting them would use.
    """
    return await asyncio.to_thread(generate, stories_or_keys, workspace=workspace,
                                   chat_model=chat_model, memory=memory, settings=settings,
                                   previous=previous, redesign=redesign)
