"""Living suites: a story run again against its earlier suite updates it (issue 27).

Fast: stories of the bundled sample in a writable copy, edited as a product owner would edit
them in Jira; the agent writes the engine's wording (its model is never asked: `refuse`), the
fixed pipeline needs none, and the memory finds nothing. Pushes go to the local REST stand-in
(tests/rest_server.py), which keeps what it is sent.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from gherkin.parser import Parser
from pytest_httpserver import HTTPServer
from rest_server import FakeAtlassian, sample_issues
from scripted_model import ScriptedChatModel
from test_concurrency import refuse
from test_generate import NoHits
from test_push import save_agent_run
from typer.testing import CliRunner
from werkzeug import Request, Response

from casewright import generate
from casewright.agents.fixed_pipeline import run_fixed
from casewright.chat.session import open_chat
from casewright.cli import app
from casewright.config import load_settings
from casewright.living import update_suite
from casewright.models import Suite, TestCase
from casewright.run_command import RunRequest, execute
from casewright.tools.workspace import Workspace, bundled_sample

KEY = "CC-105"
LIMIT = ("from 3 to 24 months", "from 3 to 36 months")
"""CC-105 AC2's limit, as written and as the product owner moves it."""


def edit_story(workspace: Path, key: str, old: str, new: str) -> None:
    """Change a story's text in the workspace's jira/ folder, as an edit in Jira would."""
    path = workspace / "jira" / f"{key}.json"
    text = json.dumps(json.loads(path.read_text(encoding="utf-8")), ensure_ascii=False)
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def criteria_list(issue: dict) -> list[dict]:
    """Return the items of an ADF description's numbered list (CC-105's criteria)."""
    blocks = issue["fields"]["description"]["content"]
    return next(block for block in blocks if block["type"] == "orderedList")["content"]


def drop_criterion(workspace: Path, key: str, number: int) -> None:
    """Remove a story's criterion (1-based) from its description's numbered list."""
    path = workspace / "jira" / f"{key}.json"
    issue = json.loads(path.read_text(encoding="utf-8"))
    del criteria_list(issue)[number - 1]
    path.write_text(json.dumps(issue), encoding="utf-8")


def add_criterion(workspace: Path, key: str, text: str) -> None:
    """Add a criterion at the end of a story's description's numbered list."""
    path = workspace / "jira" / f"{key}.json"
    issue = json.loads(path.read_text(encoding="utf-8"))
    criteria_list(issue).append({"type": "listItem", "content": [
        {"type": "paragraph", "content": [{"type": "text", "text": text}]}]})
    path.write_text(json.dumps(issue), encoding="utf-8")


def run_agent(workspace: Path, out: Path, *keys: str, formats: tuple[str, ...] = ("json",),
              redesign: bool = False) -> tuple[list[Suite], list[str]]:
    """Run the agent (engine wording, no model call) as `casewright run KEYS -o out` does."""
    settings = load_settings(workspace, agent_draft=False)
    lines: list[str] = []
    suites = execute(RunRequest(keys=list(keys), output=out, formats=list(formats),
                                redesign=redesign),
                     Workspace(workspace, settings), settings, lines.append,
                     chat_model=ScriptedChatModel(script=refuse), memory=NoHits())
    return suites, lines


def cli(*args: str):
    """Run `casewright ARGS` in this process; stdout and stderr apart."""
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def saved(out: Path, key: str = KEY) -> Suite:
    return Suite.model_validate_json((out / f"{key}.json").read_text(encoding="utf-8"))


def resave(out: Path, suite: Suite) -> None:
    (out / f"{suite.story.key}.json").write_text(suite.model_dump_json(indent=2),
                                                 encoding="utf-8")


def as_written(case: TestCase) -> str:
    """A case as its JSON holds it, but for the status an update sets."""
    return json.dumps(case.model_dump(mode="json", exclude={"status"}), ensure_ascii=False)


