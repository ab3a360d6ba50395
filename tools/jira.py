"""Jira REST issue JSON (v2 wiki markup or v3 ADF) to `Story`."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from casewright.errors import InputError
from casewright.models import CriteriaSource, Story
from casewright.tools.adf import adf_to_blocks
from casewright.tools.blocks import Block, to_text
from casewright.tools.criteria import criteria_from_description, parse_criteria
from casewright.tools.wiki import wiki_to_blocks

EPIC_TYPES = {"epic"}
SUBTASK_TYPES = {"sub-task", "subtask"}


def rich_text_blocks(value: Any) -> list[Block]:
    """Turn a Jira rich-text value (wiki string, ADF document, or None) into blocks."""
    if isinstance(value, dict) and value.get("type") == "doc":
        return adf_to_blocks(value)
    if isinstance(value, str):
        return wiki_to_blocks(value)
    return []


def is_issue(document: Any) -> bool:
    """Whether a JSON document looks like one Jira issue."""
    return isinstance(document, dict) and "key" in document and isinstance(
        document.get("fields"), dict)


def issue_type(issue: dict[str, Any]) -> str:
    """Return the issue type name, such as 'Story' or 'Epic'."""
    return str((issue["fields"].get("issuetype") or {}).get("name") or "Story")


def is_story(issue: dict[str, Any]) -> bool:
    """Whether an issue is a story (any type but an epic or a sub-task)."""
    return issue_type(issue).lower() not in EPIC_TYPES | SUBTASK_TYPES


def check_story(issue: dict[str, Any]) -> dict[str, Any]:
    """Return the issue if it is a story; InputError naming an epic or sub-task."""
    if not is_story(issue):
        key = issue["key"]
        raise InputError(f"{key} is an {issue_type(issue)}, not a story",
                         hint=f"use --epic {key} to run its stories")
    return issue


def epic_key(issue: dict[str, Any], epic_link_field: str) -> str | None:
    """Return an issue's epic: its parent (Cloud), epic-link field (Server) or agile `epic`."""
    fields = issue["fields"]
    parent = fields.get("parent") or {}
    if parent.get("key"):
        parent_type = ((parent.get("fields") or {}).get("issuetype") or {}).get("name")
        if parent_type is None or parent_type.lower() in EPIC_TYPES:
            return str(parent["key"])
    link = fields.get(epic_link_field) or fields.get("epic")
    if isinstance(link, dict):
        link = link.get("key")
    return str(link) if link else None


def browse_url(issue: dict[str, Any], jira_url: str | None) -> str | None:
    """Return the issue's browse URL from the configured base URL or its `self` link."""
    base = jira_url
    if base is None and issue.get("self"):
        parts = urlsplit(str(issue["self"]))
        base = f"{parts.scheme}://{parts.netloc}"
    return f"{base.rstrip('/')}/browse/{issue['key']}" if base else None


def story_from_issue(
    issue: dict[str, Any],
    *,
    criteria_field: str | None = None,
    epic_link_field: str = "customfield_10014",
    jira_url: str | None = None,
) -> Story:
    """Build a Story from one issue as `GET /rest/api/2|3/issue/{key}` returns it."""
    fields = issue["fields"]
    key = str(issue["key"])
    description = rich_text_blocks(fields.get("description"))
    field_blocks = rich_text_blocks(fields.get(criteria_field)) if criteria_field else []
    source: CriteriaSource
    if field_blocks:
        criteria, source = parse_criteria(field_blocks), "field"
    else:
        criteria = criteria_from_description(description)
        source = "description" if criteria else "none"
    return Story(
        key=key,
        summary=str(fields.get("summary") or ""),
        description=to_text(description),
        issue_type=issue_type(issue),
        project=str((fields.get("project") or {}).get("key") or key.rsplit("-", 1)[0]),
        project_name=(fields.get("project") or {}).get("name") or None,
        epic_key=epic_key(issue, epic_link_field),
        priority=(fields.get("priority") or {}).get("name"),
        labels=[str(label) for label in fields.get("labels") or []],
        components=[str(c.get("name")) for c in fields.get("components") or [] if c.get("name")],
        url=browse_url(issue, jira_url),
        criteria=criteria,
        criteria_source=source,
    )
