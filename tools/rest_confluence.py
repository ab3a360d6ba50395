"""Confluence over REST: the pages of the configured spaces, bodies fetched once per version.

A space is listed with each page's version only (`GET /rest/api/content?spaceKey=..&expand=
version`, paged by `start` while `_links.next` says more follow; a repeated page, or more than
`rest_max_pages`, stops it with an error). A page's body (`GET /rest/api/content/{id}?expand=
body.storage,space,version`, the JSON a workspace's confluence/ folder holds) is fetched only
when its version is new, and kept in a cache folder of that same JSON, one file per page. So a
second `casewright ingest` reads a listing and nothing else when no page changed; memory
ingestion, content-addressed, then embeds nothing either. Pages go through the workspace's
parser (`parse_content`), so both backends give identical pages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casewright.config import Settings
from casewright.errors import ConfigError, InputError, ToolError
from casewright.files import write_atomic
from casewright.models import Page
from casewright.progress import quiet
from casewright.tools.atlassian_site import Site, call, confluence_site
from casewright.tools.blocks import Block
from casewright.tools.confluence import ParsedPage, is_content, parse_content, readable
from casewright.tools.rest_paging import PageGuard

if TYPE_CHECKING:
    from atlassian import Confluence

PAGE_SIZE = 100
"""Pages asked for per listing request (Confluence may send fewer)."""
BODY_EXPAND = "body.storage,space,version"
LISTING = "rest/api/content"
_SPACE_KEY = re.compile(r"^~?[A-Za-z0-9_.-]{1,255}$")
_PAGE_ID = re.compile(r"^[0-9]{1,20}$")


class RestConfluence:
    """Business-rule pages read from a live Confluence, cached by page version."""

    def __init__(self, site: Site, settings: Settings, cache: Path,
                 progress: Callable[[str], None] | None = None) -> None:
        bad = [key for key in settings.confluence_spaces if not _SPACE_KEY.match(key)]
        if bad:
            raise InputError(f"{bad[0]!r} is not a Confluence space key",
                             hint="use the key from the space's URL, such as CCOPS")
        if not settings.confluence_spaces:
            raise ConfigError(f"Confluence at {site.url} is set up but no space is named",
                              hint="set CASEWRIGHT_CONFLUENCE_SPACES=KEY[,KEY] or pass --space")
        self.site = site
        self.settings = settings
        self.skipped: list[str] = []
        """Pages left out (huge, malformed or empty), each named."""
        self.cache = cache
        self.progress = progress

    @classmethod
    def from_settings(cls, settings: Settings, cache: Path,
                      progress: Callable[[str], None] | None = None) -> RestConfluence | None:
        """Return the REST backend when settings name a Confluence site, else None."""
        site = confluence_site(settings, progress or quiet)
        return None if site is None else cls(site, settings, cache, progress)

    @cached_property
    def _client(self) -> Confluence:
        from atlassian import Confluence

        # The Server/DC client speaks the v1 content API, which Cloud serves under /wiki too.
        return Confluence(self.site.url, **{**self.site.client_options(), "cloud": False})

    def _listing(self, space: str) -> Iterator[dict[str, Any]]:
        """Yield a space's pages (id, title, version; no body), page by page."""
        start = 0
        what = f"space {space!r}"
        guard = PageGuard(self.site, what, LISTING, start)
        while True:
            params = {"spaceKey": space, "type": "page", "expand": "version", "start": start,
                      "limit": PAGE_SIZE}
            batch = call(self.site, what, partial(self._client.get, LISTING, params=params),
                         missing_hint="check the space key (--space or "
                         "CASEWRIGHT_CONFLUENCE_SPACES)")
            results = batch.get("results")
            if not isinstance(results, list):
                raise ToolError(f"Confluence at {self.site.url} sent no page list for space "
                                 f"{space!r}", hint=f"check {self.site.url_setting}")
            yield from results
            start += len(results)
            if not results or not (batch.get("_links") or {}).get("next"):
                return
            guard.follow(results, start)

    def _fetch(self, page_id: str) -> dict[str, Any]:
        content = call(self.site, f"page {page_id!r}",
                       lambda: self._client.get_page_by_id(page_id, expand=BODY_EXPAND),
                       missing_hint="check the page id")
        if not is_content(content):
            raise ToolError(f"Confluence at {self.site.url} sent no page for {page_id!r}",
                             hint=f"check that {self.site.url_setting} points at Confluence")
        return content

    def _cached(self, path: Path, version: Any) -> dict[str, Any] | None:
        """Return a cached page if it holds this version; a damaged file is fetched again."""
        try:
            content = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        same = is_content(content) and (content.get("version") or {}).get("number") == version
        return content if same else None

    def _sync(self, space: str) -> list[dict[str, Any]]:
        """Return a space's pages, fetching only the bodies whose version changed."""
        folder = self.cache / space
        folder.mkdir(parents=True, exist_ok=True)
        pages, fetched = [], 0
        for item in self._listing(space):
            page_id = str(item.get("id", ""))
            if not _PAGE_ID.match(page_id):
                raise ToolError(f"Confluence at {self.site.url} listed a page without an id "
                                 f"in space {space!r}", hint=f"check {self.site.url_setting}")
            path = folder / f"{page_id}.json"
            content = self._cached(path, (item.get("version") or {}).get("number"))
            if content is None:
                content, fetched = self._fetch(page_id), fetched + 1
                write_atomic(path, json.dumps(content, ensure_ascii=False))
            pages.append(content)
        if not pages:
            raise InputError(f"Confluence space {space!r} at {self.site.url} has no pages this "
                             "account can see", hint="check the space key and its permissions")
        listed = {f"{content['id']}.json" for content in pages}
        for stale in folder.glob("*.json"):
            if stale.name not in listed:
                stale.unlink()
        if self.progress is not None:
            self.progress(f"confluence: space {space}: {len(pages)} pages, {fetched} fetched, "
                          f"{len(pages) - fetched} unchanged since the last read")
        return pages

    @cached_property
    def _pages(self) -> dict[str, ParsedPage]:
        pages: dict[str, ParsedPage] = {}
        for space in self.settings.confluence_spaces:
            for content in self._sync(space):
                parsed = readable(f"Confluence page {content.get('id')} in space {space}",
                                  partial(parse_content, content, self.settings.confluence_url),
                                  self.skipped)
                if parsed is not None:
                    pages.setdefault(parsed[0].page_id, parsed)
        return pages

    def _parsed(self, page_id: str) -> ParsedPage:
        if page_id not in self._pages:
            spaces = ", ".join(self.settings.confluence_spaces)
            raise InputError(f"Confluence page {page_id!r} is not in the spaces read ({spaces})",
                             hint="check the page id, or add its space to --space or "
                             "CASEWRIGHT_CONFLUENCE_SPACES")
        return self._pages[page_id]

    def get_page(self, page_id: str) -> Page:
        """Return one page of the configured spaces; InputError for any other id."""
        return self._parsed(page_id)[0]

    def list_pages(self) -> list[Page]:
        """Return every page of the configured spaces, in listing order."""
        return [page for page, _ in self._pages.values()]

    def page_blocks(self, page_id: str) -> list[Block]:
        """Return a page body's blocks (headings, paragraphs, items, rows) for chunking."""
        return self._parsed(page_id)[1]