def test_editing_one_limit_redesigns_only_that_criterions_cases(sample_copy: Path,
                                                                 tmp_path: Path) -> None:
    """A tester approved and edited cases; the owner moves AC2's limit; only AC2 is redone."""
    out = tmp_path / "out"
    (first,), _ = run_agent(sample_copy, out, KEY)
    assert len(first.story.criteria) == 5 and {c.status for c in first.cases} == {"new"}
    assert all(case.criterion_hashes for case in first.cases)
    cases = list(first.cases)
    ac2 = [n for n, case in enumerate(cases) if case.criterion_ids == ["AC2"]]
    others = [n for n, case in enumerate(cases) if case.criterion_ids != ["AC2"]]
    cases[others[0]] = cases[others[0]].model_copy(update={"labels": [*cases[others[0]].labels,
                                                                      "approved"]})
    edited = cases[others[-1]].steps[0].model_copy(update={"expected": "Edited by a tester"})
    cases[others[-1]] = cases[others[-1]].model_copy(update={"steps": [edited]})
    upper = next(n for n in ac2 if "24 months, on the upper limit" in cases[n].title)
    cases[upper] = cases[upper].model_copy(update={"labels": [*cases[upper].labels, "approved"]})
    resave(out, first.model_copy(update={"cases": cases}))
    before = saved(out)

    edit_story(sample_copy, KEY, *LIMIT)
    (second,), lines = run_agent(sample_copy, out, KEY, formats=("json", "html"))

    assert second == saved(out), "the JSON written is the suite returned"
    kept = {case.case_id: case for case in second.cases if case.criterion_ids != ["AC2"]}
    assert [as_written(kept[before.cases[n].case_id]) for n in others] == \
        [as_written(before.cases[n]) for n in others], "byte for byte, approval and edit too"
    assert {case.status for case in kept.values()} == {"kept"}
    redone = [case for case in second.cases if case.criterion_ids == ["AC2"]]
    assert {case.case_id for case in redone} == {before.cases[n].case_id for n in ac2}
    moved = {case.case_id: case for case in redone if case.status == "updated"}
    assert moved and all("36 months" in case.title or "37 months" in case.title
                         for case in moved.values())
    assert all(case.status == "kept" for case in redone if case.case_id not in moved)
    hashes = {c.criterion_id: c.content_hash for c in second.story.criteria}
    assert all(case.criterion_hashes == {"AC2": hashes["AC2"]} for case in redone)
    upper_id = before.cases[upper].case_id
    assert "approved" not in moved[upper_id].labels
    assert second.update is not None and second.update.withdrawn == [upper_id]
    assert any(f.case_id == upper_id and f.check == "approval-withdrawn"
               for f in second.findings)
    change = second.update.criteria
    assert [(c.criterion_id, c.change) for c in change] == [("AC2", "changed")]
    assert LIMIT[0] in (change[0].previous_text or "") and LIMIT[1] in (change[0].text or "")
    assert f"  {KEY}: suite updated (AC2 changed): {len(kept) + len(redone) - len(moved)} " \
        f"kept, {len(moved)} updated, 0 new, 0 made obsolete; 1 approvals withdrawn" in lines
    page = (out / f"{KEY}.html").read_text(encoding="utf-8")
    row = re.search(r'<tr data-change="changed" data-criterion="AC2">(.*?)</tr>', page)
    assert row and LIMIT[0] in row[1] and LIMIT[1] in row[1], "old and new text side by side"


