"""The errors casewright raises, one tree under `CasewrightError`.

    CasewrightError           anything casewright knows how to explain in one line
    ├── ConfigError           a setting is wrong or missing            (CLI exit 2)
    ├── InputError            an argument or input file is wrong       (CLI exit 2)
    ├── ModelOutputError      the model's output stayed invalid        (CLI exit 1)
    ├── ToolError             Jira or Confluence could not be read     (CLI exit 1)
    └── MemoryStoreError      the retrieval memory cannot be used      (CLI exit 1)

Every error carries a `hint`: what the user should do about it.
"""

from __future__ import annotations


class CasewrightError(Exception):
    """Base of every error casewright explains to its user."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        """Return the message and the hint as one line for a terminal."""
        return f"{self.message}; {self.hint}" if self.hint else self.message


class ConfigError(CasewrightError):
    """A setting is wrong or missing."""

    exit_code = 2


class InputError(CasewrightError):
    """An argument, issue key or input file is wrong."""

    exit_code = 2


class ModelOutputError(CasewrightError):
    """The model's output could not be parsed or validated, even after a retry."""

    def __init__(self, message: str, *, raw_output: str, attempts: int,
                 hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.raw_output = raw_output
        self.attempts = attempts


class ToolError(CasewrightError):
    """A Jira or Confluence source could not be read."""


class MemoryStoreError(CasewrightError):
    """The retrieval memory is locked, damaged, foreign, empty or made by another embedder."""
