"""The public surface of `from casewright import ...`, pinned so that changes are deliberate."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

import casewright

PUBLIC = [
    "__version__",
    "generate", "agenerate", "load_stories", "build_graph", "AgentContext", "get_exporter",
    "load_settings",
    "AcceptanceCriterion", "Finding", "Page", "Provenance", "Rule", "Source", "Step", "Story",
    "Suite", "TestCase",
    "Settings",
    "CasewrightError", "ConfigError", "InputError", "MemoryStoreError", "ModelOutputError",
    "ToolError",
]  # fmt: skip


def test_all_is_pinned() -> None:
    assert casewright.__all__ == PUBLIC


@pytest.mark.parametrize("name", [name for name in PUBLIC if name != "__version__"])
def test_every_public_name_resolves_to_documented_casewright_code(name: str) -> None:
    member = getattr(casewright, name)
    assert member.__module__.startswith("casewright."), name
    assert inspect.getdoc(member), f"{name} has no docstring"


def test_generate_takes_the_stories_then_keyword_only_options() -> None:
    for function in (casewright.generate, casewright.agenerate):
        parameters = inspect.signature(function).parameters
        assert list(parameters) == ["stories_or_keys", "workspace", "chat_model", "memory",
                                    "settings", "previous", "redesign"]
        assert all(p.kind is p.KEYWORD_ONLY for p in list(parameters.values())[1:])
    assert inspect.iscoroutinefunction(casewright.agenerate)


def test_unknown_names_raise_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'generat'"):
        casewright.generat  # noqa: B018


def test_importing_casewright_loads_nothing_heavy() -> None:
    code = ("import sys, casewright; casewright.Suite; casewright.Settings\n"
            "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=60).stdout.split()
    for heavy in ("langgraph", "langchain_core", "llama_cpp", "torch", "onnxruntime",
                  "qdrant_client", "qdrant_edge"):
        assert heavy not in loaded, heavy
