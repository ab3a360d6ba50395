"""Stopping a Jira search or Confluence listing that would never end.

A broken server or a caching proxy can answer every page with the same results, hand back a
page token it gave before, or page on forever; following it would hang casewright and flood
the server. `PageGuard` watches each listing: a page or cursor seen before, or more pages than
`rest_max_pages`, stops it with one `ToolError` naming the URL paged (exit 1: stopping quietly
would leave stories or pages out of a run without anyone knowing).
"""

from __future__ import annotations

from typing import Any

from casewright.errors import ToolError
from casewright.tools.atlassian_site import Site


def _identity(item: Any) -> str:
    """Return what tells one listed issue or page from another: its id, else its key."""
    if isinstance(item, dict):
        return str(item.get("id", item.get("key")))
    return repr(item)


class PageGuard:
    """The pages of one listing read so far, to stop one that repeats or never ends."""

    def __init__(self, site: Site, what: str, path: str, first: object) -> None:
        """Watch a listing of `what` at `path` (under the site's URL) from cursor `first`."""
        self.site = site
        self.what = what
        self.url = f"{site.url}/{path.lstrip('/')}"
        self.pages = 0
        self._cursors = {repr(first)}
        self._seen: set[tuple[str, ...]] = set()

    def follow(self, items: list[Any], cursor: object) -> None:
        """Count a page of `items` that says more follow at `cursor`.

        Raises:
            ToolError: the page or the cursor came before, or the next page would pass
                `rest_max_pages`.
        """
        self.pages += 1
        page = tuple(_identity(item) for item in items)
        repeated = (page and page in self._seen) or repr(cursor) in self._cursors
        if repeated:
            raise ToolError(f"paging through {self.what} at {self.url} came back to a page "
                            f"it had read (page {self.pages}, next {cursor!r}); stopped reading",
                            hint="the site's paging is broken, or a proxy answers from a "
                            "cache: report it to the site's admin")
        if self.pages >= self.site.limits.max_pages:
            raise ToolError(f"{self.what} at {self.url} runs past {self.pages} pages; stopped "
                            "reading", hint="narrow it (a tighter JQL, fewer spaces), or raise "
                            "CASEWRIGHT_REST_MAX_PAGES")
        self._seen.add(page)
        self._cursors.add(repr(cursor))
