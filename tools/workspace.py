"""The workspace backend: a folder holding Jira and Confluence REST JSON, read offline.

jira/*.json          one issue per file, or a search result {"issues": [...]}
confluence/*.json    content as the REST API returns it (or {"results": [...]})
confluence/*.md|html pages kept as files
tests/*.json         existing test cases: a list of cases, a suite, or {"cases": [...]}
casewright.toml      optional settings
"""

from __future__ import annotations

import json
import logging
import os
import re
from functools import cached_property, partial
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from casewright.config import SETTINGS_FILE, Settings
from casewright.errors import InputError
from casewright.files import UnreadableFile, read_text
from casewright.keys import parse_issue_key
from casewright.models import Page, Story, TestCase
from casewright.tools.blocks import Block
from casewright.tools.confluence import (
    MAX_PAGE_BYTES,
    ParsedPage,
    is_content,
    parse_content,
    parse_file,
    readable,
    skip_page,
)
from casewright.tools.jira import check_story, is_issue, is_story, story_from_issue
from casewright.tools.sources import ConfluenceSource, JiraSource

logger = logging.getLogger("casewright")

PAGE_SUFFIXES = {".md", ".html", ".htm"}
_CASES = TypeAdapter(list[TestCase])


def bundled_sample() -> Path:
    """Return the sample workspace shipped inside the package."""
    return Path(str(resources.files("casewright") / "sample_workspace"))


def is_workspace(path: Path) -> bool:
    """Whether a folder is a workspace: it has a jira/ folder or a casewright.toml."""
    return (path / "jira").is_dir() or (path / SETTINGS_FILE).is_file()


def resolve_workspace(explicit: Path | None, cwd: Path) -> tuple[Path, str]:
    """Pick the workspace: the one given, else the current folder, else the bundled sample.

    Returns the folder and a few words saying why it was chosen.
    """
    if explicit is not None:
        if explicit.exists() and not explicit.is_dir():
            raise InputError(f"workspace '{explicit}' is a file, not a folder",
                             hint="pass the folder that holds jira/ to --workspace")
        if not explicit.is_dir():
            raise InputError(f"workspace folder '{explicit}' does not exist",
                             hint="pass an existing folder to --workspace")
        if not is_workspace(explicit):
            raise InputError(f"'{explicit}' is not a casewright workspace (no jira/ folder "
                             f"or {SETTINGS_FILE})",
                             hint="point --workspace at a folder with jira/*.json or a "
                             f"{SETTINGS_FILE} naming your Jira")
        return explicit, "given"
    if is_workspace(cwd):
        return cwd, "current folder"
    return bundled_sample(), "bundled sample"


MAX_JSON_BYTES = 50_000_000
"""A Jira or test-case JSON file larger than this is refused: no export is that big."""
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(value: Any) -> Any:
    """Return a JSON value with its lone surrogates (a bad escape) replaced by U+FFFD."""
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


def read_json(path: Path) -> Any:
    """Read a JSON file; a syntax error names the file, line and column."""
    text = read_text(path, limit=MAX_JSON_BYTES)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"{path}: invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}",
            hint="fix or remove the file") from error
    except RecursionError:
        raise InputError(f"{path}: JSON nested too deeply to read",
                         hint="fix or remove the file") from None
    return _without_surrogates(document) if _SURROGATE_ESCAPE.search(text) else document


def issue_order(key: str) -> tuple[str, int]:
    """Sort key for issue keys: project, then number (CC-9 before CC-10)."""
    project, _, number = key.rpartition("-")
    return project, int(number) if number.isdigit() else 0


