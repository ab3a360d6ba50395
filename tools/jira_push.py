"""Writing test cases into Jira over REST: one issue per case, found again by its own label.

Each pushed case carries the label `casewright-<case id>` (case ids are positional per story,
so a later run's case of the same story has the same id), and a push looks for that label
before it creates anything: a found issue is updated, never duplicated. Descriptions are
Atlassian Document Format on Cloud (REST v3) and wiki markup on Server/Data Center (v2), rendered
by `adf.case_adf` and `wiki.case_wiki`; both hold the objective, the traces, the preconditions and
the steps as a table.

The issue of a case made obsolete (`casewright.living`) is never deleted: `retire` adds the
configured label (`casewright-obsolete`) and, when the team names one, moves it through a
workflow transition (such as "Obsolete"); doing it again changes nothing.

Every request goes through `call`, so faults are the same one-line errors as reading. Creating
(POST) is retried only on 429 and 503, answers that say the request was not carried out:
retrying another failure could create an issue twice. Searches and updates retry as reads do.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, cast

from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from casewright.errors import ConfigError, ToolError
from casewright.models import Story, TestCase
from casewright.tools.adf import case_adf
from casewright.tools.atlassian_site import Site, call
from casewright.tools.jira import is_issue
from casewright.tools.rest_jira import RestJira
from casewright.tools.rest_transport import BoundedRetry
from casewright.tools.wiki import case_wiki
from casewright.tools.workspace import issue_order

if TYPE_CHECKING:
    from atlassian import Jira

BASE_LABEL = "casewright"
"""The label every pushed case carries."""
UNDONE_STATUSES = frozenset({429, 503})
"""Answers to a POST that mean Jira did not carry it out, so sending it again is safe."""
SUMMARY_LIMIT = 255
"""Jira's longest summary."""
SEARCH_FIELDS = "summary,labels,issuelinks,status"


def case_label(case_id: str) -> str:
    """Return the label that finds a case's Jira issue again, such as casewright-CC-101-TC01."""
    return f"{BASE_LABEL}-{case_id}"


@dataclass(frozen=True)
class CaseIssue:
    """What one case becomes in Jira: its summary, labels and description source."""

    case: TestCase
    story: Story
    summary: str
    labels: tuple[str, ...]

    @property
    def label(self) -> str:
        """The case's own label."""
        return case_label(self.case.case_id)


@dataclass(frozen=True)
class ExistingIssue:
    """A Jira issue a case was pushed to before."""

    key: str
    labels: tuple[str, ...]
    linked: frozenset[str]
    """Keys of the issues it is linked to by the configured link type."""
    status: str | None = None
    """Its workflow status, such as 'To Do'."""


class _WriteRetry(BoundedRetry):
    """The reading sessions' Retry, also retrying POST, but only on 429 and 503."""

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        """Whether to send the request again (never a POST that Jira may have carried out)."""
        if method.upper() == "POST" and status_code not in UNDONE_STATUSES:
            return False
        return super().is_retry(method, status_code, has_retry_after)


def _write_retry(site: Site) -> Retry:
    return site.retry(_WriteRetry, allowed_methods=Retry.DEFAULT_ALLOWED_METHODS | {"POST"})


