"""Jira over REST against a local server standing in for Jira Cloud and Jira Server/DC.

The server (tests/rest_server.py) answers with the bundled sample's issue JSON and real
captured shapes; the stories must equal the workspace backend's, page after page, and every
fault must become one error that names what failed and what to do.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from rest_server import EMAIL, PAT, TOKEN, FakeAtlassian, error_line, sample_issues
from werkzeug import Request, Response

from casewright.config import Settings, load_settings
from casewright.errors import ConfigError, InputError, ToolError
from casewright.tools.jira import story_from_issue
from casewright.tools.rest_jira import RestJira
from casewright.tools.workspace import Workspace, bundled_sample

SAMPLE_KEYS = ["CC-101", "CC-102", "CC-103", "CC-104", "CC-105", "CC-201", "CC-202", "CC-203",
               "CC-204", "CC-205"]


def rest_settings(fake: FakeAtlassian, **extra: Any) -> Settings:
    """The sample's settings (criteria field, epic link), pointed at the local server."""
    secrets = {"jira_email": EMAIL, "jira_token": TOKEN} if fake.cloud else {"jira_pat": PAT}
    return load_settings(bundled_sample(), jira_url=fake.url,
                         **{"rest_max_wait": 0.05} | secrets | extra)


def rest_jira(fake: FakeAtlassian, **extra: Any) -> RestJira:
    jira = RestJira.from_settings(rest_settings(fake, **extra))
    assert jira is not None
    return jira


@pytest.mark.parametrize("cloud", [True, False], ids=["cloud-v3", "server-v2"])
def test_stories_equal_the_workspace_s_page_after_page(http: HTTPServer, cloud: bool) -> None:
    fake = FakeAtlassian(http, issues=sample_issues(), cloud=cloud, page_size=3)
    jira = rest_jira(fake)
    workspace = Workspace(bundled_sample(), rest_settings(fake)).jira
    assert [jira.get_story(key) for key in SAMPLE_KEYS] == \
        [workspace.get_story(key) for key in SAMPLE_KEYS]
    assert jira.epic_stories("CC-1") == workspace.epic_stories("CC-1")
    assert jira.epic_stories("cc-2") == workspace.epic_stories("CC-2")
    assert jira.search("project = CC ORDER BY key ASC") == workspace.list_stories()
    searches = fake.requests("/rest/api/3/search/jql" if cloud else "/rest/api/2/search")
    assert len(searches) == 2 + 2 + 4  # 5, 5 and 10 stories, three a page (epics skipped)
    if cloud:
        assert [r.args.get("nextPageToken") for r in searches[-4:]] == \
            [None, "tok-3", "tok-6", "tok-9"]
    else:
        assert [r.args["startAt"] for r in searches[-4:]] == ["0", "3", "6", "9"]
    assert all(r.args["fields"] == "*all" for r in searches)
    assert jira.get_story("CC-101").url == f"{fake.url}/browse/CC-101"


def test_scope_setting_lists_stories_and_without_it_the_ones_read(http: HTTPServer) -> None:
    fake = FakeAtlassian(http, issues=sample_issues())
    scoped = rest_jira(fake, jira_jql="project = CC")
    assert [story.key for story in scoped.list_stories()] == SAMPLE_KEYS
    unscoped = rest_jira(fake)
    assert unscoped.list_stories() == []
    unscoped.get_story("CC-202")
    unscoped.get_story("CC-105")
    assert [story.key for story in unscoped.list_stories()] == ["CC-105", "CC-202"]