class WorkspaceJira:
    """Jira issues from a workspace's jira/ folder."""

    def __init__(self, root: Path, settings: Settings) -> None:
        self.folder = root / "jira"
        self.settings = settings
        self._paths: dict[str, Path] = {}

    @cached_property
    def _issues(self) -> dict[str, dict[str, Any]]:
        """Read every issue file; a key is checked, and a repeated key warned of, on reading."""
        issues: dict[str, dict[str, Any]] = {}
        if self.folder.exists() and not self.folder.is_dir():
            raise InputError(f"'{self.folder}' is a file, not a folder",
                             hint="jira/ must be a folder of issue JSON files")
        if self.folder.is_dir() and not os.access(self.folder, os.R_OK | os.X_OK):
            raise InputError(f"cannot read the folder '{self.folder}'",
                             hint="check its permissions")
        for path in sorted(self.folder.glob("*.json")):
            document = read_json(path)
            if isinstance(document, dict) and isinstance(document.get("issues"), list):
                found = document["issues"]
            elif isinstance(document, dict) and isinstance(document.get("fields"), dict):
                found = [document]
            else:
                raise InputError(f"{path}: not a Jira issue or search result",
                                 hint="keep only REST issue JSON in jira/")
            for issue in found:
                key = self._key(issue, path)
                if key in issues:
                    logger.warning("%s: issue %s is also in %s; the first is read", path, key,
                                   self._paths[key])
                    continue
                issues[key] = issue
                self._paths[key] = path
        return issues

    def _key(self, issue: Any, path: Path) -> str:
        """Return an issue's key, checked; InputError naming the file when it has none."""
        key = issue.get("key") if isinstance(issue, dict) else None
        if not is_issue(issue) or not isinstance(key, str):
            raise InputError(f"{path}: an issue without a key (or without fields)",
                             hint="every issue needs \"key\": \"PROJECT-123\" and \"fields\"")
        try:
            return parse_issue_key(key)
        except InputError:
            raise InputError(f"{path}: {key!r} is not a Jira issue key",
                             hint="use the PROJECT-123 form, or remove the file") from None

    def _story(self, issue: dict[str, Any]) -> Story:
        key = parse_issue_key(str(issue["key"]))
        try:
            return story_from_issue(
                issue, criteria_field=self.settings.criteria_field,
                epic_link_field=self.settings.epic_link_field, jira_url=self.settings.jira_url)
        except (AttributeError, TypeError, KeyError, ValueError, RecursionError) as error:
            raise InputError(f"{self._paths.get(key, self.folder)}: issue {key} is malformed "
                             f"({type(error).__name__}: {error})",
                             hint="fix or remove the file") from None

    def get_story(self, key: str) -> Story:
        """Return one story; InputError for an unknown key or an epic."""
        key = parse_issue_key(key)
        issue = self._issues.get(key)
        if issue is None:
            raise InputError(f"unknown issue key {key!r} in workspace '{self.folder.parent}'",
                             hint="run `casewright stories` to list the keys")
        return self._story(check_story(issue))

    def list_stories(self) -> list[Story]:
        """Return every story in key order."""
        keys = sorted((k for k, i in self._issues.items() if is_story(i)), key=issue_order)
        return [self._story(self._issues[key]) for key in keys]

    def epic_stories(self, epic_key: str) -> list[Story]:
        """Return an epic's stories in key order."""
        epic_key = parse_issue_key(epic_key)
        stories = [story for story in self.list_stories() if story.epic_key == epic_key]
        if not stories:
            known = epic_key in self._issues
            raise InputError(
                f"epic {epic_key} has no stories in workspace '{self.folder.parent}'" if known
                else f"unknown epic {epic_key!r} in workspace '{self.folder.parent}'",
                hint="run `casewright stories` to see the epics and their stories")
        return stories


def _page_text(path: Path, skipped: list[str]) -> str | None:
    """Return a page file's text, or None (with a warning) for one that cannot be a page."""
    try:
        return read_text(path, limit=MAX_PAGE_BYTES)
    except UnreadableFile as error:
        skip_page(str(path), error.why, skipped)
        return None


