"""The library entry point, `generate`, and the examples/ scripts that use it.

Fast tests bring a scripted chat model and a memory that finds nothing; the slow ones run the
bundled GGUF and the embedded Qdrant memory, as a program calling casewright would.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from scripted_model import ScriptedChatModel
from test_agent import good_answers

from casewright import InputError, Suite, generate, load_settings, load_stories
from casewright.api import agenerate
from casewright.memory.models import Hit, SearchFilter
from casewright.tools.workspace import Workspace, bundled_sample

ROOT = Path(__file__).resolve().parents[1]
QUICK = {"agent_objectives_per_criterion": 1,
         "agent_review_rounds": 0, "agent_critique": False}


answers = good_answers
"""Each node answered like a capable model: the engine's cases reworded, meaning kept."""


class NoHits:
    """A memory that is searched and finds nothing."""

    def __init__(self) -> None:
        self.queries: list[str] = []

    def search(self, query: str, *, limit: int, where: SearchFilter) -> list[Hit]:
        """Record the query; find nothing."""
        self.queries.append(query)
        return []


def covers_every_criterion(suite: Suite) -> bool:
    traced = {cid for case in suite.cases for cid in case.criterion_ids}
    return traced == {c.criterion_id for c in suite.story.criteria}


def test_keys_and_stories_with_a_fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    sample = Workspace(bundled_sample(), load_settings(bundled_sample()))
    model, memory = ScriptedChatModel(script=answers), NoHits()
    suites = generate(["CC-201", sample.jira.get_story("CC-105")], chat_model=model,
                      memory=memory, settings=load_settings(bundled_sample(), agent_reword=True,
                                                           agent_draft=False))
    assert [suite.story.key for suite in suites] == ["CC-201", "CC-105"]
    assert all(covers_every_criterion(suite) and suite.cases for suite in suites)
    assert suites[0].provenance.pipeline == "agent"
    assert suites[0].provenance.settings["model"] == "ScriptedChatModel"
    assert suites[0].provenance.settings["model_provider"] == "scripted"
    assert len(model.asked("CaseDraft")) == sum(len(suite.cases) for suite in suites)
    assert memory.queries, "the memory given is the one searched"
    approved = Path(os.environ["CASEWRIGHT_HOME"]) / "sample-workspace" / "approved"
    assert (approved / "CC-201.json").is_file()  # kept as exemplars, as `casewright run` does


def test_one_key_settings_and_a_workspace_of_your_own(sample_copy: Path) -> None:
    settings = load_settings(sample_copy, **QUICK)
    (suite,) = generate("CC-102", workspace=sample_copy, settings=settings,
                        chat_model=ScriptedChatModel(script=answers), memory=NoHits())
    assert len(suite.cases) == len(suite.story.criteria)  # one objective per criterion
    assert (sample_copy / ".casewright" / "approved" / "CC-102.json").is_file()


def test_the_async_twin_writes_the_same_suite() -> None:
    model = ScriptedChatModel(script=answers)
    (awaited,) = asyncio.run(agenerate(["CC-202"], chat_model=model, memory=NoHits()))
    (called,) = generate(["CC-202"], chat_model=model, memory=NoHits())
    assert awaited.cases and [(c.case_id, c.kind, c.criterion_ids) for c in awaited.cases] == \
        [(c.case_id, c.kind, c.criterion_ids) for c in called.cases]


def test_an_unknown_key_fails_before_any_model_call() -> None:
    model = ScriptedChatModel(script=answers)
    with pytest.raises(InputError, match="CC-999"):
        generate(["CC-101", "CC-999"], chat_model=model, memory=NoHits())
    assert model.calls == []


def test_custom_model_example_runs_with_a_fake_model(capsys: pytest.CaptureFixture[str]) -> None:
    example = runpy.run_path(str(ROOT / "examples" / "custom_model.py"))
    example["print_features"](ScriptedChatModel(script=answers), ["CC-204"], memory=NoHits())
    feature = capsys.readouterr().out
    assert feature.startswith("@CC-204") and "Scenario: " in feature


@pytest.mark.slow
def test_the_bundled_model_writes_a_small_story() -> None:
    """CC-204 on the real GGUF and the real embedded memory, with small agent limits."""
    (suite,) = generate(["CC-204"], settings=load_settings(bundled_sample(), **QUICK))
    assert covers_every_criterion(suite)
    assert re.fullmatch(r"SmolLM2-135M-Instruct-[0-9a-f]{16}\.Q8_0\.gguf",
                        suite.provenance.settings["model"])
    assert all(case.steps and case.story_key == "CC-204" for case in suite.cases)


@pytest.fixture
def one_story_epic(sample_copy: Path) -> Path:
    """A copy of the sample whose epic CC-2 holds only its smallest story, CC-205."""
    for key in ("CC-201", "CC-202", "CC-203"):
        (sample_copy / "jira" / f"{key}.json").unlink()
    backlog = sample_copy / "jira" / "search-cc2-backlog.json"
    search = json.loads(backlog.read_text(encoding="utf-8"))
    search["issues"] = [issue for issue in search["issues"] if issue["key"] == "CC-205"]
    backlog.write_text(json.dumps(search), encoding="utf-8")
    return sample_copy


def test_stories_come_from_the_workspace_the_environment_names(
        one_story_epic: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEWRIGHT_WORKSPACE", str(one_story_epic))
    assert [story.key for story in load_stories(epic="CC-2")] == ["CC-205"]
    assert [story.key for story in load_stories(["CC-101"], workspace=bundled_sample())] == \
        ["CC-101"]


@pytest.mark.slow
def test_pipeline_example_writes_xray_csv_for_an_epic(one_story_epic: Path,
                                                      tmp_path: Path) -> None:
    env = {**os.environ, "CASEWRIGHT_WORKSPACE": str(one_story_epic),
           **{f"CASEWRIGHT_{name.upper()}": str(value).lower() for name, value in QUICK.items()}}
    result = subprocess.run([sys.executable, str(ROOT / "examples" / "pipeline_xray.py"), "CC-2",
                             str(tmp_path / "out")], env=env, capture_output=True, text=True,
                            timeout=900, check=False)
    assert result.returncode == 0, result.stderr
    csv_file = tmp_path / "out" / "CC-205.xray.csv"
    assert result.stdout.startswith(f"{csv_file}: ") and result.stdout.endswith("findings\n")
    header = csv_file.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("Issue ID,Issue Key,Test Type,Test Summary")
