"""The real `casewright` program reading Jira and Confluence over REST.

A local HTTP server (tests/rest_server.py) stands in for Jira Cloud, Jira Server/DC and
Confluence, serving the bundled sample's JSON. A run against it must write the same suites as
a run over the sample folder; every fault must be one line with its exit code; and no secret
may appear in anything written: output, errors, exports, run state, caches, memory.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from rest_server import EMAIL, PAT, TOKEN, FakeAtlassian, connect, sample_issues, sample_pages
from test_cli import assert_one_line_error, casewright

from casewright.tools.workspace import bundled_sample

SECRETS = [TOKEN, PAT, base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()]
QUICK = {"CASEWRIGHT_AGENT_OBJECTIVES_PER_CRITERION": "1", "CASEWRIGHT_AGENT_REVIEW_ROUNDS": "0",
         "CASEWRIGHT_AGENT_CRITIQUE": "false"}


def normalised(folder: Path) -> dict[str, str]:
    """Each file's text, JSON suites without their timestamps and workspace path."""
    files = {}
    for path in sorted(folder.iterdir()):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".json":
            suite = json.loads(text)
            for key in ("started_at", "finished_at", "workspace"):
                suite["provenance"].pop(key)
            text = json.dumps(suite, indent=2)
        files[path.name] = text
    return files


def workspace_run(tmp_path: Path, *args: str) -> dict[str, str]:
    """Run over a copy of the sample folder (no credentials set); return its files."""
    sample = tmp_path / "sample"
    shutil.copytree(bundled_sample(), sample)
    result = casewright("run", *args, "-o", "out", "-w", str(sample), cwd=tmp_path)
    assert result.returncode == 0 and "over REST" not in result.stderr, result.stderr
    return normalised(tmp_path / "out")


@pytest.mark.parametrize(("cloud", "selection"), [
    (True, ["--epic", "CC-1"]),
    (False, ["--epic", "CC-2"]),
    (True, ["--jql", "project = CC AND sprint in openSprints()"]),
], ids=["cloud-epic", "server-epic", "cloud-jql"])
def test_a_rest_run_writes_the_same_suites_as_the_workspace(
        http: HTTPServer, monkeypatch: pytest.MonkeyPatch, project: Path, tmp_path: Path,
        cloud: bool, selection: list[str]) -> None:
    sprint = ["CC-101", "CC-104", "CC-202"]
    fake = FakeAtlassian(http, issues=sample_issues(), cloud=cloud, page_size=2)
    fake.queries["project = CC AND sprint in openSprints()"] = sprint
    formats = ["-p", "fixed", "-f", "json,gherkin,xray"]
    monkeypatch.setenv("CASEWRIGHT_JIRA_URL", fake.url)  # the same browse links
    expected = workspace_run(tmp_path, *(sprint if "--jql" in selection else selection),
                             *formats)
    connect(fake, monkeypatch)
    result = casewright("run", *selection, *formats, "-o", "out", cwd=project)
    assert result.returncode == 0, result.stderr
    assert f"workspace: {project} (current folder)" in result.stderr
    assert f"jira: {fake.url} over REST" in result.stderr
    assert normalised(project / "out") == expected
    assert len(expected) == 3 * (3 if "--jql" in selection else 5)


