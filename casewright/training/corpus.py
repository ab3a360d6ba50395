"""Human-written scenarios as training examples for the specialist, in the drafting chat.

A corpus record is one public Gherkin scenario (`benchmarks/build_corpus.py` writes them).
It becomes the chat the writer sends when it asks the model to draft a case: the feature and
its narrative as the story, the scenario's title as the criterion, its kind (a scenario whose
outcome says "not", "cannot", "error", ... is negative), the outcome to check (its last
result; one chat in three names none, as the writer's task for a criterion the engine could
not read) and the values the case must use (quoted strings and numbers of its steps); at run
time the engine's configuration gives the outcome and the values.
The answer is the scenario as a case: Background and Given steps are preconditions, each When
is an action with its data table as data, and the Then steps after it are its expected
result (an action with no Then of its own leads to the next); a Given's or Then's table
follows its text ("the following is shown: name: Ana"). A Scenario Outline takes its
first Examples row. Records are read one line at a time, so a corpus of any size streams.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from casewright.agents.drafts import (
    MAX_VALUES,
    Draft,
    DraftStep,
    draft_task,
    quoted_values,
    story_text,
)
from casewright.errors import InputError
from casewright.llm.messages import prefix_stable_messages
from casewright.prompts import system_prompt
from casewright.training.examples import Example, Message

_NEGATIVE = re.compile(r"\b(not|no|never|cannot|can't|unable|invalid|error|errors|fails?|"
                       r"failed|rejected|refused|denied|forbidden|unauthori[sz]ed|missing|"
                       r"without)\b", re.IGNORECASE)
_WANT = re.compile(r"^I (?:want|would like|wish) to ", re.IGNORECASE)
"""Behat's navigation idiom ("When I want to edit this country"): the act is what follows."""
_PLACEHOLDER = re.compile(r"<([^<>]{1,40})>")
UNSTATED_EVERY = 3
"""One training chat in this many names no outcome to check, as the writer's task does for a
criterion the engine could not read: the model learns what a tester sees from the title."""


class CorpusStep(BaseModel):
    """One Gherkin step as the corpus records it."""

    keyword: Literal["Given", "When", "Then", "And", "But"]
    text: str
    table: list[list[str]] | None = None
    doc_string: str | None = None


class CorpusScenario(BaseModel):
    """One human-written scenario with where it came from (see benchmarks/corpus/README.md)."""

    project: str
    domain: str
    split: str
    path: str
    commit: str = ""
    licence: str = ""
    feature: str
    narrative: str = ""
    background: list[CorpusStep] = []
    rule: str | None = None
    scenario: str
    tags: list[str] = []
    steps: list[CorpusStep]
    examples: list[list[str]] | None = None


def read_corpus(path: Path, split: str | None = None) -> Iterator[CorpusScenario]:
    """Yield the records of a corpus JSONL file, of one split if given, one line at a time."""
    try:
        lines = path.open(encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot read corpus '{path}' ({error.strerror})",
                         hint="build it with python benchmarks/build_corpus.py") from None
    with lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = CorpusScenario.model_validate_json(line)
            except ValidationError as error:
                raise InputError(f"{path}:{number}: not a corpus record "
                                 f"({error.errors()[0]['msg']})",
                                 hint="rebuild it with python benchmarks/build_corpus.py"
                                 ) from None
            if split is None or record.split == split:
                yield record


def scenario_draft(record: CorpusScenario) -> Draft | None:
    """Return the scenario as the writer's draft, or None where it is no testable case.

    None: no When step, no Then step, a Given after the first When, or a part longer than
    the draft's bounds (a scenario that does not fit is left out, not cut).
    """
    row = _first_example(record)
    given: list[str] = [_with_table(s, row) for s in record.background]
    steps: list[dict[str, str]] = []
    kind = ""
    for step in record.steps:
        keyword = step.keyword if step.keyword not in ("And", "But") else kind
        text = _with_table(step, row)
        if keyword == "Given":
            if steps:
                return None
            given.append(text)
        elif keyword == "When" or (keyword == "Then" and not steps):
            if keyword == "Then":
                return None
            steps.append({"action": _WANT.sub("I ", _filled(step.text, row).rstrip(": ")),
                          "data": _data(step, row), "expected": ""})
        elif keyword == "Then":
            last = steps[-1]
            last["expected"] = f"{last['expected']}; {text}" if last["expected"] else text
        kind = keyword
    if not steps or not steps[-1]["expected"]:
        return None
    try:
        return Draft(preconditions=given,
                         steps=[DraftStep.model_validate(step) for step in steps])
    except ValidationError:
        return None


def corpus_example(record: CorpusScenario) -> Example | None:
    """Return the drafting chat for a record, answered by its scenario; None if it has none."""
    draft = scenario_draft(record)
    if draft is None:
        return None
    outcome = " ".join(step.expected for step in draft.steps)
    kind = "negative" if _NEGATIVE.search(outcome) else "positive"
    messages = prefix_stable_messages(
        system_prompt(record.project.split("/")[-1]),
        {"story": story_text(record.feature, record.narrative)},
        draft_task(record.scenario, kind, "" if outcome_unstated(record) else
                   draft.steps[-1].expected, scenario_values(draft)))
    system, task = (str(m.content) for m in messages)
    return Example(task="draft", messages=[
        Message(role="system", content=system), Message(role="user", content=task),
        Message(role="assistant", content=draft.model_dump_json())])


def outcome_unstated(record: CorpusScenario) -> bool:
    """Whether the record's chat names no outcome, as the task for a criterion no one read.

    One chat in `UNSTATED_EVERY`, chosen by a hash of where the scenario is, so the same
    record always gets the same chat.
    """
    where = f"{record.project}\n{record.path}\n{record.scenario}".encode()
    return hashlib.sha256(where).digest()[0] % UNSTATED_EVERY == 0


def scenario_values(draft: Draft) -> list[str]:
    """Return the quoted strings and numbers a draft uses, in order, without repeats."""
    texts = [*draft.preconditions, *(f"{s.action} {s.data}" for s in draft.steps)]
    return list(dict.fromkeys(v for text in texts for v in quoted_values(text)))[:MAX_VALUES]


def _first_example(record: CorpusScenario) -> dict[str, str]:
    if not record.examples or len(record.examples) < 2:
        return {}
    return dict(zip(record.examples[0], record.examples[1], strict=False))


def _filled(text: str, row: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: row.get(m.group(1), m.group(0)), text)


def _with_table(step: CorpusStep, row: dict[str, str]) -> str:
    """Return a step's text with its table or doc string after it ("... as follows: a: 1")."""
    text = _filled(step.text, row).rstrip(": ")
    data = _data(step, row)
    return f"{text}: {data}" if data else text


def _data(step: CorpusStep, row: dict[str, str]) -> str:
    """Return a step's table as `name: value` pairs (or rows joined), else its doc string."""
    if step.table:
        rows = [[_filled(cell, row) for cell in cells] for cells in step.table]
        if len(rows[0]) == 2 and len(rows) <= 8:
            return "; ".join(f"{name}: {value}" for name, value in rows)
        return "; ".join(", ".join(cells) for cells in rows)
    return (step.doc_string or "").strip()


def corpus_examples(path: Path, split: str) -> list[Example]:
    """Return the drafting examples of a corpus split (scenarios that are no case left out)."""
    return [example for record in read_corpus(path, split)
            if (example := corpus_example(record)) is not None]
