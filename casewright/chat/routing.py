"""Chat lines to intents: slash commands and common phrasings, recognised without a model.

`route` turns a line into a typed `Intent`, or returns None when no pattern knows it (the
session then asks the model, see `classify.py`). A malformed command raises InputError naming
the right form.
"""

from __future__ import annotations

import re

from casewright.chat.intents import (
    AddCase,
    AmendCase,
    Approve,
    Explain,
    Export,
    Intent,
    Push,
    Reject,
    Show,
    Simple,
    SimpleAction,
    WriteCases,
)
from casewright.errors import InputError
from casewright.models import CaseKind

_NUMBER_WORDS = {word: n for n, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
_NUM = r"(\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")"
_CASE_REF = re.compile(r"\b(?:test\s*case|case|test|tc|scenario)\s*(?:no\.?|number|#)?\s*"
                       + _NUM + r"\b", re.IGNORECASE)
_ISSUE_KEY = re.compile(r"\b([A-Za-z][A-Za-z0-9_]*-[1-9]\d{0,9})\b")
_RULE_ID = re.compile(r"\b([A-Za-z]{2,}-\d+)\b")
_CRITERION = re.compile(r"\b(?:AC|acceptance\s+criteri(?:on|a)|criterion)\s*(?:#|-)?\s*"
                        + _NUM + r"\b", re.IGNORECASE)
_KINDS: tuple[tuple[CaseKind, str], ...] = (
    ("negative", r"negative|unhappy[- ]path|rejection|failure|error"),
    ("positive", r"positive|happy[- ]path"),
    ("boundary", r"boundary|edge|limit"),
    ("role", r"role|permission|access"),
    ("data", r"data|format|validation"),
)
_KIND = "(" + "|".join(pattern for _, pattern in _KINDS) + ")"
_CASE_WORD = r"(?:test\s*case|case|test|scenario|check|one)s?"
_AMEND = re.compile(
    r"\b(?:make|change|turn|convert|rewrite|switch|redo)\s+" + _CASE_REF.pattern
    + r"\s+(?:in)?(?:to|as|into)?\s*(?:an?\s+)?" + _KIND + r"(?:\s+" + _CASE_WORD + r")?\b"
    r"(.*)$", re.IGNORECASE)
_AMEND_SHOULD = re.compile(
    _CASE_REF.pattern + r"\s+(?:should|must|needs? to)\s+be\s+(?:an?\s+)?" + _KIND
    + r"(?:\s+" + _CASE_WORD + r")?\b(.*)$", re.IGNORECASE)
_ADD = re.compile(
    r"\b(?:add|write|create|include|need|want|generate|give\s+me|draft)\b.*?\b" + _KIND
    + r"\s+" + _CASE_WORD + r"\b.*?" + _CRITERION.pattern + r"(.*)$", re.IGNORECASE)
_WRITE_VERB = re.compile(r"\b(?:write|generate|create|draft|produce|make|do|run|start|work|"
                         r"plan|cases?|tests?|uat|suite)\b", re.IGNORECASE)
_EXPLAIN = re.compile(r"^\s*(?:why|how\s+come|explain|justify)\b", re.IGNORECASE)
_RULE_QUESTION = re.compile(r"^\s*(?:what\s+is|what's|whats|where\s+does|where's|which\s+page)"
                            r"\b", re.IGNORECASE)
_APPROVE = re.compile(r"^\s*(?:please\s+)?approve\b(.*)$", re.IGNORECASE)
_REJECT = re.compile(r"^\s*(?:please\s+)?reject\s+(?:case\s*|test\s*|tc\s*)?" + _NUM
                     + r"\b\s*(?:because|since|as|:|-|,)?\s*(.*)$", re.IGNORECASE)
_EXPORT = re.compile(r"^\s*(?:please\s+)?export\b(?:\s+(?:it|this|the\s+suite|the\s+cases|"
                     r"cases))?(?:\s+(?:as|to|in|into))?\s+([A-Za-z]+)"
                     r"(?:\s+(?:to|into|in|at)?\s*(\S+))?\s*$", re.IGNORECASE)
_SHOW = re.compile(r"^\s*(?:please\s+)?(?:show|list|display|print|view|see|open)\b(.*)$",
                   re.IGNORECASE)
_FINDINGS = re.compile(r"\b(?:findings|issues|problems)\b", re.IGNORECASE)
_STORIES = re.compile(r"\bstor(?:y|ies)\b", re.IGNORECASE)
_WORDS: dict[str, SimpleAction] = {
    "help": "help", "?": "help", "what can you do": "help", "commands": "help",
    "quit": "quit", "exit": "quit", "bye": "quit", "goodbye": "quit", "q": "quit",
    "done": "done", "finish the review": "done", "finish review": "done",
    "that's all": "done", "that is all": "done", "end the review": "done",
    "end review": "done", "findings": "findings", "stories": "stories",
}
_SLASH_WORDS: dict[str, SimpleAction] = {
    "/help": "help", "/stories": "stories", "/findings": "findings", "/done": "done",
    "/quit": "quit", "/exit": "quit",
}


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBER_WORDS[text.lower()]


def _condition(rest: str) -> str | None:
    """Return the condition after a request (`at 30 days` -> `30 days`), or None."""
    text = re.sub(r"^\s*(?:[,:;-]\s*)?(?:at|for|with|of|on|when|where|if|using|and|is)?\s+",
                  "", " " + rest).strip(" .?!")
    return text or None


def _kind(word: str) -> CaseKind:
    return next(kind for kind, pattern in _KINDS if re.fullmatch(pattern, word, re.IGNORECASE))


