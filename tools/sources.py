"""What the pipelines need from Jira and Confluence, whatever the backend."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from casewright.models import Page, Story
from casewright.tools.blocks import Block


class JiraSource(Protocol):
    """Reads stories and epics."""

    def get_story(self, key: str) -> Story:
        """Return one story; InputError if the key is unknown."""
        ...

    def epic_stories(self, epic_key: str) -> list[Story]:
        """Return the stories of an epic in key order; InputError if the epic is unknown."""
        ...

    def list_stories(self) -> list[Story]:
        """Return every story (not epics) in key order."""
        ...


class ConfluenceSource(Protocol):
    """Reads pages of business rules."""

    skipped: list[str]
    """Pages left out once read (unreadable, huge, malformed or empty), each named."""

    def get_page(self, page_id: str) -> Page:
        """Return one page; InputError if the id is unknown."""
        ...

    def list_pages(self) -> list[Page]:
        """Return every page."""
        ...

    def page_blocks(self, page_id: str) -> list[Block]:
        """Return a page body's blocks (headings, paragraphs, items, rows) for chunking."""
        ...


@runtime_checkable
class JqlSource(JiraSource, Protocol):
    """A Jira that answers JQL (the REST backend; a workspace folder does not)."""

    def search(self, jql: str) -> list[Story]:
        """Return the stories a JQL query finds, in its order; InputError for bad JQL."""
        ...
