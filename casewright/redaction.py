"""Keeping Jira and Confluence secrets out of everything casewright prints or logs.

A site's token is registered with `hide` when its settings are read. From then on `redact`
replaces it, and the forms a server could echo back (the base64 of a Basic Authorization
header, the URL-encoded token), by `***`: in one-line errors, in `--debug` tracebacks, and in
every log record any library writes (atlassian-python-api logs whole response bodies at DEBUG),
through a log record factory that rewrites each record as it is made.
"""

from __future__ import annotations

import base64
import logging
import threading
import traceback
from typing import Any
from urllib.parse import quote

MASK = "***"
SHORTEST = 4
"""Shorter strings are not hidden: replacing them would garble ordinary text."""

_forms: set[str] = set()
_lock = threading.Lock()
_factory_installed = False


def hide(secret: str, *, user: str | None = None) -> None:
    """Redact `secret` from now on, with the forms a server could echo it in.

    `user` is the account of a Basic Authorization header (`user:secret`, base64-encoded).
    """
    forms = {secret, base64.b64encode(secret.encode()).decode(), quote(secret, safe="")}
    if user:
        forms.add(base64.b64encode(f"{user}:{secret}".encode()).decode())
    with _lock:
        _forms.update(form for form in forms if len(form) >= SHORTEST)
        _install_factory()


def redact(text: str) -> str:
    """Return text with every registered secret, in each of its forms, replaced by `***`."""
    for form in sorted(_forms, key=len, reverse=True):
        text = text.replace(form, MASK)
    return text


def format_exception(error: BaseException) -> str:
    """Return an exception's traceback (its causes included) as text, secrets redacted."""
    return redact("".join(traceback.format_exception(error)).rstrip("\n"))


def _install_factory() -> None:
    """Make every log record from here on come out redacted (installed once, chained)."""
    global _factory_installed
    if _factory_installed:
        return
    previous = logging.getLogRecordFactory()

    def redacted_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed call: logging reports it when emitted
            return record
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = format_exception(record.exc_info[1])
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return record

    logging.setLogRecordFactory(redacted_record)
    _factory_installed = True
