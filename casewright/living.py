"""Living suites: a story run again updates its earlier suite instead of replacing it.

`update_suite` sets a freshly designed suite against the story's earlier one, criterion by
criterion (`match_criteria`: the same text by content hash, else the same id or wording at
least half the same):

- an unchanged criterion keeps its earlier cases as they were (ids, a person's approval and
  edits, findings), status `kept`; the fresh design of it is dropped, so a new engine version
  or adapter churns nothing unless `redesign` asks for it;
- a changed criterion gets the fresh design: a case the design reproduces keeps its earlier
  self (`kept`); one of the same kind whose wording is at least half the same takes over an
  earlier case's id (`updated`: its Jira issue is updated, and a person's approval of it is
  withdrawn with a finding); the rest are `new`, with ids never used in the suite before;
- an earlier case that nothing took over, and every case of a removed criterion, is kept as
  `obsolete`; never deleted.

Every case carries the content hashes of the criteria it was designed from; `Suite.update`
lists the criteria added, changed (old and new text) and removed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from pydantic import ValidationError

from casewright.approval import APPROVED_LABEL
from casewright.errors import InputError
from casewright.files import read_text
from casewright.keys import parse_issue_key
from casewright.models import (
    AcceptanceCriterion,
    CriterionChange,
    Finding,
    Source,
    Story,
    Suite,
    SuiteUpdate,
    TestCase,
)

SIMILAR = 0.5
"""Least share of wording two versions of a criterion, or two cases of it, have in common."""
SAME_ID_WEIGHT = 0.5
"""What keeping its id adds to a criterion's likeness to its earlier version."""
WITHDRAWN_CHECK = "approval-withdrawn"
"""The check of the finding on a person-approved case that was designed again."""
SUITE_LIMIT = 50_000_000
"""Largest suite file read back, in bytes."""


@dataclass(frozen=True)
class CriterionMatch:
    """A criterion of the story now, with its earlier version if it had one."""

    criterion: AcceptanceCriterion
    previous: AcceptanceCriterion | None

    @property
    def unchanged(self) -> bool:
        """Whether its text is the same as before (by content hash)."""
        return self.previous is not None and \
            self.previous.content_hash == self.criterion.content_hash


def _likeness(first: str, second: str) -> float:
    return SequenceMatcher(None, first.lower(), second.lower()).ratio()


def match_criteria(previous: Sequence[AcceptanceCriterion],
                   current: Sequence[AcceptanceCriterion]
                   ) -> tuple[list[CriterionMatch], list[AcceptanceCriterion]]:
    """Pair each criterion now with its earlier version; return the pairs and the removed.

    The same text pairs first (the same id preferred among equal texts); then, most alike
    first, a criterion with the same id or wording at least half the same.
    """
    left = list(previous)
    found: dict[int, AcceptanceCriterion] = {}
    for index, criterion in enumerate(current):
        same = [old for old in left if old.content_hash == criterion.content_hash]
        if same:
            found[index] = next((old for old in same
                                 if old.criterion_id == criterion.criterion_id), same[0])
            left.remove(found[index])
    scored = []
    for index, criterion in enumerate(current):
        for position, old in enumerate(left):
            if index in found:
                continue
            alike = _likeness(old.text, criterion.text)
            same_id = old.criterion_id == criterion.criterion_id
            if alike >= SIMILAR or same_id:
                scored.append((alike + SAME_ID_WEIGHT * same_id, -index, -position))
    taken: set[int] = set()
    for _, index, position in sorted(scored, reverse=True):
        if -index not in found and -position not in taken:
            found[-index] = left[-position]
            taken.add(-position)
    removed = [old for position, old in enumerate(left) if position not in taken]
    return [CriterionMatch(c, found.get(i)) for i, c in enumerate(current)], removed


def criterion_changes(matches: Sequence[CriterionMatch],
                      removed: Sequence[AcceptanceCriterion]) -> list[CriterionChange]:
    """Return the criteria added, changed and removed, in story order, then the removed."""
    changes = []
    for match in matches:
        now, then = match.criterion, match.previous
        if then is None:
            changes.append(CriterionChange(criterion_id=now.criterion_id, change="added",
                                           text=now.text))
        elif not match.unchanged:
            changes.append(CriterionChange(
                criterion_id=now.criterion_id, change="changed", text=now.text,
                previous_id=then.criterion_id, previous_text=then.text))
    changes += [CriterionChange(criterion_id=old.criterion_id, change="removed",
                                previous_id=old.criterion_id, previous_text=old.text)
                for old in removed]
    return changes


def _home(case: TestCase) -> str | None:
    """Return the criterion a case belongs to: the first it traces to."""
    return case.criterion_ids[0] if case.criterion_ids else None


def _content(case: TestCase) -> tuple[object, ...]:
    """Return what a case says, whitespace-normalised: same content, same case."""
    def flat(text: str) -> str:
        return " ".join(text.split())
    return (case.kind, flat(case.title), flat(case.objective),
            tuple(flat(line) for line in case.preconditions),
            tuple((flat(s.action), flat(s.data), flat(s.expected)) for s in case.steps))