def test_rest_environment_alone_reads_the_current_folder(
        http: HTTPServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    connect(FakeAtlassian(http, issues=sample_issues()), monkeypatch)
    result = casewright("run", "CC-101", "-p", "fixed", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"workspace: {tmp_path} (current folder)" in result.stderr
    assert json.loads(result.stdout)[0]["story"]["key"] == "CC-101"


@pytest.mark.parametrize(("setup", "args", "code", "message"), [
    ({"CASEWRIGHT_JIRA_TOKEN": "wrong"}, ["run", "CC-101"], 2,
     "rejected the credentials (401) reading issue 'CC-101'; check CASEWRIGHT_JIRA_EMAIL and "
     "CASEWRIGHT_JIRA_TOKEN"),
    ({}, ["run", "CC-999"], 2, "issue 'CC-999' not found in Jira at"),
    ({}, ["run", "--epic", "CC-9"], 2, "issue 'CC-9' not found in Jira at"),
    ({}, ["run", "--jql", "projekt = CC"], 2, "rejected the request for the JQL 'projekt = CC'"),
    ({}, ["run"], 2, "no stories to run; pass story keys, --epic or --jql"),
    ({"fault": 503}, ["run", "CC-101"], 1, "answered 503 reading issue 'CC-101' after 1 retries"),
    ({"fault": 200}, ["run", "CC-101"], 1, "sent malformed JSON (or none) for issue 'CC-101'"),
    ({"CASEWRIGHT_JIRA_URL": ""}, ["run", "CC-101"], 2,
     "Jira credentials are set but CASEWRIGHT_JIRA_URL is not set"),
    ({}, ["ingest", "--space", "NOPE"], 2, "Confluence space 'NOPE' at"),
], ids=["401", "404-key", "404-epic", "400-jql", "no-scope", "503", "malformed", "no-url",
        "no-space"])
def test_faults_are_one_line(http: HTTPServer, monkeypatch: pytest.MonkeyPatch, project: Path,
                             setup: dict, args: list[str], code: int, message: str) -> None:
    fake = FakeAtlassian(http, issues=sample_issues(), pages=sample_pages())
    connect(fake, monkeypatch)
    monkeypatch.setenv("CASEWRIGHT_REST_RETRIES", "1")
    monkeypatch.setenv("CASEWRIGHT_REST_MAX_WAIT", "0")
    status = setup.pop("fault", None)
    if status is not None:
        fake.fault("/rest/api/3/issue/CC-101", status, "<html>Sign in</html>")
    for name, value in setup.items():
        monkeypatch.setenv(name, value)
    result = casewright(*args, *(["-p", "fixed"] if args[0] == "run" else []), cwd=project)
    assert_one_line_error(result, code, message)
    assert not any(secret in result.stderr for secret in SECRETS)


def test_jql_and_space_need_rest(tmp_path: Path) -> None:
    result = casewright("run", "--jql", "project = CC", cwd=tmp_path)
    assert_one_line_error(result, 2, "--jql needs Jira over REST")
    result = casewright("ingest", "--space", "CCOPS", cwd=tmp_path)
    assert_one_line_error(result, 2, "--space reads Confluence over REST, which is not set up")


def everything_written(*folders: Path) -> str:
    """Every file's bytes under the folders, decoded loosely, as one text to search."""
    return "\n".join(path.read_bytes().decode("utf-8", "replace")
                     for folder in folders for path in folder.rglob("*") if path.is_file())


@pytest.mark.slow
def test_ingest_a_space_incrementally_and_no_secret_is_written(
        http: HTTPServer, monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    fake = FakeAtlassian(http, issues=sample_issues(), pages=sample_pages())
    connect(fake, monkeypatch)
    monkeypatch.setenv("CASEWRIGHT_JIRA_JQL", "project = CC")
    for name, value in QUICK.items():
        monkeypatch.setenv(name, value)
    first = casewright("ingest", "--space", "CCOPS", cwd=project)
    assert first.returncode == 0, first.stderr
    assert "space CCOPS: 5 pages, 5 fetched, 0 unchanged" in first.stderr
    second = casewright("ingest", "--space", "CCOPS", cwd=project)
    assert second.returncode == 0, second.stderr
    assert "space CCOPS: 5 pages, 0 fetched, 5 unchanged" in second.stderr
    assert second.stdout.startswith("0 added, ")
    search = casewright("search", "payment extension limit", "-k", "3", cwd=project)
    assert search.returncode == 0 and "BR-" in search.stdout, search.stderr
    agent = subprocess.run(  # the real model writes CC-205's three criteria
        [sys.executable, "-m", "casewright", "--debug", "run", "CC-205", "-f", "json,markdown",
         "-o", "out"], cwd=project, capture_output=True, text=True, timeout=600, check=False)
    assert agent.returncode == 0, agent.stderr
    assert (project / ".casewright" / "runs").is_dir()  # run record and checkpoints written
    outputs = "\n".join(r.stdout + r.stderr for r in (first, second, search, agent))
    written = everything_written(project, Path(os.environ["CASEWRIGHT_HOME"]))
    for secret in SECRETS:
        assert secret not in outputs and secret not in written


class NothingFound:
    """Stands in for the memory: no evidence (the test is about where stories come from)."""

    def search(self, query: str, *, limit: int, where: object) -> list:
        return []


def test_the_library_reads_jira_over_rest_when_the_settings_say_so(
        http: HTTPServer, monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    """`load_stories` and `generate` open the workspace as the CLI does: REST settings in the
    environment (a local server speaking Jira's REST shape), a project folder for the rest."""
    from scripted_model import ScriptedChatModel

    from casewright import generate, load_stories

    fake = FakeAtlassian(http, issues=sample_issues())
    connect(fake, monkeypatch)
    monkeypatch.chdir(project)
    (story,) = load_stories(["CC-101"], workspace=project)
    assert story.url is not None and story.url.startswith(fake.url)
    asked = len(fake.requests("/rest/api/"))
    (suite,) = generate(["CC-102"], workspace=project, memory=NothingFound(),
                        chat_model=ScriptedChatModel(script=lambda *_: "{}"))
    assert suite.story.key == "CC-102" and suite.cases
    assert len(fake.requests("/rest/api/")) > asked  # read over REST, not from a folder


@pytest.mark.slow
def test_the_langgraph_server_graph_reads_jira_over_rest(
        http: HTTPServer, monkeypatch: pytest.MonkeyPatch, project: Path) -> None:
    """The served graph opens what Settings name, as LangGraph Server runs it: the bundled
    model, the embedded memory, and Jira over REST (a local server speaking its REST shape)."""
    from langgraph.checkpoint.memory import InMemorySaver

    from casewright import server_graph

    fake = FakeAtlassian(http, issues=sample_issues())
    connect(fake, monkeypatch)
    monkeypatch.chdir(project)
    monkeypatch.setattr(server_graph, "_shared", None)  # opened afresh from these settings
    served = server_graph.graph.copy(update={"checkpointer": InMemorySaver()})
    state = served.invoke({"story_key": "CC-103"}, {"configurable": {"thread_id": "t1"}},
                          context={"max_review_rounds": 0, "reword": False})
    assert state["suite"].story.key == "CC-103" and state["suite"].cases
    assert state["suite"].story.url.startswith(fake.url)
    assert fake.requests("/rest/api/")
