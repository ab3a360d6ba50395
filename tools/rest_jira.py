"""Jira over REST: Cloud (v3, descriptions in ADF) and Server/Data Center (v2, wiki markup).

Issues come back as the same JSON a workspace's jira/ folder holds, and become stories through
the same parser (`story_from_issue`), so both backends give identical stories. Searches page
through every result: Cloud's `/rest/api/3/search/jql` by `nextPageToken`, Server's
`/rest/api/2/search` by `startAt`; a search that repeats a page or token, or passes
`rest_max_pages`, stops with an error (`rest_paging`).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any, Self

from casewright.config import Settings
from casewright.errors import InputError, ToolError
from casewright.keys import parse_issue_key
from casewright.models import Story
from casewright.progress import Progress, quiet
from casewright.tools.atlassian_site import Site, call, jira_site
from casewright.tools.jira import check_story, is_issue, is_story, story_from_issue
from casewright.tools.rest_paging import PageGuard
from casewright.tools.workspace import issue_order

if TYPE_CHECKING:
    from atlassian import Jira

PAGE_SIZE = 100
"""Issues asked for per search request (Jira may send fewer)."""


class RestJira:
    """Stories read from a live Jira (or anything speaking its REST API)."""

    def __init__(self, site: Site, settings: Settings) -> None:
        self.site = site
        self.settings = settings
        self._read: dict[str, Story] = {}

    @classmethod
    def from_settings(cls, settings: Settings, progress: Progress = quiet) -> Self | None:
        """Return the REST backend when settings name a Jira site, else None.

        `progress` hears what a rate-limited request waits for.
        """
        site = jira_site(settings, progress)
        return None if site is None else cls(site, settings)

    @cached_property
    def _client(self) -> Jira:
        from atlassian import Jira

        version = self.settings.jira_api_version or (3 if self.site.cloud else 2)
        return Jira(self.site.url, api_version=str(version), **self.site.client_options())

    def _story(self, issue: dict[str, Any]) -> Story:
        story = story_from_issue(
            issue, criteria_field=self.settings.criteria_field,
            epic_link_field=self.settings.epic_link_field, jira_url=self.settings.jira_url)
        self._read[story.key] = story
        return story

    def _issue(self, key: str) -> dict[str, Any]:
        issue = call(self.site, f"issue {key!r}", lambda: self._client.issue(key, fields="*all"),
                     missing_hint="check the key (`casewright stories` lists those in scope)")
        if not is_issue(issue):
            raise ToolError(f"Jira at {self.site.url} sent no issue for {key!r}",
                             hint=f"check that {self.site.url_setting} points at Jira")
        return issue

    def _pages(self, jql: str, *, fields: str = "*all", what: str | None = None,
               hint: str = "fix the JQL (--jql or CASEWRIGHT_JIRA_JQL)",
               ) -> Iterator[dict[str, Any]]:
        """Yield each page of a search, following Cloud's tokens or Server's offsets.

        `fields` are the fields each issue comes with; `what` and `hint` name the search
        in errors (default: the JQL itself, and how to fix a user's JQL).
        """
        what = what or f"the JQL {jql!r}"
        cloud = self.site.cloud
        token: str | None = None
        start = 0
        path = self._client.resource_url("search/jql", api_version=3) if cloud \
            else self._client.resource_url("search")
        guard = PageGuard(self.site, what, path, token if cloud else start)
        while True:
            request = partial(self._client.enhanced_jql, jql, nextPageToken=token) \
                if cloud else partial(self._client.jql, jql, start=start)
            page = call(self.site, what, partial(request, fields=fields, limit=PAGE_SIZE),
                        missing_hint=hint)
            issues = page.get("issues")
            if not isinstance(issues, list):
                raise ToolError(f"Jira at {self.site.url} sent no issue list for {what}",
                                 hint=f"check that {self.site.url_setting} points at Jira")
            yield page
            token, start = page.get("nextPageToken"), start + len(issues)
            if cloud and (page.get("isLast", True) or not token):
                return
            if not cloud and (not issues or start >= int(page.get("total", 0))):
                return
            guard.follow(issues, token if cloud else start)

    def search(self, jql: str) -> list[Story]:
        """Return the stories (not epics or sub-tasks) a JQL query finds, in its order."""
        issues = [issue for page in self._pages(jql) for issue in page["issues"]]
        return [self._story(issue) for issue in issues if is_issue(issue) and is_story(issue)]

    def get_story(self, key: str) -> Story:
        """Return one story; InputError for an unknown key or an epic."""
        return self._story(check_story(self._issue(parse_issue_key(key))))

    def epic_stories(self, epic_key: str) -> list[Story]:
        """Return an epic's stories in key order.

        Cloud links children by `parent`; Server/Data Center by the "Epic Link" field.
        """
        epic_key = parse_issue_key(epic_key)
        link = "parent" if self.site.cloud else '"Epic Link"'
        stories = self.search(f"{link} = {epic_key} ORDER BY key ASC")
        if not stories:
            self._issue(epic_key)
            raise InputError(f"epic {epic_key} has no stories in Jira at {self.site.url}",
                             hint="check the epic key, or pass story keys or --jql")
        return sorted(stories, key=lambda story: issue_order(story.key))

    def list_stories(self) -> list[Story]:
        """Return the stories in scope, in key order.

        The scope is the `jira_jql` setting; without one, it is the stories read so far in
        this session (so a run's own stories are what memory ingests).
        """
        stories = self._read.values() if self.settings.jira_jql is None \
            else self.search(self.settings.jira_jql)
        return sorted(stories, key=lambda story: issue_order(story.key))
