"""Acceptance criteria out of a story's blocks, as real teams write them.

Handles an "Acceptance criteria" heading or label followed by Given/When/Then scenarios,
numbered or bulleted lists, `AC1:` prefixes, tables (ID | Criterion, or Given | When | Then),
and plain paragraphs; or a custom field that holds only criteria.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from casewright.models import AcceptanceCriterion
from casewright.tools.blocks import Block
from casewright.wording import lower_first

RULE_ID_FORM = r"BR-\d+"
"""A business rule id as the sample's pages write them: 'BR-12'."""
RULE_ID = re.compile(rf"\b{RULE_ID_FORM}\b")
_AC_HEADING = re.compile(r"^\W*(acceptance\s+criteri(a|on)|a\.?c\.?s?)\W*$", re.IGNORECASE)
_LABEL = re.compile(r"^[^\n:]{2,40}:$")
_OTHER_SECTION = re.compile(
    r"^\W*(out of scope|not in scope|notes?|design|ux|mock-?ups?|open questions|questions|"
    r"background|context|dependenc\w*|assumptions?|risks?|links?|references?|tech\w* notes?|"
    r"dev notes?|definition of done|nfrs?|non-functional\w*|attachments?)\b", re.IGNORECASE)
_AC_PREFIX = re.compile(r"^\W*AC\s*-?\s*(\d+)(?:\s*[:.)\-–]\s*|\s+(?=(?-i:[A-Z])))", re.IGNORECASE)
_REFERENCE = re.compile(r"^\W*(?:(?-i:[A-Z][A-Z0-9]{1,9})-\d+(?:\s*[-–:]?\s*(?-i:[A-Z]{2,})\b)?"
                        r"(?:[\s\-–:.)]+\d{1,2}\b)?|\d{1,2}(?:\s*,\s*\d{1,2})+)[\s\-–:.)\]]+"
                        r"(?=(?-i:[A-Z]))")
"""A ticket key, a tag and an AC number, or a list of AC numbers, before a criterion's
sentence: "BNGP-2031 2 I cannot ...", "BNGP-2172 - BUG - All date fields ...", "1, 5 I ...";
or a ticket key before a summary: "[PAY-42] Refund ..."."""
_SCENARIO = re.compile(r"^\W*scenario(?:\s+outline)?\s*\d*\s*[:.\-–]\s*", re.IGNORECASE)
_KEYWORD = re.compile(r"^\W*(given|when|then|and|but)\b[\s,:]*", re.IGNORECASE)
_INLINE_KEYWORD = re.compile(
    r"(?<=[,;.])\s+(?=(?i:when|then|and|but)\b)|\s+(?=(?:When|Then|And|But)\b)|"
    r"\s+(?=(?i:when|then)\b)(?=.*\b(?i:then)\b)"
)
_NOT_A_WORD = re.compile(r"[\W_]+")
_ID_HEADER = re.compile(r"^(id|ac|#|ref|no\.?|number|ac id|ac ref)$", re.IGNORECASE)
_TEXT_HEADER = re.compile(r"(criteri|description|requirement|scenario|behaviou?r)", re.IGNORECASE)


@dataclass
class _Draft:
    explicit_id: int | None = None
    title: str | None = None
    lines: list[str] = field(default_factory=list)
    gherkin: bool = False


def _is_label(block: Block) -> bool:
    """A short paragraph such as 'Notes:' that acts as a heading."""
    return block.kind == "paragraph" and bool(_LABEL.match(block.text))


def _is_ac_heading(block: Block) -> bool:
    return (block.kind == "heading" or _is_label(block)) and bool(_AC_HEADING.match(block.text))


def criteria_section(blocks: list[Block]) -> list[Block] | None:
    """Return the blocks under the acceptance-criteria heading, or None without one."""
    for index, block in enumerate(blocks):
        if not _is_ac_heading(block):
            continue
        level = block.level if block.kind == "heading" else 7
        section = []
        for later in blocks[index + 1:]:
            ends_section = later.level <= level or _OTHER_SECTION.match(later.text)
            if later.kind == "heading" and ends_section:
                break
            if _is_label(later) and not (_SCENARIO.match(later.text) or _KEYWORD.match(later.text)):
                break
            section.append(later)
        return section
    return None


