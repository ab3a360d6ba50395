"""`casewright push RUN_ID --to jira` against a local server standing in for Jira Cloud and Server.

The server (tests/rest_server.py) keeps the issues and links it is sent, so what a push wrote
can be counted: one issue per approved case, linked to its story, updated (never duplicated)
by a second push. Runs are made without a model: fixed-pipeline suites of the bundled sample's
stories, written into a run's checkpoints the way an agent run leaves them.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from rest_server import EMAIL, PAT, TOKEN, FakeAtlassian, sample_issues
from typer.testing import CliRunner

from casewright.agents.checkpoints import compile_agent, open_checkpointer, thread
from casewright.agents.fixed_pipeline import run_fixed
from casewright.cli import app
from casewright.config import load_settings
from casewright.models import Finding, Suite
from casewright.push import PushReport, push_suites, run_suites
from casewright.run_records import RunRecord, save_run
from casewright.tools.adf import adf_to_blocks
from casewright.tools.jira_push import JiraWriter
from casewright.tools.wiki import case_wiki, wiki_to_blocks
from casewright.tools.workspace import Workspace, bundled_sample

SECRETS = [TOKEN, PAT, base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()]
RUN_ID = "20260101-120000-abcd"
QUICK_FAULTS = {"CASEWRIGHT_REST_RETRIES": "1", "CASEWRIGHT_REST_MAX_WAIT": "0"}


@pytest.fixture(scope="module")
def sample() -> Workspace:
    return Workspace(bundled_sample(), load_settings(bundled_sample()))


def reviewed(suite: Suite) -> Suite:
    """CC-101's four cases with every kind of verdict.

    TC01 clean (approved), TC02 with an open finding (not approved), TC03 rejected by a
    person, TC04 approved by a person despite its finding.
    """
    cases = list(suite.cases)
    cases[2] = cases[2].model_copy(update={"labels": [*cases[2].labels, "rejected"]})
    cases[3] = cases[3].model_copy(update={"labels": [*cases[3].labels, "approved"]})
    findings = [Finding(check="vague", message="step 2 is vague", case_id=case.case_id)
                for case in (cases[1], cases[3])]
    return suite.model_copy(update={"cases": cases, "findings": findings})


def suites_for(sample: Workspace, *keys: str) -> list[Suite]:
    suites = [run_fixed(sample.jira.get_story(key), sample.settings) for key in keys]
    return [reviewed(suite) if suite.story.key == "CC-101" else suite for suite in suites]


def save_agent_run(folder: Path, suites: Sequence[Suite], *, unfinished: Sequence[str] = (),
                   run_id: str = RUN_ID, sample: Workspace | None = None) -> str:
    """Record a run and checkpoint its stories as an agent run does; return its id.

    Finished stories end in `finish` with their suite; unfinished ones stop after the planner.
    """
    state = folder / ".casewright"
    keys = [suite.story.key for suite in suites] + list(unfinished)
    save_run(state, RunRecord(run_id=run_id, created_at=datetime.now(UTC),
                              workspace=str(folder), story_keys=keys, pipeline="agent",
                              formats=["json"], output=None))
    checkpointer = open_checkpointer(state)
    graph = compile_agent(checkpointer)
    for suite in suites:
        graph.update_state(thread(run_id, suite.story.key),
                           {"story": suite.story, "suite": suite}, as_node="finish")
    for key in unfinished:
        assert sample is not None
        graph.update_state(thread(run_id, key), {"story": sample.jira.get_story(key)},
                           as_node="planner")
    checkpointer.conn.close()
    return run_id


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with only a casewright.toml: Jira is remote."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "casewright.toml").write_text('criteria_field = "customfield_10200"\n',
                                            encoding="utf-8")
    return folder


def connect(fake: FakeAtlassian, monkeypatch: pytest.MonkeyPatch, project: Path,
            **extra: str) -> None:
    for name, value in {**fake.environment(), **extra}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(project)


def push(*args: str):
    """Run `casewright push ARGS` in this process; stdout and stderr apart."""
    return CliRunner().invoke(app, ["push", *args], catch_exceptions=False)


def one_line_error(result, code: int, text: str) -> str:
    assert result.exit_code == code, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and text in errors[0], result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    return errors[0]


def creates(fake: FakeAtlassian) -> int:
    """How many create-issue requests the server received."""
    return sum(request.method == "POST" and request.path == f"/rest/api/{fake.version}/issue"
               for request, _ in fake.server.log)


def writes(fake: FakeAtlassian) -> list[str]:
    return [f"{request.method} {request.path}" for request, _ in fake.server.log
            if request.method in {"POST", "PUT", "DELETE"}]


def test_cloud_push_creates_one_linked_test_per_approved_case_with_adf_steps(
        http: HTTPServer, monkeypatch: pytest.MonkeyPatch, project: Path,
        sample: Workspace) -> None:
    fake = FakeAtlassian(http, issues=sample_issues())
    suites = suites_for(sample, "CC-101", "CC-102")
    run_id = save_agent_run(project, suites)
    connect(fake, monkeypatch, project)
    result = push(run_id, "--to", "jira")
    assert result.exit_code == 0, result.stderr
    pushed = ["CC-101-TC01", "CC-101-TC04", *(case.case_id for case in suites[1].cases)]
    assert len(fake.created) == len(pushed) == 6
    by_case = {next(label for label in issue["fields"]["labels"]
                    if label.startswith("casewright-CC")).removeprefix("casewright-"): issue
               for issue in fake.created.values()}
    assert sorted(by_case) == sorted(pushed)
    lines = result.stdout.splitlines()
    assert lines[0] == f"CC-101-TC01 created {by_case['CC-101-TC01']['key']}, linked to CC-101"
    assert lines[1].startswith("CC-101-TC02 skipped: not approved (an open review finding")
    assert lines[2] == "CC-101-TC03 skipped: rejected by a person"
    assert lines[-1] == f"6 created, 0 updated, 2 skipped (not approved) in Jira at {fake.url}"
    assert "[8/8] CC-102-TC04 created" in result.stderr

    case = suites[0].cases[0]
    fields = by_case["CC-101-TC01"]["fields"]
    assert fields["project"] == {"key": "CC"} and fields["issuetype"] == {"name": "Test"}
    assert fields["summary"] == f"CC-101-TC01: {case.title}"
    assert fields["labels"][:2] == ["casewright", "casewright-CC-101-TC01"]
    assert "approved" not in by_case["CC-101-TC04"]["fields"]["labels"]
    blocks = adf_to_blocks(fields["description"])
    rows = [block.text for block in blocks if block.kind == "row"]
    assert len(rows) == 1 + len(case.steps)
    assert case.steps[0].action in rows[1] and case.steps[0].expected in rows[1]
    assert any(block.text == f"Objective: {case.objective}" for block in blocks)

    assert len(fake.links) == 6
    assert [(link["type"], link["outward"]) for link in fake.links] == \
        [("Relates", "CC-101")] * 2 + [("Relates", "CC-102")] * 4
    assert {link["inward"] for link in fake.links} == set(fake.created)


def test_server_push_writes_wiki_markup_and_xray_test_links(
        http: HTTPServer, monkeypatch: pytest.MonkeyPatch, project: Path,
        sample: Workspace) -> None:
    fake = FakeAtlassian(http, issues=sample_issues(), cloud=False)
    run_id = save_agent_run(project, suites_for(sample, "CC-102"))
    connect(fake, monkeypatch, project, CASEWRIGHT_JIRA_TEST_LINK_TYPE="Test")
    result = push(run_id, "--to", "jira")
    assert result.exit_code == 0, result.stderr
    assert fake.requests("/rest/api/2/issue") and not fake.requests("/rest/api/3/")
    issue = fake.created["CC-206"]
    description = issue["fields"]["description"]
    assert isinstance(description, str)
    assert "||#||Action||Data||Expected result||" in description
    case = run_fixed(sample.jira.get_story("CC-102"), sample.settings).cases[0]
    rows = [block.text for block in wiki_to_blocks(description) if block.kind == "row"]
    assert len(rows) == 1 + len(case.steps) and case.steps[0].action in rows[1]
    assert {link["type"] for link in fake.links} == {"Test"}
    test_view = fake._view(issue)["fields"]["issuelinks"]
    assert test_view == [{"id": fake.links[0]["id"], "type": {
        "name": "Test", "inward": "is tested by", "outward": "tests"},
        "outwardIssue": {"key": "CC-102"}}]  # CC-206 "tests" CC-102


def test_a_second_push_updates_and_never_duplicates(
        http: HTTPServer, monkeypatch: pytest.MonkeyPatch, project: Path,
        sample: Workspace) -> None:
    fake = FakeAtlassian(http, issues=sample_issues())
    connect(fake, monkeypatch, project)
    first = push(save_agent_run(project, suites_for(sample, "CC-101")), "--to", "jira")
    assert first.exit_code == 0, first.stderr
    created, links = dict(fake.created), list(fake.links)
    key = next(iter(created))
    fake.created[key]["fields"]["labels"].append("team-label")  # a person's own label

    again = push(RUN_ID, "--to", "jira")
    assert again.exit_code == 0, again.stderr
    assert again.stdout.splitlines()[0] == f"CC-101-TC01 updated {key}"
    assert again.stdout.splitlines()[-1].startswith("0 created, 2 updated, 2 skipped")
    assert fake.created.keys() == created.keys() and fake.links == links

    # A later run of the same story: the same positional case ids, new wording.
    later = suites_for(sample, "CC-101")[0]
    later.cases[0] = later.cases[0].model_copy(update={"title": "Grant a short extension"})
    third = push(save_agent_run(project, [later], run_id="20260102-090000-beef"), "--to", "jira")
    assert third.exit_code == 0, third.stderr
    assert fake.created.keys() == created.keys() and fake.links == links
    fields = fake.created[key]["fields"]
    assert fields["summary"] == "CC-101-TC01: Grant a short extension"
    assert "team-label" in fields["labels"] and "casewright-CC-101-TC01" in fields["labels"]
    assert len(fake.requests("/rest/api/3/issueLink")) == 2


def test_dry_run_reads_but_writes_nothing(http: HTTPServer, monkeypatch: pytest.MonkeyPatch,
                                          project: Path, sample: Workspace) -> None:
    fake = FakeAtlassian(http, issues=sample_issues())
    connect(fake, monkeypatch, project)
    run_id = save_agent_run(project, suites_for(sample, "CC-101"))
    dry = push(run_id, "--to", "jira", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert writes(fake) == [] and fake.requests("/rest/api/3/search/jql")
    lines = dry.stdout.splitlines()
    assert lines[0].startswith("CC-101-TC01 would create (story CC-101): CC-101-TC01: AC1")
    assert lines[-1] == (f"dry run: 2 to create, 0 to update, 2 skipped (not approved) in Jira "
                         f"at {fake.url}; nothing written")

    assert push(run_id, "--to", "jira").exit_code == 0
    before = len(writes(fake))
    dry = push(run_id, "--to", "jira", "--dry-run")
    assert len(writes(fake)) == before
    key = next(iter(fake.created))
    assert dry.stdout.splitlines()[0].startswith(
        f"CC-101-TC01 would update as {key} (story CC-101): ")


def test_an_unfinished_story_is_skipped_with_a_warning(
        http: HTTPServer, monkeypatch: pytest.MonkeyPatch, project: Path,
        sample: Workspace) -> None:
    fake = FakeAtlassian(http, issues=sample_issues())
    connect(fake, monkeypatch, project)
    run_id = save_agent_run(project, suites_for(sample, "CC-102"), unfinished=["CC-103"],
                            sample=sample)
    result = push(run_id, "--to", "jira")
    assert result.exit_code == 0, result.stderr
    assert (f"warning: CC-103 did not finish in run {run_id}, so it is not pushed; finish it "
            f"with `casewright run --resume {run_id}`") in result.stderr
    assert {issue["fields"]["summary"][:6] for issue in fake.created.values()} == {"CC-102"}

    nothing = save_agent_run(project, [], unfinished=["CC-103"], sample=sample,
                             run_id="20260103-000000-0000")
    one_line_error(push(nothing, "--to", "jira"), 2,
                   f"run {nothing} has no finished story to push; finish it with "
                   f"`casewright run --resume {nothing}`")


@pytest.mark.parametrize(("run_id", "message"), [
    ("20990101-000000-ffff", "no run '20990101-000000-ffff' in"),
    ("CC-101", "'CC-101' is not a run id"),
], ids=["unknown", "malformed"])
def test_an_unknown_run_is_one_line(http: HTTPServer, monkeypatch: pytest.MonkeyPatch,
                                    project: Path, run_id: str, message: str) -> None:
    connect(FakeAtlassian(http, issues=sample_issues()), monkeypatch, project)
    one_line_error(push(run_id, "--to", "jira"), 2, message)


def test_push_needs_jira_over_rest(sample_copy: Path, monkeypatch: pytest.MonkeyPatch,
                                   sample: Workspace) -> None:
    save_agent_run(sample_copy, suites_for(sample, "CC-102"))
    result = push(RUN_ID, "--to", "jira", "-w", str(sample_copy))
    one_line_error(result, 2, "push needs Jira over REST; this workspace reads jira/*.json; set "
                   "CASEWRIGHT_JIRA_URL with CASEWRIGHT_JIRA_EMAIL and CASEWRIGHT_JIRA_TOKEN "
                   "(Cloud) or CASEWRIGHT_JIRA_PAT (Server/DC)")
    one_line_error(push(RUN_ID, "--to", "xray", "-w", str(sample_copy)), 2,
                   "cannot push to 'xray'; use --to jira")


@pytest.mark.parametrize(("fault", "code", "message"), [
    ({"env": {"CASEWRIGHT_JIRA_TOKEN": "wrong"}}, 2,
     "rejected the credentials (401) reading the issues of CC-102's cases pushed before; check "
     "CASEWRIGHT_JIRA_EMAIL and CASEWRIGHT_JIRA_TOKEN"),
    ({"path": "/rest/api/3/issue", "status": 403}, 2,
     "refused access to a new Test issue for CC-102-TC01 in project CC (403); the account "
     "behind CASEWRIGHT_JIRA_EMAIL and CASEWRIGHT_JIRA_TOKEN lacks permission"),
    ({"path": "/rest/api/3/issue", "status": 429, "headers": {"Retry-After": "0"}}, 1,
     "answered 429 creating a new Test issue for CC-102-TC01 in project CC after 1 retries"),
    ({"path": "/rest/api/3/search/jql", "status": 503}, 1,
     "answered 503 reading the issues of CC-102's cases pushed before after 1 retries"),
    ({"path": "/rest/api/3/issue", "status": 200, "body": "<html>Sign in</html>"}, 1,
     "sent malformed JSON (or none) for a new Test issue for CC-102-TC01 in project CC"),
    ({"env": {"CASEWRIGHT_JIRA_TEST_ISSUE_TYPE": "Testcase"}}, 2,
     "rejected the request for a new Testcase issue for CC-102-TC01 in project CC (400): "
     "Specify a valid issue type; check that CASEWRIGHT_JIRA_TEST_ISSUE_TYPE ('Testcase')"),
    ({"env": {"CASEWRIGHT_JIRA_TEST_LINK_TYPE": "Covers"}}, 2,
     "check that CASEWRIGHT_JIRA_TEST_LINK_TYPE ('Covers') is an issue link type of this site"),
], ids=["401", "403", "429", "503", "malformed", "400-issue-type", "404-link-type"])
def test_faults_are_one_line(http: HTTPServer, monkeypatch: pytest.MonkeyPatch, project: Path,
                             sample: Workspace, fault: dict, code: int, message: str) -> None:
    fake = FakeAtlassian(http, issues=sample_issues())
    connect(fake, monkeypatch, project, **QUICK_FAULTS, **fault.get("env", {}))
    if "path" in fault:
        fake.fault(fault["path"], fault["status"], fault.get("body", ""),
                   headers=fault.get("headers"))
    result = push(save_agent_run(project, suites_for(sample, "CC-102")), "--to", "jira")
    line = one_line_error(result, code, message)
    assert not any(secret in result.stderr for secret in SECRETS), line


def test_429_on_create_waits_as_told_and_goes_on(
        http: HTTPServer, monkeypatch: pytest.MonkeyPatch, project: Path,
        sample: Workspace) -> None:
    fake = FakeAtlassian(http, issues=sample_issues())
    connect(fake, monkeypatch, project)
    fake.fault("/rest/api/3/issue", 429, '{"errorMessages": ["Rate limit exceeded."]}',
               times=1, headers={"Retry-After": "1"})
    began = time.perf_counter()
    result = push(save_agent_run(project, suites_for(sample, "CC-102")), "--to", "jira")
    assert result.exit_code == 0, result.stderr
    assert time.perf_counter() - began >= 1
    assert creates(fake) == len(fake.created) + 1 == 5  # the first sent again, once


def test_a_create_that_may_have_happened_is_not_retried_and_the_error_says_what_was_pushed(
        http: HTTPServer, monkeypatch: pytest.MonkeyPatch, project: Path,
        sample: Workspace) -> None:
    fake = FakeAtlassian(http, issues=sample_issues())
    connect(fake, monkeypatch, project, **QUICK_FAULTS)
    http.expect_oneshot_request("/rest/api/3/issue", method="POST") \
        .respond_with_handler(fake._create)  # the first case goes through
    fake.fault("/rest/api/3/issue", 500, '{"errorMessages": ["Internal server error"]}')
    result = push(save_agent_run(project, suites_for(sample, "CC-102")), "--to", "jira")
    one_line_error(result, 1, "answered 500 creating a new Test issue for CC-102-TC02 in "
                   "project CC (not retried)")
    assert "1 case was pushed before it: pushing again updates those" in result.stderr
    assert creates(fake) == 2 and len(fake.created) == 1  # the 500 was not sent again


def test_push_suites_is_a_library_call_for_chat(http: HTTPServer, sample: Workspace) -> None:
    fake = FakeAtlassian(http, issues=sample_issues(), cloud=False)
    settings = load_settings(bundled_sample(), jira_url=fake.url, jira_pat=PAT)
    writer = JiraWriter.from_settings(settings)
    assert writer is not None
    lines: list[str] = []
    suites = suites_for(sample, "CC-101")
    report = push_suites(suites, writer, progress=lines.append)
    assert isinstance(report, PushReport) and len(lines) == len(report.items) == 4
    assert [(item.case_id, item.action) for item in report.items] == [
        ("CC-101-TC01", "create"), ("CC-101-TC02", "skip"), ("CC-101-TC03", "skip"),
        ("CC-101-TC04", "create")]
    assert [item.key for item in report.items] == ["CC-206", None, None, "CC-207"]
    again = push_suites(suites, writer, dry_run=True)
    assert [item.action for item in again.items] == ["update", "skip", "skip", "update"]
    assert not any(item.linked for item in again.items)
    assert fake.created["CC-206"]["fields"]["description"] == \
        case_wiki(suites[0].cases[0], suites[0].story)


def test_run_suites_reads_a_run_s_checkpoints(tmp_path: Path, sample: Workspace) -> None:
    suites = suites_for(sample, "CC-101", "CC-102")
    save_agent_run(tmp_path, suites, unfinished=["CC-103"], sample=sample)
    warnings: list[str] = []
    assert run_suites(tmp_path / ".casewright", RUN_ID, warnings.append) == suites
    assert len(warnings) == 1 and "CC-103" in warnings[0]


def test_no_secret_is_printed_or_written(http: HTTPServer, monkeypatch: pytest.MonkeyPatch,
                                         project: Path, sample: Workspace) -> None:
    """The real program, in a subprocess: a dry run, a push, a failing push."""
    fake = FakeAtlassian(http, issues=sample_issues())
    connect(fake, monkeypatch, project)
    run_id = save_agent_run(project, suites_for(sample, "CC-101", "CC-102"))
    results = [subprocess.run([sys.executable, "-m", "casewright", *before, "push", run_id,
                               "--to", "jira", *after], cwd=project, capture_output=True,
                              text=True, timeout=120, check=False)
               for before, after in (([], ["--dry-run"]), ([], []), (["--debug"], []))]
    assert [result.returncode for result in results] == [0, 0, 0], results[-1].stderr
    fake.fault("/rest/api/3/search/jql", 401, '{"errorMessages": ["Unauthorized"]}')
    failed = subprocess.run([sys.executable, "-m", "casewright", "push", run_id, "--to", "jira"],
                            cwd=project, capture_output=True, text=True, timeout=120,
                            check=False)
    assert failed.returncode == 2
    printed = "\n".join(result.stdout + result.stderr for result in [*results, failed])
    written = "\n".join(path.read_bytes().decode("utf-8", "replace")
                        for folder in (project, Path(os.environ["CASEWRIGHT_HOME"]))
                        for path in folder.rglob("*") if path.is_file())
    assert "created" in printed and "updated" in printed
    for secret in SECRETS:
        assert secret not in printed and secret not in written
