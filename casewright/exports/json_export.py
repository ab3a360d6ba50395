"""JSON: the suite as its pydantic model writes it, provenance included."""

from __future__ import annotations

from casewright.models import Suite


def render(suite: Suite) -> str:
    """Return the suite as indented JSON that loads back into an equal `Suite`."""
    return suite.model_dump_json(indent=2) + "\n"