def _contents(path: Path, text: str, skipped: list[str]) -> list[dict[str, Any]]:
    """Return the Confluence content items of a JSON page file (a page, or a page of results)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        skip_page(str(path), f"invalid JSON at line {error.lineno}, column {error.colno}", skipped)
        return []
    except RecursionError:
        skip_page(str(path), "JSON nested too deeply", skipped)
        return []
    items = document.get("results") if isinstance(document, dict) else None
    contents = items if isinstance(items, list) else [document]
    if not all(is_content(content) for content in contents):
        skip_page(str(path), "not Confluence content JSON (no id and title)", skipped)
    return [content for content in contents if is_content(content)]


class WorkspaceConfluence:
    """Confluence pages from a workspace's confluence/ folder."""

    def __init__(self, root: Path, settings: Settings) -> None:
        self.folder = root / "confluence"
        self.settings = settings
        self.skipped: list[str] = []
        """Page files left out (unreadable, huge, malformed or empty), each named."""

    @cached_property
    def _pages(self) -> dict[str, ParsedPage]:
        """Read every page file; a bad one is skipped with a warning naming it.

        Bad is unreadable, not a regular file, over MAX_PAGE_BYTES, malformed or empty.
        """
        pages: dict[str, ParsedPage] = {}
        paths = sorted(self.folder.glob("*")) if self.folder.is_dir() else []
        for path in paths:
            if path.suffix != ".json" and path.suffix not in PAGE_SUFFIXES:
                continue
            text = _page_text(path, self.skipped)
            if text is None:
                continue
            found: list[ParsedPage | None] = []
            if path.suffix == ".json":
                found = [readable(str(path), partial(
                    parse_content, content, self.settings.confluence_url), self.skipped)
                    for content in _contents(path, text, self.skipped)]
            else:
                found = [readable(str(path), partial(parse_file, path, text), self.skipped)]
            for parsed in filter(None, found):
                pages.setdefault(parsed[0].page_id, parsed)
        return pages

    def get_page(self, page_id: str) -> Page:
        """Return one page; InputError for an unknown id."""
        if page_id not in self._pages:
            raise InputError(f"unknown Confluence page {page_id!r} in '{self.folder}'",
                             hint="check the page id or file name")
        return self._pages[page_id][0]

    def list_pages(self) -> list[Page]:
        """Return every page in file order."""
        return [page for page, _ in self._pages.values()]

    def page_blocks(self, page_id: str) -> list[Block]:
        """Return a page body's blocks (headings, paragraphs, items, rows) for chunking."""
        self.get_page(page_id)
        return self._pages[page_id][1]


class Workspace:
    """A workspace folder: its Jira and Confluence sources and its existing test cases.

    `approved` is a folder of cases approved in earlier runs (kept outside the workspace, so
    the workspace is never written to); they count as existing tests. Sources not given (the
    REST backends, say) are the folder's own jira/ and confluence/.
    """

    def __init__(self, root: Path, settings: Settings, approved: Path | None = None, *,
                 jira: JiraSource | None = None,
                 confluence: ConfluenceSource | None = None) -> None:
        self.root = root
        self.settings = settings
        self.approved = approved
        self.jira: JiraSource = WorkspaceJira(root, settings) if jira is None else jira
        self.confluence: ConfluenceSource = (
            WorkspaceConfluence(root, settings) if confluence is None else confluence)

    def existing_tests(self) -> list[TestCase]:
        """Return the test cases in tests/*.json and in the approved folder."""
        cases: list[TestCase] = []
        paths = sorted((self.root / "tests").glob("*.json"))
        if self.approved is not None:
            paths += sorted(self.approved.glob("*.json"))
        for path in paths:
            document = read_json(path)
            if isinstance(document, dict):
                document = document.get("cases", document)
            try:
                cases += _CASES.validate_python(document)
            except ValidationError as error:
                first = error.errors()[0]
                where = ".".join(str(part) for part in first["loc"])
                raise InputError(f"{path}: test case at {where}: {first['msg']}",
                                 hint="fix the case or remove the file") from error
        return cases