def test_removing_a_criterion_marks_its_cases_obsolete_in_every_format(
        sample_copy: Path, tmp_path: Path) -> None:
    """No case disappears: obsolete in JSON, the report and each export with a status."""
    out = tmp_path / "out"
    formats = "json,html,markdown,gherkin,zephyr,azure,xray,testrail"
    assert cli("run", KEY, "-p", "fixed", "-w", str(sample_copy), "-o", str(out),
               "-f", formats).exit_code == 0
    before = saved(out)
    drop_criterion(sample_copy, KEY, 3)
    result = cli("run", KEY, "-p", "fixed", "-w", str(sample_copy), "-o", str(out), "-f",
                 formats)
    assert result.exit_code == 0, result.stderr
    assert f"  {KEY}: suite updated (AC3 removed): 4 kept, 0 updated, 0 new, 1 made obsolete" \
        in result.stderr.splitlines()

    suite = saved(out)
    gone = f"{KEY}-TC03"
    assert [(case.case_id, case.status) for case in suite.cases] == [
        (f"{KEY}-TC01", "kept"), (f"{KEY}-TC02", "kept"), (f"{KEY}-TC04", "kept"),
        (f"{KEY}-TC05", "kept"), (gone, "obsolete")]
    assert suite.cases[2].criterion_ids == ["AC3"], "the old AC4 is now AC3, its case kept"
    traces = {"status", "criterion_ids", "criterion_hashes"}
    assert suite.cases[2].model_dump(exclude=traces) == before.cases[3].model_dump(exclude=traces)
    assert suite.cases[2].criterion_hashes == {"AC3": before.cases[3].criterion_hashes["AC4"]}
    assert suite.update is not None and suite.update.obsoleted == [gone]
    assert gone not in {case.case_id for case in suite.cases_for("AC3")}

    page = (out / f"{KEY}.html").read_text(encoding="utf-8")
    assert f'data-case="{gone}" data-status="obsolete"' in page
    assert f'<th scope="col" data-case="{gone}"' not in page, "not a column of the matrix"
    assert re.search(r'<tr data-change="removed" data-criterion="AC3">', page)
    markdown = (out / f"{KEY}.md").read_text(encoding="utf-8")
    assert f"### {gone}: " in markdown and "- Status: obsolete" in markdown
    feature = (out / f"{KEY}.feature").read_text(encoding="utf-8")
    Parser().parse(feature)
    assert re.search(rf"@{gone} .*@obsolete\n  Scenario:", feature)
    zephyr = {row["Name"].split(":")[0]: row["Status"] for row in
              csv.DictReader(io.StringIO((out / f"{KEY}.zephyr.csv").read_text()))
              if row["Name"]}
    assert zephyr[gone] == "Deprecated" and set(zephyr.values()) - {"Deprecated"} == {"Approved"}
    azure = {row["Title"].split(":")[0]: row["State"] for row in
             csv.DictReader(io.StringIO((out / f"{KEY}.azure.csv").read_text()))
             if row["Title"]}
    assert azure[gone] == "Closed" and set(azure.values()) - {"Closed"} == {"Ready"}
    for no_status in (".xray.csv", ".testrail.xml"):  # an import would make it a live test
        text = (out / f"{KEY}{no_status}").read_text(encoding="utf-8")
        assert gone not in text and f"{KEY}-TC05" in text


def test_a_design_change_churns_nothing_unless_redesign_is_asked(sample_copy: Path,
                                                                 tmp_path: Path) -> None:
    """Cases of unchanged criteria stay as they were (another wording, here); --redesign."""
    out = tmp_path / "out"
    run = ("run", KEY, "-p", "fixed", "-w", str(sample_copy), "-o", str(out))
    assert cli(*run).exit_code == 0
    earlier = saved(out)
    older = earlier.cases[1].model_copy(update={"title": "Worded by an older engine"})
    resave(out, earlier.model_copy(update={"cases": [earlier.cases[0], older,
                                                     *earlier.cases[2:]]}))

    same = cli(*run)
    assert same.exit_code == 0
    assert saved(out).cases[1].title == "Worded by an older engine"
    assert f"{KEY}: suite updated (no criterion changed): 5 kept, 0 updated" in same.stderr

    again = cli(*run, "--redesign")
    assert again.exit_code == 0, again.stderr
    redone = saved(out)
    assert redone.cases[1].status == "updated" and redone.cases[1].case_id == older.case_id
    assert redone.cases[1].title == earlier.cases[1].title
    assert [case.status for case in redone.cases] == ["kept", "updated", "kept", "kept", "kept"]
    assert redone.update is not None and redone.update.redesigned


def test_a_file_in_the_output_folder_that_is_no_suite_is_one_line(sample_copy: Path,
                                                                 tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / f"{KEY}.json").write_text('{"cases": []}', encoding="utf-8")
    result = cli("run", KEY, "-p", "fixed", "-w", str(sample_copy), "-o", str(out))
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"error: '{out / KEY}.json' is not a suite casewright wrote (story: Field required); "
        "move it aside, and the story's suite is written afresh")


