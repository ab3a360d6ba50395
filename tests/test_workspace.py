"""The workspace backend over real files: the bundled sample and broken copies of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from casewright.config import load_settings
from casewright.errors import ConfigError, InputError
from casewright.tools.workspace import Workspace, bundled_sample, resolve_workspace

FIXTURES = Path(__file__).parent / "fixtures"


def _workspace(root: Path) -> Workspace:
    return Workspace(root, load_settings(workspace=root))


@pytest.fixture(scope="module")
def sample() -> Workspace:
    return _workspace(bundled_sample())


def test_every_sample_story_parses_as_a_person_reads_it(sample: Workspace) -> None:
    expected = json.loads((FIXTURES / "sample_expected_criteria.json").read_text())
    stories = {story.key: story for story in sample.jira.list_stories()}
    assert sorted(stories) == sorted(expected)
    for key, criteria in expected.items():
        got = stories[key].criteria
        assert [c.criterion_id for c in got] == [c["id"] for c in criteria], key
        for criterion, wanted in zip(got, criteria, strict=True):
            assert criterion.text.startswith(wanted["starts_with"]), (key, criterion.text)
            assert criterion.rule_ids == wanted["rules"], (key, criterion.criterion_id)


def test_epics_by_parent_link_field_and_search_results(sample: Workspace) -> None:
    cloud = [story.key for story in sample.jira.epic_stories("CC-1")]
    server = [story.key for story in sample.jira.epic_stories("cc-2")]
    assert cloud == ["CC-101", "CC-102", "CC-103", "CC-104", "CC-105"]
    assert server == ["CC-201", "CC-202", "CC-203", "CC-204", "CC-205"]


def test_criteria_from_the_configured_custom_field(sample: Workspace) -> None:
    story = sample.jira.get_story("CC-104")
    assert story.criteria_source == "field" and len(story.criteria) == 5
    unconfigured = Workspace(bundled_sample(), load_settings(bundled_sample(),
                                                             criteria_field="customfield_1"))
    assert unconfigured.jira.get_story("CC-104").criteria == []


def test_story_fields_and_browse_url(sample: Workspace) -> None:
    story = sample.jira.get_story("CC-201")
    assert story.project == "CC" and story.epic_key == "CC-2"
    assert story.url == "https://brightwater.atlassian.net/browse/CC-201"
    assert story.priority and story.labels and story.components


def test_every_cited_rule_is_defined_once_in_the_pages(sample: Workspace) -> None:
    pages = sample.confluence.list_pages()
    assert len(pages) == 9
    rule_ids = [rule.rule_id for page in pages for rule in page.rules]
    assert len(rule_ids) == len(set(rule_ids)) == 45
    cited = {r for story in sample.jira.list_stories() for c in story.criteria for r in c.rule_ids}
    assert cited <= set(rule_ids)


def test_rule_text_heading_path_and_page_links(sample: Workspace) -> None:
    rules = {rule.rule_id: (rule, page) for page in sample.confluence.list_pages()
             for rule in page.rules}
    rule, page = rules["BR-1"]
    assert "30" in rule.text and rule.heading_path
    assert page.url and page.url.startswith("https://brightwater.atlassian.net/wiki/")
    assert page.space == "CCOPS" and page.version
    markdown_rule, markdown_page = rules["BR-36"]
    assert markdown_page.page_id == "direct-debit-and-payment-plans"
    assert markdown_rule.text


def test_existing_tests_load(sample: Workspace) -> None:
    cases = sample.existing_tests()
    assert len(cases) == 27
    assert {"CC-101", "CC-201"} <= {case.story_key for case in cases}


def test_unknown_key_epic_as_story_and_unknown_epic(sample: Workspace) -> None:
    with pytest.raises(InputError, match="unknown issue key 'CC-999'"):
        sample.jira.get_story("CC-999")
    with pytest.raises(InputError, match="CC-1 is an Epic") as error:
        sample.jira.get_story("CC-1")
    assert "--epic CC-1" in error.value.one_line()
    with pytest.raises(InputError, match="unknown epic 'CC-9'"):
        sample.jira.epic_stories("CC-9")


@pytest.mark.parametrize("key", ["../../x", "CC-101/../../etc", "cc 101", "", "CC-0"])
def test_keys_that_are_not_issue_keys_are_refused(sample: Workspace, key: str) -> None:
    with pytest.raises(InputError, match="is not a Jira issue key"):
        sample.jira.get_story(key)


def test_malformed_json_names_file_line_and_column(sample_copy: Path) -> None:
    (sample_copy / "jira" / "CC-999.json").write_text('{\n  "key": "CC-999",\n  "fields": {,}\n}')
    with pytest.raises(InputError) as error:
        _workspace(sample_copy).jira.list_stories()
    assert "CC-999.json: invalid JSON at line 3, column 14" in error.value.one_line()


def test_json_that_is_not_an_issue(sample_copy: Path) -> None:
    (sample_copy / "jira" / "notes.json").write_text('{"hello": "world"}')
    with pytest.raises(InputError, match="notes.json: not a Jira issue or search result"):
        _workspace(sample_copy).jira.list_stories()


def test_broken_existing_test_case_names_file_and_field(sample_copy: Path) -> None:
    (sample_copy / "tests" / "bad.json").write_text('[{"case_id": "X-1"}]')
    with pytest.raises(InputError, match=r"bad.json: test case at 0.title: Field required"):
        _workspace(sample_copy).existing_tests()


def test_bad_pages_are_skipped_each_named_and_the_others_read(
        sample_copy: Path, caplog: pytest.LogCaptureFixture) -> None:
    pages = sample_copy / "confluence"
    bad = {
        "empty.md": b"",
        "huge.md": b"# Huge\n\n" + b"word " * 500_000,
        "binary.html": bytes(range(256)) * 4,
        "broken.json": b'{"id": ',
        "deep.json": b"[" * 200_000 + b"]" * 200_000,
        "nobody.json": b'{"id": "9", "title": null, "body": "notadict"}',
        "notes.json": b'{"hello": "world"}',
    }
    for name, content in bad.items():
        (pages / name).write_bytes(content)
    (pages / "folder.md").mkdir()
    confluence = _workspace(sample_copy).confluence
    with caplog.at_level("WARNING", logger="casewright"):
        titles = {page.title for page in confluence.list_pages()}
    assert len(titles) == 9 and "Contact centre glossary" in titles
    named = {Path(where).name for where in confluence.skipped}
    assert named == {*bad, "folder.md"}
    warnings = [record.getMessage() for record in caplog.records]
    assert len(warnings) == len(named) and all("skipped, " in line for line in warnings)
    assert any("huge.md: skipped, larger than 2 MB" in line for line in warnings)
    assert any("deep.json: skipped, JSON nested too deeply" in line for line in warnings)


def test_workspace_resolution(tmp_path: Path, sample_copy: Path) -> None:
    assert resolve_workspace(None, tmp_path) == (bundled_sample(), "bundled sample")
    assert resolve_workspace(None, sample_copy) == (sample_copy, "current folder")
    assert resolve_workspace(sample_copy, tmp_path) == (sample_copy, "given")
    with pytest.raises(InputError, match="does not exist"):
        resolve_workspace(tmp_path / "missing", tmp_path)
    with pytest.raises(InputError, match="not a casewright workspace"):
        resolve_workspace(tmp_path, tmp_path)


def test_settings_precedence_file_then_environment_then_arguments(
        sample_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings(sample_copy).criteria_field == "customfield_10200"
    monkeypatch.setenv("CASEWRIGHT_CRITERIA_FIELD", "customfield_2")
    assert load_settings(sample_copy).criteria_field == "customfield_2"
    assert load_settings(sample_copy, criteria_field="customfield_3").criteria_field == \
        "customfield_3"


def test_bad_settings_files(sample_copy: Path) -> None:
    settings_file = sample_copy / "casewright.toml"
    settings_file.write_text('criteria_feild = "customfield_1"\n')
    with pytest.raises(ConfigError, match="unknown setting 'criteria_feild'"):
        load_settings(sample_copy)
    settings_file.write_text('criteria_field = \n')
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_settings(sample_copy)
