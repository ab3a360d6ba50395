"""Prompt and template files, one per node, loaded from package data."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

DEFAULT_PRODUCT = "the product under test"


def system_prompt(product: str | None = None) -> str:
    """Return the system text every model call shares, naming the product the stories are about."""
    text: str = load_template("system")["text"]
    return text.format(product=product or DEFAULT_PRODUCT)


@cache
def load_template(name: str) -> dict[str, Any]:
    """Return the parsed `<name>.toml` template file of this package."""
    text = (resources.files(__package__) / f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)