def test_generate_updates_the_earlier_suite_it_is_given(sample_copy: Path) -> None:
    settings = load_settings(sample_copy, agent_draft=False)
    model = ScriptedChatModel(script=refuse)
    (first,) = generate(KEY, workspace=sample_copy, settings=settings, chat_model=model,
                        memory=NoHits())
    story = first.story
    criteria = [c.model_copy(update={"text": c.text.replace(*LIMIT)})
                if c.criterion_id == "AC2" else c for c in story.criteria]
    changed = story.model_copy(update={"criteria": [
        type(c).model_validate(c.model_dump()) for c in criteria]})
    (second,) = generate(changed, workspace=sample_copy, settings=settings, chat_model=model,
                         memory=NoHits(), previous=[first])
    assert second.update is not None
    assert [c.criterion_id for c in second.update.criteria] == ["AC2"]
    assert {case.status for case in second.cases if case.criterion_ids != ["AC2"]} == {"kept"}


def test_a_chat_session_updates_a_story_that_changed_and_keeps_decisions(
        sample_copy: Path) -> None:
    """Resumed after the story changed, the session updates the suite; approvals stay."""
    settings = load_settings(sample_copy, agent_draft=False)
    model = ScriptedChatModel(script=refuse)
    with open_chat(Workspace(sample_copy, settings), settings, chat_model=model,
                   memory=NoHits()) as session:
        first, _ = session.write(KEY)
        session.approve()
        assert session.awaiting() == []
        again, before = session.write(KEY)
        assert before and again == session.suite(), "unchanged: the suite as it was"
        session_id = session.session_id

    edit_story(sample_copy, KEY, *LIMIT)
    with open_chat(Workspace(sample_copy, settings), settings, chat_model=model,
                   memory=NoHits(), session_id=session_id) as session:
        updated, before = session.write(KEY)
        assert not before and updated.update is not None
        redone = [case.case_id for case in updated.cases if case.status == "updated"]
        assert redone and session.awaiting() == redone
        assert all("approved" in case.labels for case in updated.cases
                   if case.status == "kept")


# Pushing an updated suite to Jira (the local REST stand-in)


def push(*args: str):
    return cli("push", *args, "--to", "jira")


def run_id(lines: list[str]) -> str:
    return next(line.split()[2] for line in lines if line.startswith("run id:"))


def connect(fake: FakeAtlassian, monkeypatch: pytest.MonkeyPatch, **extra: str) -> None:
    for name, value in {**fake.environment(), **extra}.items():
        monkeypatch.setenv(name, value)


def issue_of(fake: FakeAtlassian, case_id: str) -> dict:
    (issue,) = [issue for issue in fake.created.values()
                if f"casewright-{case_id}" in issue["fields"]["labels"]]
    return issue