def split_clauses(text: str) -> list[tuple[str, str]]:
    """Split Given/When/Then text into (keyword, clause) pairs; And/But take the previous one."""
    pairs: list[tuple[str, str]] = []
    for line in text.split("\n"):
        for piece in _INLINE_KEYWORD.split(line):
            piece = piece.strip().rstrip(",;")
            if not piece:
                continue
            match = _KEYWORD.match(piece)
            keyword = match[1].lower() if match else ""
            clause = piece[match.end():] if match else piece
            if keyword in {"and", "but"} or not keyword:
                keyword = pairs[-1][0] if pairs else ""
            if clause:
                pairs.append((keyword, clause))
    return pairs


def _is_gherkin(text: str) -> bool:
    return bool(re.search(r"\b(given|when|then)\b", text, re.IGNORECASE)) and bool(
        re.search(r"\b(when|then)\b", text, re.IGNORECASE)
    )


def _opens_criterion(line: str) -> bool:
    return bool(_AC_PREFIX.match(line) or _SCENARIO.match(line) or _KEYWORD.match(line))


def _table_drafts(rows: list[Block]) -> list[_Draft]:
    header = rows[0].cells if rows[0].header else ()
    body = rows[1:] if header else rows
    lowered = [cell.lower() for cell in header]
    drafts = []
    if {"given", "when", "then"} <= set(lowered):
        for body_row in body:
            named = dict(zip(lowered, body_row.cells, strict=False))
            lines = [f"{keyword.capitalize()} {lower_first(named[keyword])}"
                     for keyword in ("given", "when", "then") if named.get(keyword)]
            drafts.append(_Draft(lines=lines, gherkin=True))
        return drafts
    id_column = next((i for i, cell in enumerate(header) if _ID_HEADER.match(cell)), None)
    text_column = next((i for i, cell in enumerate(header) if _TEXT_HEADER.search(cell)), None)
    for body_row in body:
        cells = list(body_row.cells)
        draft = _Draft()
        if id_column is None and cells and _AC_PREFIX.match(cells[0] + ":"):
            id_column = 0
        if id_column is not None and id_column < len(cells):
            number = re.search(r"\d+", cells[id_column])
            draft.explicit_id = int(number[0]) if number else None
            cells = cells[:id_column] + cells[id_column + 1:]
            text_column = None if text_column is None else text_column - (text_column > id_column)
        text = cells[text_column] if text_column is not None and text_column < len(cells) else \
            " - ".join(cell for cell in cells if cell)
        draft.lines = [text]
        draft.gherkin = _is_gherkin(text)
        if text:
            drafts.append(draft)
    return drafts


def _starts_new(current: _Draft | None, word: str, nested: bool, continuation: bool) -> bool:
    """Decide whether a line opens a new criterion or continues the current one."""
    if current is None:
        return True
    if not current.lines:
        return False
    if word == "given":
        return True
    if word:
        return not (current.gherkin or current.explicit_id is not None)
    return not (nested or continuation)


def _line_drafts(blocks: list[Block]) -> list[_Draft]:
    drafts: list[_Draft] = []
    base_level = min((b.level for b in blocks if b.kind == "item"), default=1)
    for block in blocks:
        nested = block.kind == "item" and block.level > base_level
        for position, line in enumerate(block.text.split("\n")):
            if prefix := _AC_PREFIX.match(line):
                drafts.append(_Draft(explicit_id=int(prefix[1])))
                line = line[prefix.end():]
            elif scenario := _SCENARIO.match(line):
                drafts.append(_Draft(title=line[scenario.end():].strip() or None))
                continue
            if not line:
                continue
            keyword = _KEYWORD.match(line)
            word = keyword[1].lower() if keyword else ""
            current = drafts[-1] if drafts else None
            if _starts_new(current, word, nested, position > 0):
                drafts.append(_Draft())
            drafts[-1].lines.append(line)
            drafts[-1].gherkin = drafts[-1].gherkin or word in {"given", "when", "then"}
    return [draft for draft in drafts if draft.lines]


