"""The real `casewright` program, run as a user runs it, in a subprocess."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from gherkin.parser import Parser

from casewright.config import load_settings
from casewright.models import Suite
from casewright.tools.workspace import Workspace, bundled_sample

HEAVY_MODULES = {"pydantic", "langgraph", "langchain_core", "torch", "llama_cpp", "onnxruntime",
                 "qdrant_client", "qdrant_edge", "sentence_transformers", "prompt_toolkit"}


def casewright(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run `python -m casewright ARGS` and capture stdout and stderr apart."""
    return subprocess.run([sys.executable, "-m", "casewright", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int, text: str) -> None:
    """A usage or input error: the exit code, one line on stderr naming it, no traceback."""
    assert result.returncode == code, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and text in errors[0], result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.fixture(scope="module")
def sample_stories() -> dict:
    workspace = Workspace(bundled_sample(), load_settings(bundled_sample()))
    return {story.key: story for story in workspace.jira.list_stories()}


def test_epic_to_xray_covers_every_criterion(tmp_path: Path, sample_stories: dict) -> None:
    result = casewright("run", "--epic", "CC-1", "--pipeline", "fixed", "--format", "xray",
                        "-o", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "(bundled sample)" in result.stderr and "[5/5] CC-105" in result.stderr
    files = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert files == [f"CC-10{n}.xray.csv" for n in range(1, 6)]
    for name in files:
        story = sample_stories[name.split(".")[0]]
        with (tmp_path / "out" / name).open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        summaries = [row["Test Summary"] for row in rows if row["Test Summary"]]
        assert len({row["Issue ID"] for row in rows}) == len(story.criteria) == len(summaries)
        for criterion in story.criteria:
            assert any(s.startswith(f"{story.key}-TC") and f"{criterion.criterion_id}:" in s
                       for s in summaries), (story.key, criterion.criterion_id)


def test_every_format_for_the_whole_sample(tmp_path: Path, sample_stories: dict) -> None:
    result = casewright("run", "-p", "fixed", "-f", "json,markdown,gherkin", "-f", "xray",
                        "-f", "zephyr",
                        "-f", "testrail,azure", "-o", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    assert len(list(out.iterdir())) == 7 * len(sample_stories)
    for key, story in sample_stories.items():
        document = Parser().parse((out / f"{key}.feature").read_text(encoding="utf-8"))
        scenarios = document["feature"]["children"]
        assert len(scenarios) == len(story.criteria)
        suite = Suite.model_validate_json((out / f"{key}.json").read_text(encoding="utf-8"))
        assert suite.story.key == key and suite.provenance.pipeline == "fixed"
    assert not list(out.glob(".*")), "temporary files left behind"


def test_json_to_stdout_keeps_stdout_clean(tmp_path: Path) -> None:
    result = casewright("run", "CC-101", "cc-202", "-p", "fixed", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    suites = [Suite.model_validate(item) for item in json.loads(result.stdout)]
    assert [suite.story.key for suite in suites] == ["CC-101", "CC-202"]
    assert "done: 2 stories" in result.stderr


def test_one_story_in_another_format_to_stdout(tmp_path: Path) -> None:
    result = casewright("run", "CC-201", "-p", "fixed", "--format", "gherkin", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert Parser().parse(result.stdout)["feature"]["tags"][0]["name"] == "@CC-201"


def test_story_without_criteria_warns_and_writes_an_empty_suite(sample_copy: Path) -> None:
    issue = {"key": "CC-300", "self": "https://jira.example.com/rest/api/2/issue/300",
             "fields": {"summary": "Nicer screen", "issuetype": {"name": "Story"},
                        "description": "As an agent I want a nicer screen.\n\nh3. Notes\nTBC"}}
    (sample_copy / "jira" / "CC-300.json").write_text(json.dumps(issue))
    result = casewright("run", "CC-300", "--pipeline", "fixed", cwd=sample_copy)
    assert result.returncode == 0, result.stderr
    assert "(current folder)" in result.stderr
    assert "warning: CC-300 has no acceptance criteria" in result.stderr
    (suite,) = json.loads(result.stdout)
    assert suite["cases"] == [] and suite["findings"][0]["check"] == "no-criteria"


def test_a_whole_run_goes_to_stdout_as_one_html_report_or_jsonl_stream(tmp_path: Path) -> None:
    page = casewright("run", "--epic", "CC-1", "-p", "fixed", "-f", "html", cwd=tmp_path)
    assert page.returncode == 0, page.stderr
    assert page.stdout.count("<!DOCTYPE html>") == 1
    assert page.stdout.count('<article class="story"') == 5
    assert 'table class="overview"' in page.stdout
    records = casewright("run", "--epic", "CC-1", "-p", "fixed", "-f", "jsonl", cwd=tmp_path)
    assert records.returncode == 0, records.stderr
    lines = [json.loads(line) for line in records.stdout.splitlines()]
    stories = {record["messages"][1]["content"].split("<story>\n")[1].split(":")[0]
               for record in lines}
    assert stories == {"CC-101", "CC-102", "CC-103", "CC-104", "CC-105"}
    assert list(tmp_path.iterdir()) == []


def test_stories_lists_the_sample(tmp_path: Path, sample_stories: dict) -> None:
    result = casewright("stories", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for key in sample_stories:
        assert key in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["run", "CC-999"], "unknown issue key 'CC-999'"),
    (["run", "../../x"], "'../../x' is not a Jira issue key"),
    (["run", "--epic", "CC-9"], "unknown epic 'CC-9'"),
    (["run", "CC-1"], "CC-1 is an Epic, not a story"),
    (["run", "CC-101", "-f", "pdf"], "unknown export format 'pdf'"),
    (["run", "CC-101", "--pipeline", "magic"], "unknown pipeline 'magic'"),
    (["run", "--resume", "20261123-000000-abcd"], "no run '20261123-000000-abcd'"),
    (["run", "CC-101", "--resume", "20261123-000000-abcd"], "--resume takes no story keys"),
    (["run", "--epic", "CC-1", "-f", "xray"], "--format xray writes one file per story"),
    (["run", "CC-101", "-f", "json,xray"], "several formats cannot share stdout"),
    (["run", "CC-101", "--workspace", "missing"], "workspace folder 'missing' does not exist"),
    (["stories", "--workspace", "."], "is not a casewright workspace"),
])
def test_usage_and_input_errors(tmp_path: Path, args: list[str], message: str) -> None:
    assert_one_line_error(casewright(*args, cwd=tmp_path), 2, message)
    assert list(tmp_path.iterdir()) == []


def test_malformed_workspace_file(sample_copy: Path) -> None:
    (sample_copy / "jira" / "CC-102.json").write_text('{"key": "CC-102",\n "fields": }')
    result = casewright("run", "CC-101", "-w", str(sample_copy), cwd=sample_copy)
    assert_one_line_error(result, 2, "CC-102.json: invalid JSON at line 2, column 12")


def test_unwritable_output_folder(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file, not a folder")
    result = casewright("run", "CC-101", "-o", "taken/out", cwd=tmp_path)
    assert_one_line_error(result, 2, "cannot write to output folder 'taken/out'")


def test_a_failed_write_leaves_no_partial_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "CC-102.xray.csv").mkdir(parents=True)
    result = casewright("run", "CC-101", "CC-102", "-p", "fixed", "-f", "xray", "-o", "out",
                        cwd=tmp_path)
    assert_one_line_error(result, 2, "cannot write 'out/CC-102.xray.csv'")
    assert sorted(path.name for path in out.iterdir()) == ["CC-101.xray.csv", "CC-102.xray.csv"]
    assert (out / "CC-101.xray.csv").read_text(encoding="utf-8").startswith("Issue ID,")


@pytest.mark.parametrize("args", [("run", "CC-999"), ("run", "CC-101", "-f", "pdf")])
def test_debug_adds_the_traceback_and_keeps_the_exit_code(tmp_path: Path,
                                                          args: tuple[str, ...]) -> None:
    plain = casewright(*args, cwd=tmp_path)
    debug = casewright("--debug", *args, cwd=tmp_path)
    assert plain.returncode == debug.returncode == 2, debug.stderr
    assert "Traceback" not in plain.stderr
    assert "Traceback" in debug.stderr and "InputError" in debug.stderr


def test_help_imports_nothing_heavy(tmp_path: Path) -> None:
    code = ("import sys; sys.argv = ['casewright', '--help']\nfrom casewright.cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted({m.split('.')[0] for m in sys.modules}), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                            text=True, timeout=60, check=False)
    assert "run" in result.stdout and "stories" in result.stdout
    loaded = set(json.loads(result.stderr.strip().splitlines()[-1].replace("'", '"')))
    assert loaded & HEAVY_MODULES == set()
