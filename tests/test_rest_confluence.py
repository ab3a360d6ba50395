"""Confluence over REST against a local server standing in for Confluence Cloud (v1 content).

Pages must equal the workspace backend's for the same JSON, a space must page through its
listing, a second read must fetch no body whose version is unchanged, and faults must become
one error naming the page or space and what to do.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from rest_server import EMAIL, PAT, TOKEN, FakeAtlassian, error_line, sample_pages

from casewright.config import load_settings
from casewright.errors import ConfigError, InputError, ToolError
from casewright.tools.confluence import parse_content
from casewright.tools.rest_confluence import RestConfluence
from casewright.tools.workspace import Workspace, bundled_sample


def rest_confluence(fake: FakeAtlassian, cache: Path, **extra: Any) -> RestConfluence:
    """Confluence at the local server with the sample's settings and Jira's Cloud credentials."""
    settings = load_settings(bundled_sample(), confluence_url=f"{fake.url}/wiki",
                             **{"jira_email": EMAIL, "jira_token": TOKEN,
                                "confluence_spaces": ["CCOPS"], "rest_max_wait": 0.05} | extra)
    confluence = RestConfluence.from_settings(settings, cache)
    assert confluence is not None
    return confluence


def test_pages_equal_the_workspace_s_across_listing_pages(http: HTTPServer,
                                                           tmp_path: Path) -> None:
    fake = FakeAtlassian(http, pages=sample_pages(), page_size=2)
    confluence = rest_confluence(fake, tmp_path)
    workspace = Workspace(bundled_sample(), load_settings(bundled_sample())).confluence
    pages = confluence.list_pages()
    assert [page.page_id for page in pages] == [str(p["id"]) for p in sample_pages()]
    for page in pages:
        assert page == workspace.get_page(page.page_id) == confluence.get_page(page.page_id)
        assert confluence.page_blocks(page.page_id) == workspace.page_blocks(page.page_id)
    assert sum(len(page.rules) for page in pages) > 20
    listings = fake.requests("/wiki/rest/api/content")
    assert [r.args["start"] for r in listings if r.path == "/wiki/rest/api/content"] == \
        ["0", "2", "4"]
    bodies = [r for r in listings if r.path != "/wiki/rest/api/content"]
    assert len(bodies) == 5 and all(r.args["expand"] == "body.storage,space,version"
                                    for r in bodies)


def test_a_second_read_fetches_only_changed_pages(http: HTTPServer, tmp_path: Path) -> None:
    pages = sample_pages()
    fake = FakeAtlassian(http, pages=pages)
    first = rest_confluence(fake, tmp_path).list_pages()
    http.clear()
    changed = copy.deepcopy(pages[:4])
    changed[1]["version"]["number"] += 1
    changed[1]["body"]["storage"]["value"] += "<p>BR-999 Agents log every waived fee.</p>"
    fake = FakeAtlassian(http, pages=changed)
    lines: list[str] = []
    settings = rest_confluence(fake, tmp_path).settings
    second = RestConfluence.from_settings(settings, tmp_path, progress=lines.append)
    assert second is not None
    again = second.list_pages()
    fetched = [r.path for r in fake.requests("/wiki/rest/api/content/")]
    assert fetched == [f"/wiki/rest/api/content/{changed[1]['id']}"]
    assert lines == ["confluence: space CCOPS: 4 pages, 1 fetched, 3 unchanged since the last "
                     "read"]
    assert again[0] == first[0] and again[1] != first[1]
    assert "BR-999" in {rule.rule_id for rule in again[1].rules}
    assert sorted(path.name for path in (tmp_path / "CCOPS").iterdir()) == \
        sorted(f"{page['id']}.json" for page in changed)  # the removed page left the cache


def test_a_damaged_cache_file_is_fetched_again(http: HTTPServer, tmp_path: Path) -> None:
    fake = FakeAtlassian(http, pages=sample_pages())
    expected = rest_confluence(fake, tmp_path).list_pages()
    page_id = expected[0].page_id
    (tmp_path / "CCOPS" / f"{page_id}.json").write_text('{"id": ', encoding="utf-8")
    http.clear()
    fake = FakeAtlassian(http, pages=sample_pages())
    assert rest_confluence(fake, tmp_path).list_pages() == expected
    assert [r.path for r in fake.requests("/wiki/rest/api/content/")] == \
        [f"/wiki/rest/api/content/{page_id}"]


def test_real_storage_format_capture(http: HTTPServer, tmp_path: Path, load_fixture) -> None:
    capture = load_fixture("atlassian/mcp-atlassian/confluence_mocks.json")["MOCK_PAGE_RESPONSE"]
    fake = FakeAtlassian(http, pages=[capture])
    (page,) = rest_confluence(fake, tmp_path, confluence_spaces=["PROJ"]).list_pages()
    assert page == parse_content(capture, f"{fake.url}/wiki")[0]
    assert page.space == "PROJ" and page.title and page.text


def test_space_and_page_faults(http: HTTPServer, tmp_path: Path) -> None:
    fake = FakeAtlassian(http, pages=sample_pages())
    assert error_line(InputError, rest_confluence(fake, tmp_path, confluence_spaces=["NOPE"])
                      .list_pages) == (
        f"Confluence space 'NOPE' at {fake.url}/wiki has no pages this account can see; check "
        "the space key and its permissions")
    confluence = rest_confluence(fake, tmp_path)
    assert "is not in the spaces read (CCOPS)" in error_line(
        InputError, lambda: confluence.get_page("42"))
    fake.fault("/wiki/rest/api/content/229376013", 404, '{"message": "No content found"}')
    (tmp_path / "CCOPS" / "229376013.json").unlink(missing_ok=True)
    assert error_line(InputError, rest_confluence(fake, tmp_path).list_pages).startswith(
        f"page '229376013' not found in Confluence at {fake.url}/wiki")


@pytest.mark.parametrize(("extra", "names"), [
    ({}, "check CASEWRIGHT_JIRA_EMAIL and CASEWRIGHT_JIRA_TOKEN"),
    ({"confluence_pat": "wrong-pat"}, "check CASEWRIGHT_CONFLUENCE_PAT"),
])
def test_rejected_credentials_name_the_settings_used(http: HTTPServer, tmp_path: Path,
                                                     extra: dict[str, str], names: str) -> None:
    fake = FakeAtlassian(http, pages=sample_pages(), cloud="confluence_pat" not in extra)
    if not extra:
        fake.fault("/wiki/rest/api/content", 401)
    line = error_line(ConfigError, rest_confluence(fake, tmp_path, **extra).list_pages)
    assert "rejected the credentials (401) reading space 'CCOPS'" in line and names in line
    assert TOKEN not in line and PAT not in line and "wrong-pat" not in line


def test_server_failure_after_retries(http: HTTPServer, tmp_path: Path) -> None:
    fake = FakeAtlassian(http, pages=sample_pages())
    fake.fault("/wiki/rest/api/content", 503, times=2, headers={"Retry-After": "0"})
    assert len(rest_confluence(fake, tmp_path, rest_retries=2).list_pages()) == 5
    http.clear()
    fake = FakeAtlassian(http, pages=sample_pages())
    fake.fault("/wiki/rest/api/content", 502)
    assert "answered 502 reading space 'CCOPS' after 1 retries" in error_line(
        ToolError, rest_confluence(fake, tmp_path, rest_retries=1).list_pages)


@pytest.mark.parametrize(("extra", "message"), [
    ({"confluence_spaces": []}, "no space is named; set CASEWRIGHT_CONFLUENCE_SPACES"),
    ({"confluence_spaces": ["../x"]}, "'../x' is not a Confluence space key"),
])
def test_space_settings(http: HTTPServer, tmp_path: Path, extra: dict[str, Any],
                        message: str) -> None:
    fake = FakeAtlassian(http, pages=sample_pages())
    settings = load_settings(bundled_sample(), confluence_url=f"{fake.url}/wiki",
                             confluence_pat=PAT, **extra)
    with pytest.raises((ConfigError, InputError)) as raised:
        RestConfluence.from_settings(settings, tmp_path)
    assert message in raised.value.one_line()


def test_a_confluence_url_for_links_alone_keeps_the_folder(tmp_path: Path) -> None:
    settings = load_settings(bundled_sample(), jira_email=EMAIL, jira_token=TOKEN)
    assert settings.confluence_url and RestConfluence.from_settings(settings, tmp_path) is None