def test_a_push_after_an_update_changes_existing_issues_and_creates_only_new_ones(
        http: HTTPServer, monkeypatch: pytest.MonkeyPatch, sample_copy: Path,
        tmp_path: Path) -> None:
    out = tmp_path / "out"
    fake = FakeAtlassian(http, issues=sample_issues())
    (first,), lines = run_agent(sample_copy, out, KEY)
    connect(fake, monkeypatch, CASEWRIGHT_JIRA_OBSOLETE_TRANSITION="Obsolete")
    pushed = push(run_id(lines), "-w", str(sample_copy))
    assert pushed.exit_code == 0, pushed.stderr
    issues, links = dict(fake.created), list(fake.links)
    assert len(issues) == len(first.cases) == len(links)

    edit_story(sample_copy, KEY, *LIMIT)
    drop_criterion(sample_copy, KEY, 5)
    add_criterion(sample_copy, KEY, "The customer can pause the plan for at most 2 months")
    (second,), lines = run_agent(sample_copy, out, KEY)
    statuses = {case.case_id: case.status for case in second.cases}
    updated = [cid for cid, status in statuses.items() if status == "updated"]
    new = [cid for cid, status in statuses.items() if status == "new"]
    obsolete = [cid for cid, status in statuses.items() if status == "obsolete"]
    assert updated and obsolete and new, statuses

    dry = push(run_id(lines), "-w", str(sample_copy), "--dry-run")
    assert dry.exit_code == 0 and fake.created == issues
    plan = dry.stdout.splitlines()
    assert f"{obsolete[0]} would mark {issue_of(fake, obsolete[0])['key']} obsolete " \
        f"(story {KEY})" in plan
    assert any(line.startswith(f"{new[0]} would create (story {KEY})") for line in plan)
    assert any(line.startswith(f"{updated[0]} would update as "
                               f"{issue_of(fake, updated[0])['key']}") for line in plan)

    result = push(run_id(lines), "-w", str(sample_copy))
    assert result.exit_code == 0, result.stderr
    approved_new = [cid for cid in new if cid in {line.split()[0] for line in
                                                   result.stdout.splitlines()
                                                   if " created " in line}]
    assert len(fake.created) == len(issues) + len(approved_new), "only the new ones created"
    assert {key: issue for key, issue in fake.created.items() if key in issues}.keys() == \
        issues.keys()
    moved = issue_of(fake, updated[0])
    case = next(case for case in second.cases if case.case_id == updated[0])
    assert moved["fields"]["summary"] == f"{case.case_id}: {case.title}"
    gone = issue_of(fake, obsolete[0])
    assert "casewright-obsolete" in gone["fields"]["labels"]
    assert gone["fields"]["status"] == {"name": "Obsolete"}
    assert f"{obsolete[0]} marked obsolete: {gone['key']} labelled casewright-obsolete, " \
        "moved to Obsolete" in result.stdout
    assert len(fake.links) == len(links) + len(approved_new), "no link made twice"

    mark = len(fake.server.log)
    again = push(run_id(lines), "-w", str(sample_copy))
    assert again.exit_code == 0 and len(fake.created) == len(issues) + len(approved_new)
    assert f"{obsolete[0]} is obsolete: {gone['key']} was marked before" in again.stdout
    transitions = [r for r, _ in fake.server.log[mark:] if r.path.endswith("/transitions")
                   and r.method == "POST"]
    assert transitions == [], "an obsolete issue is moved once"


def _created_then_failed(fake: FakeAtlassian):
    """A create Jira carries out and then answers 500 for (a proxy timing out, say)."""
    def handler(request: Request) -> Response:
        fake._create(request)
        return Response('{"errorMessages": ["Internal server error"]}', status=500,
                        content_type="application/json")
    return handler


@pytest.mark.parametrize("failure", ["refused", "carried-out"])
def test_a_push_that_fails_half_way_and_is_run_again_duplicates_nothing(
        http: HTTPServer, monkeypatch: pytest.MonkeyPatch, sample_copy: Path, tmp_path: Path,
        failure: str) -> None:
    """The third create fails; the issues made so far are found again, by the ledger even
    when Jira's label search does not show them yet."""
    (suite,), lines = run_agent(sample_copy, tmp_path / "out", KEY)
    fake = FakeAtlassian(http, issues=sample_issues())
    connect(fake, monkeypatch, CASEWRIGHT_REST_RETRIES="1", CASEWRIGHT_REST_MAX_WAIT="0")
    for _ in range(2):
        http.expect_oneshot_request("/rest/api/3/issue", method="POST") \
            .respond_with_handler(fake._create)
    if failure == "refused":
        fake.fault("/rest/api/3/issue", 500, '{"errorMessages": ["Internal server error"]}',
                   times=1)
    else:
        http.expect_oneshot_request("/rest/api/3/issue", method="POST") \
            .respond_with_handler(_created_then_failed(fake))
    broken = push(run_id(lines), "-w", str(sample_copy))
    assert broken.exit_code == 1
    assert "2 cases were pushed before it: pushing again updates those" in broken.stderr
    made = dict(fake.created)
    for key in list(made)[:2]:  # not yet in Jira's search index: the label finds nothing
        issue = fake.created.pop(key)
        fake.created[key] = {**issue, "fields": {**issue["fields"], "labels": []}}

    again = push(run_id(lines), "-w", str(sample_copy))
    assert again.exit_code == 0, again.stderr
    assert len(fake.created) == len(suite.cases), "one issue per case, none twice"
    summaries = [issue["fields"]["summary"] for issue in fake.created.values()]
    assert len(set(summaries)) == len(summaries)
    assert len(fake.links) == len(suite.cases)
    assert again.stdout.splitlines()[0] == f"{suite.cases[0].case_id} updated {list(made)[0]}"