class JiraWriter(RestJira):
    """Creates and updates one Jira issue per test case, linked to its story."""

    @property
    def url(self) -> str:
        """The Jira base URL."""
        return self.site.url

    @property
    def link_type(self) -> str:
        """The issue link type joining a case to its story."""
        return self.settings.jira_test_link_type

    @property
    def api_version(self) -> int:
        """The REST API version written to: 3 (ADF descriptions) or 2 (wiki markup)."""
        return self.settings.jira_api_version or (3 if self.site.cloud else 2)

    @cached_property
    def _client(self) -> Jira:
        client = super()._client
        for prefix in ("http://", "https://"):
            # Site mounts an HTTPAdapter for both prefixes; the session types it as BaseAdapter
            cast(HTTPAdapter, client.session.get_adapter(prefix)).max_retries = \
                _write_retry(self.site)
        return client

    def find(self, story: Story, labels: Sequence[str]) -> dict[str, list[ExistingIssue]]:
        """Return the issues carrying each label, oldest first (labels with none left out)."""
        if not labels:
            return {}
        quoted = ", ".join(_jql_string(label) for label in labels)
        jql = f"labels in ({quoted})"
        found: dict[str, list[ExistingIssue]] = {}
        pages = self._pages(jql, fields=SEARCH_FIELDS, what=f"the issues of {story.key}'s "
                            "cases pushed before", hint="check that this account can search "
                            "issues, or report the JQL with --debug")
        issues = [issue for page in pages for issue in page["issues"]
                  if isinstance(issue, dict) and isinstance(issue.get("key"), str)]
        for issue in sorted(issues, key=lambda issue: issue_order(issue["key"])):
            existing = self._existing(issue)
            for label in labels:
                if label in existing.labels:
                    found.setdefault(label, []).append(existing)
        return found

    def _existing(self, issue: dict[str, Any]) -> ExistingIssue:
        fields = issue.get("fields") or {}
        linked = set()
        for link in fields.get("issuelinks") or []:
            if str((link.get("type") or {}).get("name", "")).lower() != self.link_type.lower():
                continue
            other = link.get("inwardIssue") or link.get("outwardIssue") or {}
            if isinstance(other.get("key"), str):
                linked.add(other["key"])
        labels = tuple(str(label) for label in fields.get("labels") or [])
        status = (fields.get("status") or {}).get("name")
        return ExistingIssue(issue["key"], labels, frozenset(linked),
                             status if isinstance(status, str) else None)

    def issue(self, key: str, case_id: str, stored_in: str) -> ExistingIssue:
        """Return the issue a case was pushed to, read by the key the push ledger holds."""
        what = f"issue {key} (where {case_id} was pushed)"
        found = call(self.site, what, lambda: self._client.issue(key, fields=SEARCH_FIELDS),
                     missing_hint=f"if it was deleted, remove {case_id}'s line from "
                     f"'{stored_in}' to create it again")
        if not is_issue(found):
            raise ToolError(f"Jira at {self.site.url} sent no issue for {what}",
                            hint=f"check that {self.site.url_setting} points at Jira")
        return self._existing(found)

    def _fields(self, issue: CaseIssue, labels: Sequence[str]) -> dict[str, Any]:
        description: Any = case_adf(issue.case, issue.story) if self.api_version >= 3 \
            else case_wiki(issue.case, issue.story)
        return {"summary": issue.summary, "description": description, "labels": list(labels)}

    def create(self, issue: CaseIssue) -> str:
        """Create the case's issue in its story's project; return the new key."""
        kind, project = self.settings.jira_test_issue_type, issue.story.project
        fields = {"project": {"key": project}, "issuetype": {"name": kind},
                  **self._fields(issue, issue.labels)}
        what = f"a new {kind} issue for {issue.case.case_id} in project {project}"
        created = call(self.site, what, lambda: self._client.create_issue(fields=fields),
                       doing="creating", missing_hint="check that "
                       f"CASEWRIGHT_JIRA_TEST_ISSUE_TYPE ({kind!r}) is an issue type of "
                       f"project {project} with summary, description and labels on its "
                       "create screen")
        key = created.get("key")
        if not isinstance(key, str) or not key:
            raise ToolError(f"Jira at {self.site.url} sent no issue key for {what}",
                            hint=f"check that {self.site.url_setting} points at Jira")
        return key

    def update(self, key: str, issue: CaseIssue, existing: ExistingIssue) -> None:
        """Rewrite an issue's summary and description; add the case's labels to its own."""
        labels = list(dict.fromkeys([*existing.labels, *issue.labels]))
        fields = self._fields(issue, labels)
        _write(self.site, f"issue {key} ({issue.case.case_id})", "updating",
               lambda: self._client.update_issue_field(key, fields),
               missing_hint=f"the issue was found by its label {issue.label}: check that this "
               "account may edit it, with summary, description and labels on its edit screen")

    def retire(self, key: str, issue: CaseIssue, existing: ExistingIssue) -> list[str]:
        """Mark the issue of an obsolete case; return what was done (nothing: marked before).

        The obsolete label is added to its own; with `jira_obsolete_transition` set, it is
        moved through the transition of that name (or leading to that status). One that has
        the label and no such transition left was moved before.
        """
        label, done = self.settings.jira_obsolete_label, []
        what = f"issue {key} ({issue.case.case_id}, obsolete)"
        hint = (f"check that this account may edit {key}, with labels on its edit screen, "
                "and move it through its workflow")
        if label not in existing.labels:
            fields = {"labels": [*existing.labels, label]}
            _write(self.site, what, "updating",
                   lambda: self._client.update_issue_field(key, fields), missing_hint=hint)
            done.append(f"labelled {label}")
        wanted = self.settings.jira_obsolete_transition
        if wanted is None:
            return done
        listing = call(self.site, f"the transitions of {what}",
                       lambda: self._client.get_issue_transitions_full(key), missing_hint=hint)
        offered = [t for t in listing.get("transitions") or [] if isinstance(t, dict)]
        chosen = next((t for t in offered if wanted.lower() in {
            str(t.get("name", "")).lower(), str((t.get("to") or {}).get("name", "")).lower()}),
            None)
        if chosen is None:
            if label in existing.labels:
                return done
            names = ", ".join(repr(str(t.get("name"))) for t in offered) or "none"
            raise ConfigError(f"issue {key} has no transition {wanted!r} from status "
                              f"{existing.status!r} (it offers {names})",
                              hint="set CASEWRIGHT_JIRA_OBSOLETE_TRANSITION to one of them, or "
                              "unset it to only label the issues of obsolete cases")
        _write(self.site, f"the {wanted!r} transition of {what}", "creating",
               lambda: self._client.set_issue_status_by_transition_id(key, chosen["id"]),
               missing_hint=hint)
        done.append(f"moved to {(chosen.get('to') or {}).get('name') or wanted}")
        return done

    def link(self, key: str, story_key: str) -> None:
        """Link an issue to its story: `<key> <outward phrase> <story>`, such as 'tests'.

        Jira gives the outward phrase of the link type to `inwardIssue` (its UI shows
        "A blocks B" for `{"inwardIssue": A, "outwardIssue": B}` with Blocks), so the case's
        issue is the inward one: with Xray's Test link it "tests" the story.
        """
        data = {"type": {"name": self.link_type}, "inwardIssue": {"key": key},
                "outwardIssue": {"key": story_key}}
        _write(self.site, f"the {self.link_type!r} link from {key} to {story_key}", "creating",
               lambda: self._client.create_issue_link(data),
               missing_hint=f"check that CASEWRIGHT_JIRA_TEST_LINK_TYPE ({self.link_type!r}) "
               "is an issue link type of this site (Xray: Test) and that this account may "
               "link issues")


def _write(site: Site, what: str, doing: str, request: Callable[[], Any], *,
           missing_hint: str) -> None:
    """Run a request whose success has no body (204, or 201 for a link)."""
    call(site, what, lambda: request() or {}, missing_hint=missing_hint, doing=doing)


def _jql_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def summary_line(text: str) -> str:
    """Return text as a Jira summary: one line, at most 255 characters."""
    line = " ".join(text.split())
    return line if len(line) <= SUMMARY_LIMIT else line[:SUMMARY_LIMIT - 3] + "..."