def _wording(case: TestCase) -> str:
    return " ".join([case.title, *case.preconditions,
                     *(f"{s.action} {s.data} {s.expected}" for s in case.steps)])


def next_case_id(story_key: str, used: Iterable[str]) -> str:
    """Return a case id none of `used` is: one past the highest number, such as CC-101-TC16."""
    taken = set(used)
    pattern = re.compile(rf"^{re.escape(story_key)}-TC(\d+)$")
    number = max((int(m[1]) for cid in taken if (m := pattern.match(cid))), default=0) + 1
    while f"{story_key}-TC{number:02d}" in taken:
        number += 1
    return f"{story_key}-TC{number:02d}"


def criterion_hashes(story: Story, case: TestCase) -> dict[str, str]:
    """Return the content hashes of the story's criteria a case traces to."""
    hashes = {c.criterion_id: c.content_hash for c in story.criteria}
    return {cid: hashes[cid] for cid in case.criterion_ids if cid in hashes}


def stamped(suite: Suite) -> Suite:
    """Return the suite with each case carrying the hashes of the criteria it traces to."""
    cases = [case.model_copy(update={"criterion_hashes": criterion_hashes(suite.story, case)})
             for case in suite.cases]
    return suite.model_copy(update={"cases": cases})


class _Update:
    """One update in progress: the cases placed so far and the ids they took."""

    def __init__(self, previous: Suite, fresh: Suite) -> None:
        self.previous, self.fresh = previous, fresh
        self.key = fresh.story.key
        self.hashes = {c.criterion_id: c.content_hash for c in fresh.story.criteria}
        self.used = {case.case_id for case in previous.cases}
        self.cases: list[TestCase] = []
        self.obsolete: list[TestCase] = []
        self.fresh_ids: dict[str, str] = {}
        """Fresh case id -> its id in the updated suite, for the fresh cases placed."""
        self.kept: set[str] = set()
        self.withdrawn: list[Finding] = []

    def next_id(self) -> str:
        """Return a case id the suite has never used."""
        self.used.add(case_id := next_case_id(self.key, self.used))
        return case_id

    def traces(self, case: TestCase, ids_now: dict[str, str]) -> list[str]:
        """Return a case's criterion ids as the story numbers them now (removed ones gone)."""
        known = {c.criterion_id for c in self.previous.story.criteria}
        return list(dict.fromkeys(ids_now.get(cid, cid) for cid in case.criterion_ids
                                  if cid in ids_now or cid not in known))

    def keep(self, case: TestCase, criterion_ids: list[str]) -> None:
        """Keep an earlier case as it was, tracing to its criteria as they are numbered now."""
        self.cases.append(case.model_copy(update={
            "status": "kept", "criterion_ids": criterion_ids,
            "criterion_hashes": {cid: self.hashes[cid] for cid in criterion_ids
                                 if cid in self.hashes}}))
        self.kept.add(case.case_id)

    def place(self, fresh: TestCase, earlier: TestCase | None) -> None:
        """Place a fresh case: as a new one, or as the update of an earlier case."""
        case_id = self.next_id() if earlier is None else earlier.case_id
        self.fresh_ids[fresh.case_id] = case_id
        self.cases.append(fresh.model_copy(update={
            "case_id": case_id, "status": "new" if earlier is None else "updated",
            "criterion_hashes": {cid: self.hashes[cid] for cid in fresh.criterion_ids
                                 if cid in self.hashes}}))
        if earlier is not None and APPROVED_LABEL in earlier.labels:
            self.withdrawn.append(Finding(
                check=WITHDRAWN_CHECK, severity="warning", case_id=case_id,
                criterion_id=_home(fresh),
                message=f"{case_id} was approved, but its criterion changed and the case was "
                "designed again: approve it again to push it"))

    def retire(self, cases: Iterable[TestCase]) -> None:
        self.obsolete += [case.model_copy(update={"status": "obsolete"}) for case in cases]

    def redesign(self, earlier: list[TestCase], fresh: list[TestCase]) -> None:
        """Place a changed criterion's fresh cases against its earlier ones."""
        twins: dict[int, int] = {}
        for index, case in enumerate(fresh):
            twins.update((index, position) for position, old in enumerate(earlier)
                         if index not in twins and position not in twins.values()
                         and _content(old) == _content(case))
        scored = sorted(((_likeness(_wording(old), _wording(case)), -index, -position)
                         for index, case in enumerate(fresh) if index not in twins
                         for position, old in enumerate(earlier)
                         if position not in twins.values() and old.kind == case.kind),
                        reverse=True)
        taken = dict(twins)
        for alike, index, position in scored:
            if alike >= SIMILAR and -index not in taken and -position not in taken.values():
                taken[-index] = -position
        for index, case in enumerate(fresh):
            if index in twins:
                self.keep(earlier[twins[index]], case.criterion_ids)
            else:
                self.place(case, earlier[taken[index]] if index in taken else None)
        self.retire(old for position, old in enumerate(earlier)
                    if position not in taken.values())

    def findings(self) -> list[Finding]:
        """Return the fresh findings of the cases placed, the earlier ones of those kept."""
        findings = [f.model_copy(update={"case_id": self.fresh_ids[f.case_id]})
                    if f.case_id is not None else f
                    for f in self.fresh.findings
                    if f.case_id is None or f.case_id in self.fresh_ids]
        findings += [f for f in self.previous.findings if f.case_id in self.kept]
        findings += self.withdrawn
        return list({f.model_dump_json(): f for f in findings}.values())

    def sources(self) -> list[Source]:
        """Return the fresh evidence, and the earlier passages the carried cases cite."""
        have = {source.source_id for source in self.fresh.sources}
        cited = {sid for case in [*self.cases, *self.obsolete]
                 for sid in [*case.source_ids, *case.rule_ids]}
        return [*self.fresh.sources, *(s for s in self.previous.sources
                                       if s.source_id in cited and s.source_id not in have)]