# Which stories changed since their suites


def test_stories_changed_lists_the_stories_to_run_again(sample_copy: Path,
                                                        tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert cli("run", "CC-101", "CC-102", KEY, "-p", "fixed", "-w", str(sample_copy), "-o",
               str(out)).exit_code == 0
    unchanged = cli("stories", "--changed", "-o", str(out), "-w", str(sample_copy))
    assert unchanged.exit_code == 0 and unchanged.stdout == ""
    assert f"0 of 3 stories changed since their suites in {out}" in unchanged.stderr

    edit_story(sample_copy, KEY, *LIMIT)
    drop_criterion(sample_copy, KEY, 5)
    changed = cli("stories", "--changed", "-o", str(out), "-w", str(sample_copy))
    assert changed.exit_code == 0 and changed.stdout == f"{KEY}\n"
    assert re.search(rf"^{KEY}: AC2 changed, AC5 removed \(suite of .* UTC\)$", changed.stderr,
                     re.MULTILINE)
    assert f"1 of 3 stories changed since their suites in {out}; update them: casewright " \
        f"run {KEY} -o {out}" in changed.stderr

    lone = cli("stories", "--changed", "-w", str(sample_copy))
    assert lone.exit_code == 2
    assert lone.stderr.splitlines()[-1] == ("error: --changed and -o DIR go together: -o names "
                                            "the folder of suites; e.g. casewright stories "
                                            "--changed -o out/")


def test_stories_changed_over_rest_asks_jira_only_for_stories_updated_since(
        http: HTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Jira's `updated` narrows the search; the criteria's hashes decide."""
    out = tmp_path / "out"
    assert cli("run", "CC-101", KEY, "-p", "fixed", "-o", str(out), "-w",
               str(bundled_sample())).exit_code == 0
    issues = {issue["key"]: issue for issue in sample_issues()}
    for key in ("CC-101", KEY):  # both edited; only CC-105 after its suite, as Jira says
        text = json.dumps(issues[key]).replace("21 days", "28 days").replace(
            "from 3 to 24 months", "from 3 to 36 months")
        issues[key] = json.loads(text)
    issues[KEY]["fields"]["updated"] = "2999-01-01T00:00:00.000+0000"
    fake = FakeAtlassian(http, issues=list(issues.values()))
    connect(fake, monkeypatch)
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.chdir(project)
    result = cli("stories", "--changed", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{KEY}\n"
    (search,) = fake.requests("/rest/api/3/search/jql")
    assert re.fullmatch(rf"key in \(CC-101, {KEY}\) AND updated >= -\d+m", search.args["jql"])


def test_an_obsolete_transition_the_workflow_lacks_is_one_line(
        http: HTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A transition the team named that Jira does not offer: exit 2, naming those it does."""
    project = tmp_path / "project"
    project.mkdir()
    sample = Workspace(bundled_sample(), load_settings(bundled_sample()))
    story = sample.jira.get_story(KEY)
    first = run_fixed(story, sample.settings)
    fake = FakeAtlassian(http, issues=sample_issues())
    connect(fake, monkeypatch, CASEWRIGHT_JIRA_OBSOLETE_TRANSITION="Archive")
    monkeypatch.chdir(project)
    assert push(save_agent_run(project, [first])).exit_code == 0
    fewer = story.model_copy(update={"criteria": [c for c in story.criteria
                                                  if c.criterion_id != "AC3"]})
    later = update_suite(first, run_fixed(fewer, sample.settings))
    result = push(save_agent_run(project, [later], run_id="20260102-090000-beef"))
    gone = issue_of(fake, f"{KEY}-TC03")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"error: issue {gone['key']} has no transition 'Archive' from status 'To Do' (it offers "
        "'Start', 'Done', 'Retire'); set CASEWRIGHT_JIRA_OBSOLETE_TRANSITION to one of them, or "
        "unset it to only label the issues of obsolete cases; 4 cases were pushed before it: "
        "pushing again updates those, never duplicates them")
    assert "casewright-obsolete" in gone["fields"]["labels"], "labelled before the transition"
