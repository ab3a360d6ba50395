"""Parsers on real Jira and Confluence REST responses (tests/fixtures/atlassian, see README)."""

from __future__ import annotations

from casewright.tools.confluence import parse_content
from casewright.tools.jira import story_from_issue


def test_jira_cloud_v3_issue_with_adf(load_fixture) -> None:
    issue = load_fixture("atlassian/go-atlassian/get-issue.json")
    story = story_from_issue(issue)
    assert story.key == "ED-1"
    assert story.project == "EX"
    assert story.description == "Main order flow broken"
    assert story.url == "https://your-domain.atlassian.net/browse/ED-1"
    assert story.criteria == [] and story.criteria_source == "none"


def test_jira_cloud_v3_search_result(load_fixture) -> None:
    result = load_fixture("atlassian/go-atlassian/search-issues.json")
    stories = [story_from_issue(issue) for issue in result["issues"]]
    assert [story.key for story in stories] == ["ED-1"]
    assert stories[0].description == "Main order flow broken"


def test_jira_server_v2_issue_with_wiki_markup(load_fixture) -> None:
    issue = load_fixture("atlassian/atlassian-python-api/issue-FOO-123.json")
    story = story_from_issue(issue)
    assert (story.key, story.issue_type) == ("FOO-123", "Epic")
    assert story.description == "Some Issue Description"


def test_agile_epic_issues_link_to_their_epic(load_fixture) -> None:
    result = load_fixture("atlassian/atlassian-python-api/epic-BAR-22-issues.json")
    stories = [story_from_issue(issue) for issue in result["issues"]]
    assert stories and {story.epic_key for story in stories} == {"BAR-22"}


def test_mcp_capture_v2_issue(load_fixture) -> None:
    issue = load_fixture("atlassian/mcp-atlassian/jira_mocks.json")["MOCK_JIRA_ISSUE_RESPONSE"]
    story = story_from_issue(issue, jira_url="https://jira.example.com/")
    assert story.key == "PROJ-123"
    assert story.priority == "Medium"
    assert story.url == "https://jira.example.com/browse/PROJ-123"


def test_confluence_storage_page_with_macros_time_and_user_links(load_fixture) -> None:
    content = load_fixture("atlassian/mcp-atlassian/confluence_mocks.json")["MOCK_PAGE_RESPONSE"]
    page, _ = parse_content(content)
    assert (page.page_id, page.title, page.space, page.version) == (
        "987654321", "Example Meeting Notes", "PROJ", 1)
    lines = page.text.split("\n")
    assert "Goals" in lines and "Example goal" in lines and "2024-01-01" in lines
    assert "<" not in page.text and "ri:user" not in page.text


def test_confluence_content_links(load_fixture) -> None:
    content = load_fixture("atlassian/go-atlassian/get-content.json")
    page, _ = parse_content(content)
    assert page.url == ("https://ctreminiom.atlassian.net/wiki/spaces/DUMMY/pages/64290828/"
                        "Confluence+Page+Title")
    assert page.text == ""