def update_suite(previous: Suite | None, fresh: Suite, *, redesign: bool = False) -> Suite:
    """Return the fresh suite set against the story's earlier one (see the module's notes).

    Without an earlier suite, the fresh one, each case stamped with its criteria's hashes.
    With `redesign`, unchanged criteria are designed again too, as changed ones are.
    """
    fresh = stamped(fresh)
    if previous is None:
        return fresh
    matches, removed = match_criteria(previous.story.criteria, fresh.story.criteria)
    ids_now = {m.previous.criterion_id: m.criterion.criterion_id
               for m in matches if m.previous is not None}
    earlier_obsolete = [case for case in previous.cases if case.status == "obsolete"]
    live = [case for case in previous.cases if case.status != "obsolete"]
    update = _Update(previous, fresh)
    for match in matches:
        earlier = [case for case in live if match.previous is not None
                   and _home(case) == match.previous.criterion_id]
        if match.unchanged and not redesign:
            for case in earlier:
                update.keep(case, update.traces(case, ids_now))
        else:
            now = [case for case in fresh.cases if _home(case) == match.criterion.criterion_id]
            update.redesign(earlier, now)
    homes = {m.previous.criterion_id for m in matches if m.previous is not None}
    for case in live:
        if _home(case) is None:
            update.keep(case, [])
        elif _home(case) not in homes:
            update.retire([case])
    criteria_now = {c.criterion_id for c in fresh.story.criteria}
    for case in fresh.cases:
        if _home(case) not in criteria_now:
            update.place(case, None)
    obsoleted = [case.case_id for case in update.obsolete]
    return fresh.model_copy(update={
        "cases": [*update.cases, *earlier_obsolete, *update.obsolete],
        "findings": update.findings(), "sources": update.sources(),
        "update": SuiteUpdate(previous_finished_at=previous.provenance.finished_at,
                              criteria=criterion_changes(matches, removed),
                              redesigned=redesign, obsoleted=obsoleted,
                              withdrawn=[f.case_id for f in update.withdrawn if f.case_id])})


def change_line(suite: Suite) -> str | None:
    """Return what an update changed in a story's suite as one line; None for a first suite."""
    if suite.update is None:
        return None
    criteria = ", ".join(f"{c.criterion_id} {c.change}" for c in suite.update.criteria)
    counts = Counter(case.status for case in suite.live_cases)
    withdrawn = len(suite.update.withdrawn)
    return (f"{suite.story.key}: suite updated ({criteria or 'no criterion changed'}"
            f"{', redesigned' if suite.update.redesigned else ''}): {counts['kept']} kept, "
            f"{counts['updated']} updated, {counts['new']} new, "
            f"{len(suite.update.obsoleted)} made obsolete"
            + (f"; {withdrawn} approvals withdrawn" if withdrawn else ""))


def suite_file(folder: Path, story_key: str) -> Path:
    """Return where a story's suite is kept in an output folder: `<KEY>.json`."""
    return folder / f"{parse_issue_key(story_key)}.json"


def read_suite(path: Path, story_key: str | None = None) -> Suite:
    """Read a suite casewright wrote (`-f json`); InputError naming the file if it is none.

    With `story_key`, the suite must be that story's.
    """
    text = read_text(path, limit=SUITE_LIMIT)
    try:
        suite = Suite.model_validate_json(text)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "the document"
        raise InputError(f"'{path}' is not a suite casewright wrote ({where}: {first['msg']})",
                         hint="move it aside, and the story's suite is written afresh") from None
    if story_key is not None and suite.story.key != story_key:
        raise InputError(f"'{path}' holds {suite.story.key}'s suite, not {story_key}'s",
                         hint="move it aside, and the story's suite is written afresh")
    return suite


def earlier_suite(folder: Path | None, story_key: str) -> Suite | None:
    """Return the story's suite in an output folder, or None when it has none (or no folder)."""
    if folder is None:
        return None
    path = suite_file(folder, story_key)
    return read_suite(path, story_key) if path.exists() or path.is_symlink() else None