def test_real_captured_shapes(http: HTTPServer, load_fixture) -> None:
    cloud_issue = load_fixture("atlassian/go-atlassian/get-issue.json")
    epic = load_fixture("atlassian/atlassian-python-api/issue-FOO-123.json")
    agile = load_fixture("atlassian/atlassian-python-api/epic-BAR-22-issues.json")
    fake = FakeAtlassian(http, issues=[cloud_issue], cloud=True)
    assert rest_jira(fake).get_story("ED-1") == story_from_issue(
        cloud_issue, epic_link_field="customfield_10014", jira_url=fake.url,
        criteria_field="customfield_10200")
    http.clear()
    fake = FakeAtlassian(http, issues=[epic, *agile["issues"]], cloud=False)
    fake.queries['"Epic Link" = BAR-22'] = ["BAR-111"]
    jira = rest_jira(fake)
    with pytest.raises(InputError, match="FOO-123 is an Epic, not a story"):
        jira.get_story("FOO-123")
    assert [story.key for story in jira.epic_stories("BAR-22")] == ["BAR-111"]


def test_unknown_key_epic_and_jql(http: HTTPServer) -> None:
    jira = rest_jira(FakeAtlassian(http, issues=sample_issues()))
    with pytest.raises(InputError, match=r"issue 'CC-999' not found in Jira at http://127"):
        jira.get_story("CC-999")
    with pytest.raises(InputError, match=r"issue 'CC-9' not found"):
        jira.epic_stories("CC-9")
    with pytest.raises(InputError, match=r"epic CC-101 has no stories"):
        jira.epic_stories("CC-101")
    with pytest.raises(InputError, match=r"rejected the request for the JQL 'projekt = CC' "
                       r"\(400\): Error in the JQL Query") as raised:
        jira.search("projekt = CC")
    assert "--jql" in raised.value.one_line()


@pytest.mark.parametrize(("cloud", "status", "error", "names"), [
    (True, 401, ConfigError, "check CASEWRIGHT_JIRA_EMAIL and CASEWRIGHT_JIRA_TOKEN (an API "
     "token from https://id.atlassian.com"),
    (False, 401, ConfigError, "check CASEWRIGHT_JIRA_PAT (a personal access token"),
    (True, 403, ConfigError, "the account behind CASEWRIGHT_JIRA_EMAIL and "
     "CASEWRIGHT_JIRA_TOKEN lacks permission"),
], ids=["cloud-401", "server-401", "cloud-403"])
def test_credential_faults_name_the_setting(http: HTTPServer, cloud: bool, status: int,
                                            error: type, names: str) -> None:
    fake = FakeAtlassian(http, issues=sample_issues(), cloud=cloud)
    fake.fault(f"/rest/api/{3 if cloud else 2}/issue/CC-101", status,
               '{"errorMessages": ["You do not have permission"]}')
    with pytest.raises(error) as raised:
        rest_jira(fake).get_story("CC-101")
    line = raised.value.one_line()
    assert f"({status})" in line and names in line and TOKEN not in line and PAT not in line


def test_wrong_token_is_refused_by_the_server(http: HTTPServer) -> None:
    fake = FakeAtlassian(http, issues=sample_issues())
    with pytest.raises(ConfigError, match="rejected the credentials"):
        rest_jira(fake, jira_token="not-the-token").get_story("CC-101")


def test_rate_limit_waits_as_asked_then_goes_on(http: HTTPServer) -> None:
    fake = FakeAtlassian(http, issues=sample_issues())
    fake.fault("/rest/api/3/issue/CC-101", 429, headers={"Retry-After": "1"}, times=1)
    began = time.perf_counter()
    story = rest_jira(fake, rest_max_wait=5).get_story("CC-101")
    assert story.key == "CC-101" and time.perf_counter() - began >= 1.0
    assert len(fake.requests("/rest/api/3/issue/CC-101")) == 2


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_lasting_server_failure_is_retried_a_bounded_number_of_times(
        http: HTTPServer, status: int) -> None:
    fake = FakeAtlassian(http, issues=sample_issues())
    fake.fault("/rest/api/3/issue/CC-101", status, "<html>busy</html>")
    began = time.perf_counter()
    line = error_line(ToolError, lambda: rest_jira(fake, rest_retries=2).get_story("CC-101"))
    assert line == (f"Jira at {fake.url} answered {status} reading issue 'CC-101' after 2 retries; "
                    "try again later; CASEWRIGHT_REST_RETRIES and CASEWRIGHT_REST_MAX_WAIT set "
                    "how long casewright waits")
    assert time.perf_counter() - began < 5  # backing off within rest_max_wait in all
    assert len(fake.requests("/rest/api/3/issue/CC-101")) == 3


