"""How long work reports what it is doing: one line at a time, to whoever asked."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str], None]
"""Receives one line per step of work (the CLI shows them on stderr)."""


def quiet(line: str) -> None:
    """Drop a progress line: the default where nobody is listening."""
    del line
