"""The deployment files: docker-compose.yml, the Dockerfile and langgraph.json.

Docker cannot run here, so the compose file is read, checked against what casewright reads
(every CASEWRIGHT_* variable is a real setting), and its casewright service is run on this
machine with the same environment and command, container paths and service hosts moved:
fast with the fixed pipeline, and slow with the agent against real stand-ins for the two
servers (see `test_compose_environment_writes_a_story_against_the_servers`). langgraph.json's
graph is loaded by file path and attribute, as LangGraph Server's loader does.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from gherkin.parser import Parser
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.pregel import Pregel
from scripted_model import ScriptedChatModel
from test_generate import NoHits, answers

from casewright.assembly import workspace_context
from casewright.config import Settings, load_settings
from casewright.errors import InputError
from casewright.models import Suite
from casewright.tools.workspace import Workspace, bundled_sample

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
QUICK = {"CASEWRIGHT_AGENT_OBJECTIVES_PER_CRITERION": "1", "CASEWRIGHT_AGENT_REWORD": "true",
         "CASEWRIGHT_AGENT_REVIEW_ROUNDS": "0", "CASEWRIGHT_AGENT_CRITIQUE": "false"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    """docker-compose.yml as Docker Compose reads it."""
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def setting_name(variable: str) -> str:
    """Return the Settings field a CASEWRIGHT_* variable sets."""
    return variable.removeprefix("CASEWRIGHT_").lower()


def mounts(service: dict[str, Any]) -> dict[str, str]:
    """Return a service's volumes as {container path: source}."""
    return {volume.split(":")[1]: volume.split(":")[0] for volume in service["volumes"]}


