"""Settings: one pydantic-settings model, read once at the edge (CLI or library entry).

Precedence, highest first: explicit arguments, `CASEWRIGHT_*` environment variables, the
workspace's `casewright.toml`, the defaults. Every default works offline.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from casewright.errors import ConfigError

SETTINGS_FILE = "casewright.toml"


def _default_home() -> Path:
    return Path.home() / ".casewright"


class Settings(BaseSettings):
    """Everything casewright can be configured with."""

    model_config = SettingsConfigDict(env_prefix="CASEWRIGHT_", extra="forbid")

    home: Path = Field(default_factory=_default_home,
                       description="Folder for caches and state shared by all workspaces.")
    workspace: Path | None = Field(default=None, description="Workspace folder to read.")
    criteria_field: str | None = Field(
        default=None, description="Jira custom field holding acceptance criteria, if any.")
    epic_link_field: str = Field(
        default="customfield_10014", description="Jira custom field holding the epic link.")
    jira_url: str | None = Field(default=None, description="Jira base URL, for browse links.")
    confluence_url: str | None = Field(default=None, description="Confluence base URL.")


def read_settings_file(path: Path) -> dict[str, Any]:
    """Read a casewright.toml, raising ConfigError with the line of a syntax error."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML ({error})",
                          hint="fix the file or remove it") from error


def load_settings(workspace: Path | None = None, **overrides: Any) -> Settings:
    """Build Settings from arguments, the environment and the workspace's casewright.toml."""
    explicit = {key: value for key, value in overrides.items() if value is not None}
    if workspace is not None:
        explicit["workspace"] = workspace
    try:
        from_env = Settings(**explicit)
        file_values: dict[str, Any] = {}
        if from_env.workspace is not None and (from_env.workspace / SETTINGS_FILE).is_file():
            file_values = read_settings_file(from_env.workspace / SETTINGS_FILE)
            unknown = sorted(set(file_values) - set(Settings.model_fields))
            if unknown:
                raise ConfigError(
                    f"{from_env.workspace / SETTINGS_FILE}: unknown setting {unknown[0]!r}",
                    hint=f"known settings: {', '.join(Settings.model_fields)}")
        chosen = from_env.model_dump(include=from_env.model_fields_set)
        return Settings(**{**file_values, **chosen})
    except ValidationError as error:
        first = error.errors()[0]
        name = ".".join(str(part) for part in first["loc"])
        raise ConfigError(f"setting {name!r}: {first['msg']}",
                          hint=f"check CASEWRIGHT_{name.upper()} or {SETTINGS_FILE}") from error
