"""Which stories changed since their suites were written (`casewright stories --changed -o DIR`).

The suites are the `<KEY>.json` files a run wrote into an output folder; a story changed when
its acceptance criteria, compared by content hash (`casewright.living.match_criteria`), are
not those its suite was designed from. From a workspace folder every suite's story is read
again; over REST, Jira's `updated` field first narrows the search to the stories edited since
the oldest suite was written, so an unchanged backlog costs one short search.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from casewright.errors import InputError
from casewright.keys import parse_issue_key
from casewright.living import criterion_changes, match_criteria, read_suite
from casewright.models import CriterionChange, Story, Suite
from casewright.tools.sources import JiraSource, JqlSource

KEYS_PER_SEARCH = 100
"""Story keys per JQL search, to keep each query short."""


@dataclass(frozen=True)
class ChangedStory:
    """A story whose criteria changed since its suite, with what changed."""

    story: Story
    suite: Suite
    changes: list[CriterionChange]

    def line(self) -> str:
        """Return the story and its changed criteria as one line."""
        changes = ", ".join(f"{c.criterion_id} {c.change}" for c in self.changes)
        return (f"{self.story.key}: {changes} (suite of "
                f"{self.suite.provenance.finished_at:%Y-%m-%d %H:%M} UTC)")


def folder_suites(folder: Path) -> list[Suite]:
    """Return the suites in an output folder (its `<KEY>.json` files), in file-name order.

    Raises:
        InputError: the folder is none, or a `<KEY>.json` in it is not a suite.
    """
    if not folder.is_dir():
        raise InputError(f"'{folder}' is not a folder of suites",
                         hint="pass the folder `casewright run -o` wrote, as -o DIR")
    suites = []
    for path in sorted(folder.glob("*.json")):
        try:
            key = parse_issue_key(path.stem)
        except InputError:
            continue  # not a story's suite
        suites.append(read_suite(path, key))
    return suites


def _stories_now(jira: JiraSource, suites: Sequence[Suite],
                 warn: Callable[[str], None]) -> list[Story]:
    """Return the stories of the suites as they are now (over REST: those edited since)."""
    keys = [suite.story.key for suite in suites]
    if isinstance(jira, JqlSource):
        oldest = min(suite.provenance.finished_at for suite in suites)
        minutes = math.ceil((datetime.now(UTC) - oldest).total_seconds() / 60) + 1
        batches = [keys[start:start + KEYS_PER_SEARCH]
                   for start in range(0, len(keys), KEYS_PER_SEARCH)]
        return [story for batch in batches for story in
                jira.search(f"key in ({', '.join(batch)}) AND updated >= -{minutes}m")]
    stories = {story.key: story for story in jira.list_stories()}
    for key in keys:
        if key not in stories:
            warn(f"warning: {key} has a suite but no story in the workspace; left out")
    return [stories[key] for key in keys if key in stories]


def changed_stories(jira: JiraSource, folder: Path,
                    warn: Callable[[str], None]) -> tuple[list[ChangedStory], int]:
    """Return the stories whose criteria changed since their suites in `folder`, in its order.

    Also returns how many suites the folder holds.
    """
    suites = folder_suites(folder)
    if not suites:
        return [], 0
    now = {story.key: story for story in _stories_now(jira, suites, warn)}
    changed = []
    for suite in suites:
        story = now.get(suite.story.key)
        if story is None:
            continue
        changes = criterion_changes(*match_criteria(suite.story.criteria, story.criteria))
        if changes:
            changed.append(ChangedStory(story, suite, changes))
    return changed, len(suites)