def test_compose_names_the_servers_and_configures_casewright_for_both(
        compose: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """Qdrant and llama.cpp with ports, storage and health; casewright set up to use them."""
    services = compose["services"]
    assert set(services) == {"qdrant", "llama", "casewright"}
    qdrant, llama, app = services["qdrant"], services["llama"], services["casewright"]
    assert qdrant["image"].startswith("qdrant/qdrant:") and "6333:6333" in qdrant["ports"]
    assert mounts(qdrant)["/qdrant/storage"] in compose["volumes"]
    assert llama["image"].startswith("ghcr.io/ggml-org/llama.cpp:server")
    assert "8080:8080" in llama["ports"]
    model = llama["command"][llama["command"].index("--model") + 1]
    assert mounts(llama)[str(Path(model).parent)] == "./models"
    for server in (qdrant, llama):
        assert server["healthcheck"]["test"]
    assert app["depends_on"] == {name: {"condition": "service_healthy"}
                                 for name in ("qdrant", "llama")}
    assert (ROOT / app["build"]["dockerfile"]).is_file()

    environment = app["environment"]
    assert {setting_name(name) for name in environment} <= set(Settings.model_fields)
    for name, value in environment.items():  # the autouse fixture dropped the developer's
        monkeypatch.setenv(name, value)
    settings = Settings()
    assert settings.model_provider == "openai"
    model_url, qdrant_url = urlsplit(settings.model_base_url), urlsplit(settings.qdrant_url)
    assert f"{model_url.hostname}:{model_url.port}" == "llama:8080"
    assert f"{qdrant_url.hostname}:{qdrant_url.port}" == "qdrant:6333"
    output = app["command"][app["command"].index("-o") + 1]
    assert {str(settings.workspace), str(settings.home), output} <= set(mounts(app))
    assert {source for source in mounts(app).values() if not source.startswith(".")} \
        <= set(compose["volumes"])


def moved_here(compose: dict[str, Any],
               places: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """Return the casewright service's environment and command with `places` moved."""
    app = compose["services"]["casewright"]
    left = [value for value in [*app["environment"].values(), *app["command"]]
            if value not in places and (value.startswith("/") or "//" in value)]
    assert not left, f"container paths or service hosts not moved: {left}"
    environment = {name: places.get(value, value) for name, value in app["environment"].items()}
    command = [places.get(arg, arg) for arg in app["command"]]
    inherited = {name: value for name, value in os.environ.items()
                 if not name.startswith("CASEWRIGHT_")}
    return {**inherited, **environment}, command


def test_compose_command_and_environment_run_here_with_the_fixed_pipeline(
        compose: dict[str, Any], sample_copy: Path, tmp_path: Path) -> None:
    """The service's own command and environment, paths moved, `-p fixed` added: no servers."""
    out = tmp_path / "out"
    environment, command = moved_here(compose, {
        "/workspace": str(sample_copy), "/data/casewright": str(tmp_path / "home"),
        "/out": str(out), "http://llama:8080/v1": "http://127.0.0.1:9/v1",
        "http://qdrant:6333": "http://127.0.0.1:9"})

    result = subprocess.run([sys.executable, "-m", "casewright", *command, "-p", "fixed"],
                            cwd=tmp_path, env=environment, capture_output=True, text=True,
                            timeout=120, check=False)

    assert result.returncode == 0, result.stderr
    keys = [story.key for story in
            Workspace(sample_copy, load_settings(sample_copy)).jira.list_stories()]
    assert sorted(path.name for path in out.iterdir()) == sorted(
        f"{key}{suffix}" for key in keys for suffix in (".json", ".feature", ".xray.csv"))
    for key in keys:
        Parser().parse((out / f"{key}.feature").read_text(encoding="utf-8"))


def test_dockerfile_builds_and_installs_the_package_as_its_entrypoint() -> None:
    """It builds a wheel of this folder, installs that project, and runs its console script."""
    lines = (ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ").splitlines()
    instructions = [line.split(maxsplit=1) for line in lines
                    if line.strip() and not line.startswith("#")]
    runs = [rest for word, rest in instructions if word == "RUN"]
    assert any("pip wheel" in run and run.split()[-1] == "." for run in runs)
    assert any("pip install" in run and PROJECT["name"] in run.split() for run in runs)
    entrypoint = json.loads(next(rest for word, rest in instructions if word == "ENTRYPOINT"))
    assert entrypoint == list(PROJECT["scripts"])
    bases = [rest.split()[0] for word, rest in instructions if word == "FROM"]
    minimum = PROJECT["requires-python"].removeprefix(">=")
    assert all(base == f"python:{minimum}-slim" for base in bases)


def load_graph_as_langgraph_api_does(spec: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Import `path.py:attribute` (relative to langgraph.json) by file path; return it."""
    path, attribute = spec.rsplit(":", 1)
    name = "langgraph_json_graph"
    module_spec = importlib.util.spec_from_file_location(name, ROOT / path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    monkeypatch.setitem(sys.modules, name, module)
    module_spec.loader.exec_module(module)
    return module, getattr(module, attribute)


def test_langgraph_json_serves_the_agent_graph(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loaded through the path langgraph.json names, the graph runs a story.

    It gets the context LangGraph Server passes (the client's JSON) and a checkpointer of the
    server's, as the server's loader copies one in. LangGraph Server itself (langgraph-api)
    is not installed here; the chat model is scripted and the memory finds nothing.
    """
    config = json.loads((ROOT / "langgraph.json").read_text(encoding="utf-8"))
    assert config["dependencies"] == ["."] and (ROOT / "pyproject.toml").is_file()
    assert {setting_name(name) for name in config["env"]} <= set(Settings.model_fields)
    module, graph = load_graph_as_langgraph_api_does(config["graphs"]["casewright"],
                                                     monkeypatch)
    assert isinstance(graph, Pregel)
    nodes = set(graph.get_graph(xray=True).nodes)
    assert {f"agent:{node}" for node in ("planner", "retriever", "writer", "reviewer")} <= nodes
    assert graph.get_input_jsonschema()["required"] == ["story_key"]
    options = graph.get_context_jsonschema()["properties"]
    assert {"max_review_rounds", "critique"} <= set(options) == set(module.RUN_OPTIONS)

    sample = Workspace(bundled_sample(), load_settings(bundled_sample()))
    model = ScriptedChatModel(script=answers)
    module.use(workspace_context(sample, sample.settings, model, NoHits(), {"model": "scripted"},
                                 lambda line: None), sample.jira)
    served = graph.copy(update={"checkpointer": InMemorySaver()})
    state = served.invoke({"story_key": "CC-101"}, {"configurable": {"thread_id": "t1"}},
                          context={"max_review_rounds": 0, "reword": False})

    suite = state["suite"]
    assert isinstance(suite, Suite) and suite.story.key == "CC-101"
    assert {cid for case in suite.cases for cid in case.criterion_ids} == {
        criterion.criterion_id for criterion in suite.story.criteria}
    assert not model.asked("CaseDraft")  # reword off, as the run's context asked
    with pytest.raises(InputError, match="context 'chat_model' cannot be set per run"):
        served.invoke({"story_key": "CC-101"}, {"configurable": {"thread_id": "t2"}},
                      context={"chat_model": "another"})


@pytest.mark.slow
def test_compose_environment_writes_a_story_against_the_servers(
        compose: dict[str, Any], llama_server: str, sample_copy: Path, tmp_path: Path) -> None:
    """The casewright service's environment and command, run on this machine for CC-101.

    Stand-ins for the servers: `python -m llama_cpp.server` on loopback serving the bundled
    GGUF (the llama service's place), and qdrant-client's local mode for the Qdrant server
    (`CASEWRIGHT_QDRANT_URL=:memory:`): the server code path (memory/server.py's
    ServerStore) runs unchanged on qdrant-client's own local engine. To keep it short the
    agent writes one case per criterion, with no model objectives, review rounds or
    critique (QUICK).
    """
    out = tmp_path / "out"
    environment, command = moved_here(compose, {
        "/workspace": str(sample_copy), "/data/casewright": str(tmp_path / "home"),
        "/out": str(out), "http://llama:8080/v1": llama_server,
        "http://qdrant:6333": ":memory:"})

    casewright = Path(sys.executable).with_name("casewright")
    result = subprocess.run([str(casewright), *command, "CC-101"],
                            cwd=tmp_path, env={**environment, **QUICK}, capture_output=True,
                            text=True, timeout=900, check=False)

    assert result.returncode == 0, result.stderr
    assert "memory: " in result.stderr and " chunks added" in result.stderr
    suite = Suite.model_validate_json((out / "CC-101.json").read_text(encoding="utf-8"))
    assert {cid for case in suite.cases for cid in case.criterion_ids} == {
        criterion.criterion_id for criterion in suite.story.criteria}
    assert suite.provenance.settings["model_provider"] == "openai"
    assert suite.provenance.settings["model_base_url"] == llama_server
    assert (out / "CC-101.feature").is_file() and (out / "CC-101.xray.csv").is_file()