def _case_numbers(text: str) -> list[int]:
    found = re.findall(rf"\b{_NUM}\b", text, re.IGNORECASE)
    return list(dict.fromkeys(_number(n) for n in found))


def route(line: str) -> Intent | None:
    """Return what a line asks for, or None when no pattern knows it.

    Raises:
        InputError: a slash command is unknown or lacks what it needs.
    """
    text = line.strip()
    if text.startswith("/"):
        return _slash(text)
    bare = text.lower().strip(" .!")
    if bare in _WORDS:
        return Simple(action=_WORDS[bare])
    for route_one in (_explain, _amend, _add, _decision, _export, _show, _write):
        if (intent := route_one(text)) is not None:
            return intent
    return None


def _explain(text: str) -> Intent | None:
    case = _CASE_REF.search(text)
    rules = _RULE_ID.findall(text)
    rule = rules[-1].upper() if rules else None  # "case 2 of CC-101 cite BR-12": the last
    if _EXPLAIN.search(text) and (case or rule):
        return Explain(case_number=_number(case.group(1)) if case else None, rule_id=rule)
    if _RULE_QUESTION.search(text) and rule and not case:
        return Explain(rule_id=rule)
    return None


def _amend(text: str) -> Intent | None:
    match = _AMEND.search(text) or _AMEND_SHOULD.search(text)
    if match is None:
        return None
    number, kind, rest = match.groups()
    return AmendCase(case_number=_number(number), case_kind=_kind(kind),
                     condition=_condition(rest))


def _add(text: str) -> Intent | None:
    match = _ADD.search(text)
    if match is None:
        return None
    kind, number, rest = match.groups()
    return AddCase(criterion_id=f"AC{_number(number)}", case_kind=_kind(kind),
                   condition=_condition(rest))


def _decision(text: str) -> Intent | None:
    if match := _APPROVE.match(text):
        rest = match.group(1).strip(" .!")
        if not rest or re.search(r"\b(?:all|every\w*|the\s+rest|them)\b", rest, re.IGNORECASE):
            return Approve()
        numbers = _case_numbers(rest)
        return Approve(case_numbers=numbers) if numbers else None
    if match := _REJECT.match(text):
        number, reason = match.groups()
        if not reason.strip():
            raise InputError(f"rejecting case {number} needs a reason",
                             hint=f"e.g. reject case {number} because the steps never enter a date")
        return Reject(case_number=_number(number), reason=reason.strip())
    return None


def _export(text: str) -> Intent | None:
    if match := _EXPORT.match(text):
        return Export(format=match.group(1).lower(), path=match.group(2))
    return None


def _show(text: str) -> Intent | None:
    match = _SHOW.match(text)
    if match is None:
        return None
    rest = match.group(1)
    if case := _CASE_REF.search(rest):
        return Show(case_number=_number(case.group(1)))
    if _FINDINGS.search(rest):
        return Simple(action="findings")
    if _STORIES.search(rest) and not _ISSUE_KEY.search(rest):
        return Simple(action="stories")
    if key := _ISSUE_KEY.search(rest):
        return Show(story_key=key.group(1).upper())
    if re.fullmatch(r"\s*(?:me\s+)?(?:the\s+|all\s+(?:the\s+)?)?(?:suite|cases|tests|it|"
                    r"everything|all)?\s*[.!?]?\s*", rest, re.IGNORECASE):
        return Show()
    return None


def _write(text: str) -> Intent | None:
    keys = _ISSUE_KEY.findall(text)
    if len(keys) != 1:
        return None
    alone = text.strip(" .!?") == keys[0]
    if alone or _WRITE_VERB.search(text):
        return WriteCases(story_key=keys[0].upper())
    return None


def _slash(text: str) -> Intent:
    command, _, rest = text.partition(" ")
    command, rest = command.lower(), rest.strip()
    if command in _SLASH_WORDS:
        return Simple(action=_SLASH_WORDS[command])
    if command == "/show":
        if not rest:
            return Show()
        if rest.isdigit():
            return Show(case_number=int(rest))
        if _ISSUE_KEY.fullmatch(rest):
            return Show(story_key=rest.upper())
        raise InputError(f"/show takes a case number or a story key, not {rest!r}",
                         hint="e.g. /show 2, or /show alone for the suite")
    if command == "/approve":
        numbers = _case_numbers(rest)
        if rest and rest.lower() != "all" and not numbers:
            raise InputError(f"/approve takes case numbers or 'all', not {rest!r}",
                             hint="e.g. /approve 2 3, or /approve all")
        return Approve(case_numbers=[] if rest.lower() == "all" else numbers)
    if command == "/reject":
        number, _, reason = rest.partition(" ")
        if not number.isdigit() or not reason.strip():
            raise InputError("/reject needs a case number and a reason",
                             hint="e.g. /reject 3 the steps never enter a date")
        return Reject(case_number=int(number), reason=reason.strip())
    if command == "/export":
        parts = rest.split()
        if not 1 <= len(parts) <= 2:
            raise InputError("/export needs a format and optionally a path",
                             hint="e.g. /export xray, or /export json out/suite.json")
        return Export(format=parts[0].lower(), path=parts[1] if len(parts) == 2 else None)
    if command == "/push":
        if rest.lower() not in {"", "dry-run", "--dry-run"}:
            raise InputError(f"/push takes only 'dry-run', not {rest!r}",
                             hint="e.g. /push dry-run, then /push")
        return Push(dry_run=bool(rest))
    raise InputError(f"unknown command {command!r}", hint="try /help")
