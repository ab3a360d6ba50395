"""Chunking: what a workspace becomes in memory, read as the retriever will read it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from casewright.config import load_settings
from casewright.errors import InputError
from casewright.memory import Chunk, chunks_to_ingest, workspace_chunks
from casewright.tools.workspace import Workspace, bundled_sample

PAYMENTS_URL = ("https://brightwater.atlassian.net/wiki/spaces/CCOPS/pages/229376013/"
                "Payment+extensions+and+arrears+limits")


def chunks_of(root: Path) -> list[Chunk]:
    return workspace_chunks(Workspace(root, load_settings(workspace=root)))


@pytest.fixture(scope="module")
def sample() -> list[Chunk]:
    return chunks_of(bundled_sample())


def by_source(chunks: list[Chunk], source_id: str) -> list[Chunk]:
    return [chunk for chunk in chunks if chunk.source_id == source_id]


def test_every_rule_of_the_sample_is_its_own_chunk(sample: list[Chunk]) -> None:
    rules = [chunk for chunk in sample if chunk.kind == "rule"]
    assert sorted(int(chunk.source_id[3:]) for chunk in rules) == list(range(1, 46))
    (br1,) = by_source(sample, "BR-1")
    assert br1.text.splitlines() == [
        "Payment extensions and arrears limits › Payment extensions",
        "BR-1: A payment extension can move the due date by at most 30 calendar days from the "
        "original due date. | Day 1 is the day after the original due date."]
    assert (br1.page_id, br1.space, br1.url) == ("229376013", "CCOPS",
                                                 f"{PAYMENTS_URL}#Payment-extensions")
    assert br1.heading_path == ["Payment extensions"] and br1.rule_ids == ["BR-1"]


def test_a_rule_ending_in_a_colon_keeps_the_list_it_introduces(sample: list[Chunk]) -> None:
    (br19,) = by_source(sample, "BR-19")
    assert br19.text.splitlines()[1:] == [
        "BR-19: Before discussing the account or making any change, the agent must verify the "
        "caller on at least 2 of these 3 items:",
        "- date of birth of the account holder",
        "- full postcode of the supply address",
        "- amount of the last payment received (to the nearest pound)"]
    sections = [chunk.text for chunk in by_source(sample, "229378101")]
    assert not any("full postcode" in text for text in sections)


def test_page_sections_keep_heading_path_and_the_rules_they_hold(sample: list[Chunk]) -> None:
    sections = {tuple(chunk.heading_path): chunk for chunk in by_source(sample, "229376013")}
    assert set(sections) == {(), ("Payment extensions",), ("Agent authority",)}
    extensions = sections[("Payment extensions",)]
    assert extensions.kind == "page" and extensions.rule_ids == ["BR-1", "BR-2", "BR-3"]
    assert "moves the due date of an overdue bill" in extensions.text
    assert "BR-1" not in extensions.text  # the rules are chunks of their own
    assert sections[("Agent authority",)].rule_ids == ["BR-7", "BR-1", "BR-2"]


def test_a_table_that_is_not_rules_is_a_chunk_with_its_header(sample: list[Chunk]) -> None:
    (codes,) = [chunk for chunk in by_source(sample, "vulnerable-customers-register")
                if chunk.heading_path == ["Need codes"]]
    lines = codes.text.splitlines()
    assert lines[:3] == ["Vulnerable customers register › Need codes", "Code | Need | Type",
                         "01 | Medically dependent on electricity or water supply | Permanent"]
    assert len(lines) == 10  # context, header, 8 rows


def test_long_tables_repeat_the_header_in_every_chunk(sample_copy: Path) -> None:
    rows = "\n".join(f"| {n:02d} | Need {n} | Temporary |" for n in range(1, 21))
    (sample_copy / "confluence" / "codes.md").write_text(
        f"# Codes\n\n## All codes\n\n| Code | Need | Type |\n|---|---|---|\n{rows}\n",
        encoding="utf-8")
    pieces = by_source(chunks_of(sample_copy), "codes")
    assert [len(chunk.text.splitlines()) for chunk in pieces] == [10, 10, 6]
    assert all(chunk.text.splitlines()[1] == "Code | Need | Type" for chunk in pieces)


def test_stories_give_a_summary_and_one_chunk_per_criterion(sample: list[Chunk]) -> None:
    story = by_source(sample, "CC-101")
    assert [chunk.criterion_id for chunk in story] == [None, "AC1", "AC2", "AC3", "AC4"]
    assert story[0].text.startswith("CC-101: Agent can grant a payment extension")
    ac3 = story[3]
    assert (ac3.kind, ac3.project, ac3.story_key, ac3.rule_ids) == ("story", "CC", "CC-101",
                                                                     ["BR-2"])
    assert ac3.url == "https://brightwater.atlassian.net/browse/CC-101"
    assert "Extension limit reached (max 2 in 12 months)" in ac3.text


def test_test_cases_are_one_chunk_each_with_their_steps(sample: list[Chunk]) -> None:
    assert Counter(chunk.kind for chunk in sample)["test"] == 27
    (case,) = by_source(sample, "CC-101-TC01")
    assert case.story_key == "CC-101" and case.project == "CC"
    assert case.rule_ids == ["BR-6", "BR-7"]
    assert "4. Click Confirm -> Extension is saved" in case.text


def test_ids_are_stable_and_change_only_with_content(sample_copy: Path) -> None:
    first = chunks_of(sample_copy)
    assert [chunk.chunk_id for chunk in first] == [chunk.chunk_id for chunk in
                                                    chunks_of(sample_copy)]
    before = {chunk.chunk_id: chunk for chunk in first}
    page = sample_copy / "confluence" / "direct-debit-and-payment-plans.md"
    page.write_text(page.read_text(encoding="utf-8").replace("1st to the 28th", "1st to the 25th"),
                    encoding="utf-8")
    after = {chunk.chunk_id: chunk for chunk in chunks_of(sample_copy)}
    assert [before[i].source_id for i in set(before) - set(after)] == ["BR-38"]
    (changed,) = (after[i] for i in set(after) - set(before))
    assert changed.source_id == "BR-38" and "1st to the 25th" in changed.text


def test_an_empty_workspace_has_nothing_to_ingest(tmp_path: Path) -> None:
    (tmp_path / "jira").mkdir()
    with pytest.raises(InputError, match="has nothing to ingest: no stories, Confluence pages"):
        chunks_to_ingest(Workspace(tmp_path, load_settings(workspace=tmp_path)))
