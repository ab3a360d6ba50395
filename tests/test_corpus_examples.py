"""Human scenarios become the specialist's drafting chats; a corpus trains by project.

Records are in the shape `benchmarks/build_corpus.py` writes; the scenarios below are
written for the test in the style of public Cucumber suites (none is copied from one).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from casewright.agents.drafts import UNSTATED
from casewright.cli import app
from casewright.errors import InputError
from casewright.training.corpus import (
    corpus_example,
    outcome_unstated,
    read_corpus,
    scenario_draft,
)
from casewright.training.finetune import corpus_split


def record(steps: list[tuple[str, str]], **extra: object) -> dict[str, object]:
    """A corpus record with the given (keyword, text) steps."""
    return {"project": "acme/library", "domain": "education", "split": "train",
            "path": "features/loans.feature", "commit": "0" * 40, "licence": "MIT",
            "feature": "Renewing loans",
            "narrative": "As a member\nI want to renew my loans\nSo that I keep my books",
            "background": [{"keyword": "Given", "text": "I am signed in as a member"}],
            "rule": None, "scenario": "Renew a loan before it is due", "tags": [],
            "steps": [{"keyword": k, "text": t} for k, t in steps], "examples": None, **extra}


def write_corpus(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_a_scenario_becomes_preconditions_actions_and_their_results(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", [record([
        ("Given", 'I have borrowed "Dune" due in 3 days'), ("When", "I open my loans"),
        ("And", 'I renew "Dune"'), ("Then", 'I see "Renewed until 20 May"'),
        ("And", "the due date is 20 May")])])
    draft = scenario_draft(next(read_corpus(corpus)))
    assert draft is not None
    assert draft.preconditions == ["I am signed in as a member",
                                   'I have borrowed "Dune" due in 3 days']
    assert [(s.action, s.expected) for s in draft.steps] == [
        ("I open my loans", ""),
        ('I renew "Dune"', 'I see "Renewed until 20 May"; the due date is 20 May')]


def test_the_chat_asks_what_the_writer_asks_and_the_answer_is_the_humans_case(
        tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", [record([
        ("When", 'I renew "Dune" after its due date'),
        ("Then", "I see an error saying overdue loans cannot be renewed")])])
    example = corpus_example(next(read_corpus(corpus)))
    assert example is not None and example.task == "draft"
    system, task, answer = (m.content for m in example.messages)
    assert "<story>\nRenewing loans\nAs a member" in system
    assert task.startswith("Task: write a negative UAT test case for: Renew a loan before")
    assert 'Values to use: "Dune"' in task
    assert json.loads(answer)["steps"][0]["expected"].startswith("I see an error")


def test_a_third_of_the_chats_name_no_outcome_as_for_an_unread_criterion(
        tmp_path: Path) -> None:
    """The writer asks so for a criterion the engine could not read; the answer is the same."""
    records = [record([("When", f'I renew "Book {n}"'), ("Then", f'I see "Book {n}" renewed')],
                      scenario=f"Renew loan number {n}") for n in range(60)]
    corpus = write_corpus(tmp_path / "c.jsonl", records)
    unstated = {r.scenario for r in read_corpus(corpus) if outcome_unstated(r)}
    assert 10 <= len(unstated) <= 30
    for item in read_corpus(corpus):
        example = corpus_example(item)
        assert example is not None
        task, answer = example.messages[1].content, example.messages[2].content
        told = UNSTATED if item.scenario in unstated else json.loads(answer)["steps"][-1][
            "expected"]
        assert f"Expected outcome: {told}\n" in task


def test_an_outline_takes_its_first_example_row_and_a_table_is_data(tmp_path: Path) -> None:
    table = {"keyword": "When", "text": "I register with", "table": [["name", "<name>"],
                                                                      ["age", "<age>"]]}
    outline = record([], examples=[["name", "age"], ["Ana", "17"], ["Bo", "18"]])
    outline["steps"] = [table, {"keyword": "Then", "text": "I see <name> is registered"}]
    corpus = write_corpus(tmp_path / "c.jsonl", [outline])
    draft = scenario_draft(next(read_corpus(corpus)))
    assert draft is not None
    assert (draft.steps[0].data, draft.steps[0].expected) == ("name: Ana; age: 17",
                                                              "I see Ana is registered")


@pytest.mark.parametrize("steps", [
    [("Given", "a loan"), ("Then", "it is listed")],  # no action
    [("When", "I renew"), ("And", "I confirm")],  # no result
    [("When", "I renew"), ("Then", "it is renewed"), ("Given", "another loan")],
])
def test_a_scenario_that_is_no_case_is_left_out(tmp_path: Path,
                                                steps: list[tuple[str, str]]) -> None:
    corpus = write_corpus(tmp_path / "c.jsonl", [record(steps)])
    assert corpus_example(next(read_corpus(corpus))) is None


def test_a_broken_corpus_line_is_named(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps(record([("When", "a"), ("Then", "b")])) + "\n{}\n")
    with pytest.raises(InputError, match=r"c.jsonl:2: not a corpus record"):
        list(read_corpus(corpus))


def test_held_out_examples_come_only_from_eval_projects(tmp_path: Path) -> None:
    steps = [("When", "I renew a loan"), ("Then", "it is renewed")]
    records = [record(steps, scenario=f"train {n}") for n in range(6)] + [
        record(steps, scenario=f"eval {n}", split="eval", project="other/app") for n in range(4)]
    training, held = corpus_split(write_corpus(tmp_path / "c.jsonl", records), 3, seed=0)
    assert len(training) == 6 and len(held) == 3
    assert all("train" in e.messages[1].content for e in training)
    assert all("eval" in e.messages[1].content for e in held)


@pytest.mark.slow
def test_finetune_trains_on_a_corpus_and_writes_an_adapter(tmp_path: Path) -> None:
    steps = [("When", 'I renew "Dune"'), ("Then", "the loan is renewed")]
    records = [record(steps, scenario=f"Renew case {n}") for n in range(4)] + [
        record(steps, scenario="Held out", split="eval", project="other/app")]
    corpus = write_corpus(tmp_path / "c.jsonl", records)
    adapter = tmp_path / "specialist.gguf"
    result = CliRunner().invoke(app, ["finetune", "--corpus", str(corpus), "--max-steps", "2",
                                      "--no-eval", "-o", str(adapter)])
    assert result.exit_code == 0, result.output
    assert adapter.is_file() and adapter.read_bytes()[:4] == b"GGUF"
    assert "trained: 2 steps on 4 examples" in result.stdout
    manifest = json.loads((tmp_path / "specialist.json").read_text())
    assert manifest["steps"] == 2 and manifest["request"]["corpus"] == str(corpus)
    assert len(manifest["base_sha256"]) == 64
