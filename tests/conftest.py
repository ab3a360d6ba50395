"""Shared fixtures: an isolated casewright home and environment for every test."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from casewright.tools.workspace import bundled_sample

FIXTURES = Path(__file__).parent / "fixtures"
pytest_plugins = ["rest_server", "llama_server"]  # local Jira/Confluence, model server


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point CASEWRIGHT_HOME at a temp dir and drop any CASEWRIGHT_* the developer has set."""
    for name in list(os.environ):
        if name.startswith("CASEWRIGHT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CASEWRIGHT_HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture
def load_fixture() -> Callable[[str], Any]:
    """Load a JSON fixture; atlassian-python-api files wrap the response in {query: response}."""

    def load(relative: str) -> Any:
        document = json.loads((FIXTURES / relative).read_text(encoding="utf-8"))
        if relative.startswith("atlassian/atlassian-python-api/"):
            return next(iter(document.values()))
        return document

    return load


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """A writable copy of the bundled sample workspace."""
    target = tmp_path / "workspace"
    shutil.copytree(bundled_sample(), target)
    return target