def without_reference(text: str) -> str:
    """Return a criterion or summary without the ticket key or AC numbers before it."""
    return _REFERENCE.sub("", text, count=1)


def _to_criterion(draft: _Draft, criterion_id: str) -> AcceptanceCriterion:
    text = without_reference("\n".join(draft.lines).strip())
    given: list[str] = []
    when: list[str] = []
    then: list[str] = []
    if _is_gherkin(text):
        buckets = {"given": given, "when": when, "then": then}
        for keyword, clause in split_clauses(text):
            buckets.get(keyword, given if not (when or then) else then).append(clause)
    flat = " ".join(text.split())
    return AcceptanceCriterion(
        criterion_id=criterion_id, text=flat, title=draft.title, given=given, when=when,
        then=then, rule_ids=list(dict.fromkeys(RULE_ID.findall(flat))),
    )


def _number(drafts: list[_Draft]) -> list[AcceptanceCriterion]:
    used = {draft.explicit_id for draft in drafts if draft.explicit_id is not None}
    criteria, position, taken = [], 0, set()
    for draft in drafts:
        number = draft.explicit_id
        if number is None or number in taken:
            position += 1
            while position in used or position in taken:
                position += 1
            number = position
        taken.add(number)
        criteria.append(_to_criterion(draft, f"AC{number}"))
    return criteria


def parse_criteria(blocks: list[Block]) -> list[AcceptanceCriterion]:
    """Parse criteria from blocks that hold only criteria (a section or a custom field).

    Where the criteria are structured (a list, a table, Given/When/Then or AC prefixes), a
    plain paragraph among them is commentary ("Written as a table:", "Design TBC") and is
    skipped; where they are all plain paragraphs, each paragraph is one criterion.
    """
    structured = any(block.kind in {"item", "row"} or _opens_criterion(block.text)
                     for block in blocks)
    if structured:
        blocks = [block for block in blocks
                  if block.kind != "paragraph" or _opens_criterion(block.text)]
    drafts: list[_Draft] = []
    pending: list[Block] = []
    table: list[Block] = []
    for block in [*blocks, Block("heading", "", level=0)]:
        if block.kind == "row":
            if pending:
                drafts += _line_drafts(pending)
                pending = []
            table.append(block)
            continue
        if table:
            drafts += _table_drafts(table)
            table = []
        if block.kind in {"item", "paragraph"}:
            pending.append(block)
    if pending:
        drafts += _line_drafts(pending)
    return _number(drafts)


def criteria_from_description(blocks: list[Block]) -> list[AcceptanceCriterion]:
    """Find and parse the criteria in a description; [] when it has none."""
    section = criteria_section(blocks)
    if section is not None:
        return parse_criteria(section)
    text = "\n".join(block.text for block in blocks)
    if re.search(r"^\W*(AC\s*-?\s*\d|given|scenario)\b", text, re.IGNORECASE | re.MULTILINE):
        candidates = [b for b in blocks if _AC_PREFIX.match(b.text) or _KEYWORD.match(b.text)
                      or _SCENARIO.match(b.text)]
        return parse_criteria(candidates)
    return []


def criterion_key(text: str) -> str:
    """Return a criterion's wording as compared for repeats.

    Letter case, spacing, punctuation and a leading `AC1:` prefix are not part of it.
    """
    return " ".join(_NOT_A_WORD.sub(" ", _AC_PREFIX.sub("", text, count=1)).casefold().split())


def repeated_criteria(criteria: Sequence[AcceptanceCriterion]) -> dict[str, list[str]]:
    """Return the criteria a story states again: first id -> the ids of its later repeats."""
    first: dict[str, str] = {}
    repeats: dict[str, list[str]] = {}
    for criterion in criteria:
        key = criterion_key(criterion.text)
        if not key:
            continue
        original = first.setdefault(key, criterion.criterion_id)
        if original != criterion.criterion_id:
            repeats.setdefault(original, []).append(criterion.criterion_id)
    return repeats
