"""JSON: the suite as its pydantic model writes it, provenance included."""

from __future__ import annotations

from collections.abc import Sequence

from casewright.models import Suite


def render(suite: Suite) -> str:
    """Return the suite as indented JSON that loads back into an equal `Suite`."""
    return suite.model_dump_json(indent=2) + "\n"


def render_run(suites: Sequence[Suite]) -> str:
    """Return a run's suites as one JSON array."""
    items = ",\n".join(render(suite).rstrip("\n") for suite in suites)
    return f"[\n{items}\n]\n" if suites else "[]\n"
