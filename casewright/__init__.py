"""casewright: turn Jira stories into reviewed, traceable UAT test cases.

    from casewright import generate, get_exporter
    for suite in generate(["CC-205"]):          # the bundled sample, the bundled model
        print(get_exporter("gherkin").render(suite))

The public names load lazily, so `casewright --help` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casewright.version import __version__

_SOURCE_TREE = Path(__file__).resolve().parent.parent
if (_SOURCE_TREE / "pyproject.toml").is_file() and (_SOURCE_TREE / "agents").is_dir():
    # Imported from a clone (its root on sys.path, shadowing an installed casewright): the
    # subpackages that pyproject.toml maps from top-level folders (agents/, tools/, memory/,
    # prompts/) are found beside this folder, as the installed package has them.
    __path__.append(str(_SOURCE_TREE))

_EXPORTS = {
    "generate": "casewright.api",
    "agenerate": "casewright.api",
    "load_stories": "casewright.api",
    "build_graph": "casewright.agents.graph",
    "AgentContext": "casewright.agents.context",
    "get_exporter": "casewright.exports",
    "load_settings": "casewright.config",
    "AcceptanceCriterion": "casewright.models",
    "Finding": "casewright.models",
    "Page": "casewright.models",
    "Provenance": "casewright.models",
    "Rule": "casewright.models",
    "Source": "casewright.models",
    "Step": "casewright.models",
    "Story": "casewright.models",
    "Suite": "casewright.models",
    "TestCase": "casewright.models",
    "Settings": "casewright.config",
    "CasewrightError": "casewright.errors",
    "ConfigError": "casewright.errors",
    "InputError": "casewright.errors",
    "MemoryStoreError": "casewright.errors",
    "ModelOutputError": "casewright.errors",
    "ToolError": "casewright.errors",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:  # redundant aliases mark re-exports for type checkers and linters
    from casewright.agents.context import AgentContext as AgentContext
    from casewright.agents.graph import build_graph as build_graph
    from casewright.api import agenerate as agenerate
    from casewright.api import generate as generate
    from casewright.api import load_stories as load_stories
    from casewright.config import Settings as Settings
    from casewright.config import load_settings as load_settings
    from casewright.errors import CasewrightError as CasewrightError
    from casewright.errors import ConfigError as ConfigError
    from casewright.errors import InputError as InputError
    from casewright.errors import MemoryStoreError as MemoryStoreError
    from casewright.errors import ModelOutputError as ModelOutputError
    from casewright.errors import ToolError as ToolError
    from casewright.exports import get_exporter as get_exporter
    from casewright.models import AcceptanceCriterion as AcceptanceCriterion
    from casewright.models import Finding as Finding
    from casewright.models import Page as Page
    from casewright.models import Provenance as Provenance
    from casewright.models import Rule as Rule
    from casewright.models import Source as Source
    from casewright.models import Step as Step
    from casewright.models import Story as Story
    from casewright.models import Suite as Suite
    from casewright.models import TestCase as TestCase


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'casewright' has no attribute {name!r}")
