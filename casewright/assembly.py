"""Opening a workspace: one place where the folder, its settings and its sources are chosen.

The CLI, the library (`generate`, `load_stories`) and the LangGraph server graph all open their
workspace here, so settings alone choose the backend everywhere: Jira and Confluence are read
over REST when the settings name a site and its credentials, else from the folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from casewright.config import Settings, load_settings
from casewright.errors import ConfigError
from casewright.progress import quiet
from casewright.runs import state_folder
from casewright.tools.atlassian_site import uses_rest
from casewright.tools.rest_confluence import RestConfluence
from casewright.tools.rest_jira import RestJira
from casewright.tools.workspace import Workspace, bundled_sample, resolve_workspace


def open_workspace(workspace: Path | str | None = None, settings: Settings | None = None, *,
                   progress: Callable[[str], None] = quiet,
                   spaces: list[str] | None = None,
                   current_folder: bool = False) -> Workspace:
    """Return the workspace with its settings, its sources and its approved-cases folder.

    The folder is the one given, else the one the settings (or CASEWRIGHT_WORKSPACE) name,
    else (with `current_folder`, as the CLI does) the current folder if it is a workspace,
    else the bundled sample. When the settings name a REST site, the bundled sample gives way
    to the current folder, which then holds the settings, tests and state. Given settings are
    used as they are, only their workspace set. `spaces` names Confluence spaces to read.
    """
    explicit = Path(workspace) if workspace is not None else None
    if explicit is None and not current_folder:
        named = settings.workspace if settings is not None else load_settings().workspace
        explicit = named
    root, reason = resolve_workspace(explicit, Path.cwd()) if explicit is not None or \
        current_folder else (bundled_sample(), "bundled sample")
    given = settings is not None
    if settings is None:
        settings = load_settings(workspace=root, confluence_spaces=spaces)
    if reason == "bundled sample" and uses_rest(settings):
        root, reason = Path.cwd(), "current folder"
        if not given:
            settings = load_settings(workspace=root, confluence_spaces=spaces)
    if settings.workspace != root:
        settings = settings.model_copy(update={"workspace": root})
    jira = RestJira.from_settings(settings)
    confluence = RestConfluence.from_settings(settings, state_folder(settings) / "confluence",
                                              progress=progress)
    if spaces and confluence is None:
        raise ConfigError("--space reads Confluence over REST, which is not set up",
                          hint="set CASEWRIGHT_CONFLUENCE_URL and a token or PAT")
    progress(f"workspace: {root} ({reason})")
    for source in (jira, confluence):
        if source is not None:
            progress(f"{source.site.service.lower()}: {source.site.url} over REST")
    return Workspace(root, settings, approved=state_folder(settings) / "approved", jira=jira,
                     confluence=confluence)
