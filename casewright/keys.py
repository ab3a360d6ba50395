"""Jira issue keys: validated before they are looked up or used in a file name."""

from __future__ import annotations

import re

from casewright.errors import InputError

_ISSUE_KEY = re.compile(r"^[A-Z][A-Z0-9_]{0,29}-[1-9][0-9]{0,9}$")


def parse_issue_key(text: str) -> str:
    """Return the key upper-cased, or raise InputError if it is not PROJECT-123.

    A key that passes is safe as a file name: letters, digits, '_' and one '-'.
    """
    key = text.strip().upper()
    if not _ISSUE_KEY.match(key):
        raise InputError(f"{text!r} is not a Jira issue key",
                         hint="use the PROJECT-123 form, e.g. CC-101")
    return key
