"""The agent end to end on real parts: the bundled GGUF through llama.cpp, the embedded Qdrant
engine (qdrant-edge) with the ONNX MiniLM embedder, the sample workspace, and the real CLI.

Slow: each test writes real cases on the CPU. One casewright home is shared by the module, so
the bundled model's Q8_0 cache is made once.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from casewright.models import Suite
from casewright.quality import degenerate_problems

pytestmark = pytest.mark.slow

QUICK = {"CASEWRIGHT_AGENT_OBJECTIVES_PER_CRITERION": "2", "CASEWRIGHT_AGENT_REVIEW_ROUNDS": "1",
         "CASEWRIGHT_AGENT_REWORD": "true", "CASEWRIGHT_AGENT_CRITIQUE": "false"}


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("shared-home")


@pytest.fixture
def env(home: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("CASEWRIGHT_HOME", str(home))
    return {**os.environ, "CASEWRIGHT_HOME": str(home)}


def casewright(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "casewright", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=900, check=False)


def test_a_whole_story_covered_grounded_and_honest(tmp_path: Path, env: dict[str, str]) -> None:
    """CC-204 (4 criteria, rules BR-31/34/35) through the full loop, the model rewording."""
    result = casewright("run", "CC-204", "-f", "json", "-o", "out", cwd=tmp_path,
                        env={**env, "CASEWRIGHT_AGENT_REWORD": "true"})
    assert result.returncode == 0, result.stderr
    for node in ("planner:", "retriever:", "writer 1/", "reviewer round 1"):
        assert node in result.stderr
    suite = Suite.model_validate_json((tmp_path / "out" / "CC-204.json").read_text())
    criteria = {c.criterion_id for c in suite.story.criteria}
    assert {cid for case in suite.cases for cid in case.criterion_ids} == criteria
    assert len(suite.cases) > len(criteria)
    evidence = {source.source_id for source in suite.sources}
    assert {rule for case in suite.cases for rule in case.rule_ids} <= evidence
    assert all(source.url for source in suite.sources)
    flagged = {finding.case_id for finding in suite.findings}
    for case in suite.cases:
        if degenerate_problems(case, suite.story):
            assert case.case_id in flagged, case.case_id
    assert re.fullmatch(r"SmolLM2-135M-Instruct-[0-9a-f]{16}\.Q8_0\.gguf",
                        suite.provenance.settings["model"])


def test_kill_between_stories_then_resume(tmp_path: Path, env: dict[str, str]) -> None:
    """Kill the real CLI after its first story, resume by run id: the first is not redone."""
    quick = {**env, **QUICK}
    process = subprocess.Popen(
        [sys.executable, "-m", "casewright", "run", "CC-205", "CC-203", "-f", "json", "-o", "out"],
        cwd=tmp_path, env=quick, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    lines = []
    assert process.stderr is not None
    for line in process.stderr:
        lines.append(line)
        if line.startswith("[2/2] CC-203"):
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=60)
    run_id = next(line.split()[2] for line in lines if line.startswith("run id:"))
    assert (tmp_path / "out" / "CC-205.json").is_file()
    assert not (tmp_path / "out" / "CC-203.json").exists()

    result = casewright("run", "--resume", run_id, cwd=tmp_path, env=quick)
    assert result.returncode == 0, result.stderr
    assert "CC-205: " in result.stderr and "(done in an earlier session)" in result.stderr
    assert result.stderr.count("planner:") <= 1  # CC-205 was not planned again
    first = json.loads((tmp_path / "out" / "CC-205.json").read_text())
    assert first["story"]["key"] == "CC-205"
    assert Suite.model_validate_json((tmp_path / "out" / "CC-203.json").read_text()).cases


def test_compare_shows_what_the_agent_adds(tmp_path: Path, env: dict[str, str]) -> None:
    """`casewright compare --json` on a real story: more conditions, no criterion lost."""
    result = casewright("compare", "CC-201", "--json", cwd=tmp_path, env={**env, **QUICK})
    assert result.returncode == 0, result.stderr
    assert "fixed pipeline vs agent" in result.stderr
    assert "agent: the model drafted each case, the engine checked it" in \
        " ".join(result.stderr.split()), "drafting is the default: compare says so"
    scores = json.loads(result.stdout)
    fixed, agent = scores["fixed"]["summary"], scores["agent"]["summary"]
    assert fixed["coverage"] == agent["coverage"] == 1.0
    assert agent["conditions"] > fixed["conditions"]
    assert agent["criteria"] == fixed["criteria"] == 4
