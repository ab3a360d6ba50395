"""casewright: turn Jira stories into reviewed, traceable UAT test cases.

The public names load lazily, so `casewright --help` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "AcceptanceCriterion": "casewright.models",
    "Finding": "casewright.models",
    "Page": "casewright.models",
    "Rule": "casewright.models",
    "Step": "casewright.models",
    "Story": "casewright.models",
    "Suite": "casewright.models",
    "TestCase": "casewright.models",
    "Settings": "casewright.config",
    "CasewrightError": "casewright.errors",
    "ConfigError": "casewright.errors",
    "InputError": "casewright.errors",
    "ToolError": "casewright.errors",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:
    from casewright.config import Settings
    from casewright.errors import CasewrightError, ConfigError, InputError, ToolError
    from casewright.models import (
        AcceptanceCriterion,
        Finding,
        Page,
        Rule,
        Step,
        Story,
        Suite,
        TestCase,
    )


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'casewright' has no attribute {name!r}")