def test_timeout(http: HTTPServer) -> None:
    def slow(_: Request) -> Response:
        time.sleep(2)
        return Response("{}", content_type="application/json")

    fake = FakeAtlassian(http, issues=sample_issues())
    http.expect_oneshot_request("/rest/api/3/issue/CC-101").respond_with_handler(slow)
    line = error_line(ToolError, lambda: rest_jira(fake, rest_timeout=1).get_story("CC-101"))
    assert line == (f"Jira at {fake.url} did not answer within 1 s reading issue 'CC-101'; "
                    "check the network, or raise CASEWRIGHT_REST_TIMEOUT")


@pytest.mark.parametrize("body", ["<html><body>Log in to continue</body></html>", '{"key": '])
def test_malformed_json(http: HTTPServer, body: str) -> None:
    fake = FakeAtlassian(http, issues=sample_issues())
    http.expect_oneshot_request("/rest/api/3/issue/CC-101").respond_with_data(
        body, content_type="application/json")
    line = error_line(ToolError, lambda: rest_jira(fake).get_story("CC-101"))
    assert line == (f"Jira at {fake.url} sent malformed JSON (or none) for issue 'CC-101'; "
                    "check that CASEWRIGHT_JIRA_URL points at Jira itself, not a login page or "
                    "proxy")


def test_json_that_is_not_an_issue(http: HTTPServer) -> None:
    fake = FakeAtlassian(http, issues=sample_issues())
    http.expect_oneshot_request("/rest/api/3/issue/CC-101").respond_with_json({"total": 0})
    assert error_line(ToolError, lambda: rest_jira(fake).get_story("CC-101")) == (
        f"Jira at {fake.url} sent no issue for 'CC-101'; check that CASEWRIGHT_JIRA_URL "
        "points at Jira")


def test_unreachable_site(tmp_path: Path) -> None:
    settings = load_settings(tmp_path, jira_url="http://127.0.0.1:9", jira_pat=PAT,
                             rest_retries=0, allow_http=True)
    jira = RestJira.from_settings(settings)
    assert jira is not None
    assert error_line(ToolError, lambda: jira.get_story("CC-1")) == (
        "cannot reach Jira at http://127.0.0.1:9 reading issue 'CC-1'; check "
        "CASEWRIGHT_JIRA_URL and the network")


@pytest.mark.parametrize(("settings", "message"), [
    ({"jira_token": TOKEN}, "Jira credentials are set but CASEWRIGHT_JIRA_URL is not set"),
    ({"jira_url": "jira.example.com", "jira_pat": PAT}, "is not an http(s) URL"),
    ({"jira_url": "https://x.atlassian.net", "jira_token": TOKEN},
     "CASEWRIGHT_JIRA_TOKEN is set but CASEWRIGHT_JIRA_EMAIL is not"),
    ({"jira_url": "https://x.atlassian.net", "jira_token": TOKEN, "jira_email": EMAIL,
      "jira_pat": PAT}, "both CASEWRIGHT_JIRA_TOKEN and CASEWRIGHT_JIRA_PAT are set"),
])
def test_incomplete_settings(tmp_path: Path, settings: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        RestJira.from_settings(load_settings(tmp_path, **settings))


def test_without_credentials_the_workspace_is_read(tmp_path: Path) -> None:
    assert RestJira.from_settings(load_settings(tmp_path, jira_url="https://x.net")) is None
