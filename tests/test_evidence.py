"""Evidence passages: what the retriever keeps, what cases take from it, and the glossary."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scripted_model import ScriptedChatModel

from casewright.agents.grounding import conflicts, ground, stated_configurations
from casewright.agents.passages import bears_on, from_hits, passage_id
from casewright.agents.planner import plan_story
from casewright.agents.state import Evidence
from casewright.api import generate
from casewright.config import load_settings
from casewright.design.quantities import find_limits
from casewright.design.reading import analyse
from casewright.memory import ingest, open_memory
from casewright.memory.chunking import anchor, make_chunk, passage_url
from casewright.memory.models import Chunk, Hit
from casewright.models import AcceptanceCriterion, Page, Source, Step, Story, TestCase
from casewright.quality import ungrounded_words
from casewright.tools.blocks import Block, row
from casewright.tools.glossary import definitions, workspace_glossary
from casewright.tools.workspace import Workspace, bundled_sample

DEVSETS = Path(__file__).parents[1] / "benchmarks" / "devsets"
UNNUMBERED = DEVSETS / "brightwater-unnumbered"
JIRA_API = DEVSETS / "jira-api-reference"
AUTHORITY = Source(
    source_id="229376013#Agent-authority", kind="page", title="Payment extensions",
    heading_path=["Agent authority"], text="Agents can agree extensions of up to 14 days "
    "themselves. Extensions of 15 to 30 days need team leader approval in the Agent Desktop "
    "approvals queue before they are saved.")
MOVE_LIMIT = Source(source_id="229376013#Payment-extensions", kind="page",
                    title="Payment extensions", text="A payment extension can move the due date "
                    "by at most 30 calendar days from the original due date.")


APPROVAL = AcceptanceCriterion(
    criterion_id="AC2", text="Given the caller has passed ID&V When the agent picks a new due "
    "date 21 days after the original due date Then Agent Desktop asks for team leader approval "
    "before the extension is saved", given=["the caller has passed ID&V"],
    when=["the agent picks a new due date 21 days after the original due date"],
    then=["Agent Desktop asks for team leader approval before the extension is saved"])


def behaviour_of(criterion: AcceptanceCriterion | str):
    if isinstance(criterion, str):
        criterion = AcceptanceCriterion(criterion_id="AC2", text=criterion)
    (behaviour,) = analyse(criterion)
    return behaviour


def test_a_limit_a_page_states_about_the_outcome_gets_its_boundary_cases() -> None:
    configurations = stated_configurations(behaviour_of(APPROVAL), AUTHORITY, [])
    by_data = {c.data: c for c in configurations}
    assert set(by_data) == {"14 days", "15 days", "30 days", "31 days"}
    assert by_data["15 days"].actions[-1] == "Pick a new due date 15 days after the original " \
        "due date"
    assert by_data["15 days"].outcome[0] == "Agent Desktop asks for team leader approval " \
        "before the extension is saved"
    assert by_data["14 days"].outcome[0].startswith("Agent Desktop does not ask")
    assert all("229376013#Agent-authority" in c.label for c in configurations)


def test_a_value_another_passage_rules_out_is_left_to_that_rule() -> None:
    """31 days is refused by the 30-day move limit, so it is no case of the approval rule."""
    move = find_limits(MOVE_LIMIT.text)
    configurations = stated_configurations(behaviour_of(APPROVAL), AUTHORITY, move)
    assert {c.data for c in configurations} == {"14 days", "15 days", "30 days"}


def test_a_passage_about_something_else_adds_no_cases() -> None:
    """The 30-day move limit says nothing of approval: no boundary cases from it."""
    assert stated_configurations(behaviour_of(APPROVAL), MOVE_LIMIT, []) == []


def test_a_page_that_states_another_limit_is_a_conflict_not_a_silent_choice() -> None:
    behaviour = behaviour_of("The Refer to hardship fund option only shows when the arrears "
                             "are £250 or more")
    other = Source(source_id="hardship#Who-can-apply", kind="page", title="Hardship fund",
                   text="A customer can be referred to the hardship fund when the arrears are "
                   "£300 or more.")
    same = other.model_copy(update={"text": "Customers with arrears under £250 cannot be "
                                    "referred to the hardship fund."})
    (finding,) = conflicts(behaviour, other)
    assert finding.check == "conflict" and "'£250 or more'" in finding.message
    assert "'£300 or more'" in finding.message and "hardship#Who-can-apply" in finding.message
    assert conflicts(behaviour, same) == []


def test_ground_cites_passages_and_says_when_there_is_no_evidence() -> None:
    story = Story(key="CC-9", summary="Extensions", project="CC", criteria=[
        APPROVAL])
    plan = plan_story(story, 8)
    evidence = Evidence(sources=[AUTHORITY, MOVE_LIMIT],
                        by_criterion={"AC2": [AUTHORITY.source_id, MOVE_LIMIT.source_id]})
    grounded = ground(plan, story, evidence, 8)
    assert all(o.source_ids[0] == AUTHORITY.source_id for o in grounded.objectives)
    assert len(grounded.objectives) == len(plan.objectives) + 3  # 14, 15 and 30 days
    bare = ground(plan, story, Evidence(), 8)
    assert [f.check for f in bare.findings if f.check == "no-evidence"] == ["no-evidence"]
    assert all(not o.source_ids for o in bare.objectives)


def test_sections_are_cited_by_page_and_anchor_and_their_chunks_merge() -> None:
    url = "https://example.atlassian.net/wiki/spaces/OPS/pages/42/Fees"
    assert anchor("Card payments (PCI DSS)") == "Card-payments-(PCI-DSS)"
    assert passage_url(url, ["Fees", "Waiving fees"]) == f"{url}#Waiving-fees"
    chunks = [Chunk(chunk_id=str(n), kind="page", source_id="42", title="Fees", page_id="42",
                    heading_path=["Waiving fees"], url=f"{url}#Waiving-fees",
                    text=f"Fees › Waiving fees\npart {n} of the waiver rules") for n in (1, 2)]
    assert passage_id(chunks[0]) == "42#Waiving-fees"
    (passage,) = from_hits([Hit(chunk=chunk, score=1.0) for chunk in chunks])
    assert passage.text == "part 1 of the waiver rules\npart 2 of the waiver rules"
    assert bears_on("A waived late payment fee", "Agent waives a late payment fee")
    assert not bears_on("Visitors park in bay 4", "Agent waives a late payment fee")


def test_a_glossary_page_and_means_sentences_define_terms() -> None:
    glossary = Page(page_id="7", title="Team glossary", text="")
    blocks = [Block("heading", "Terms", level=2), row(["Term", "Meaning"], header=True),
              row(["Account banner", "The strip at the top of the account screen"],
                  header=False),
              Block("item", "DD: direct debit", level=1)]
    assert definitions(glossary, blocks) == {
        "Account banner": "The strip at the top of the account screen", "DD": "direct debit"}
    other = Page(page_id="8", title="Payment plans", text="")
    prose = [Block("paragraph", "Plans are set up on the call. A broken plan means two missed "
                   "instalments in a row."), Block("item", "Note: ask first", level=1)]
    assert definitions(other, prose) == {"broken plan": "two missed instalments in a row"}


def test_the_sample_glossary_reaches_the_reviewer() -> None:
    sample = Workspace(bundled_sample(), load_settings(bundled_sample()))
    glossary = workspace_glossary(sample.confluence)
    assert {"Account banner", "ID&V", "PayPoint", "DD"} <= set(glossary)


@pytest.mark.slow
def test_pages_without_rule_ids_still_ground_the_cases(tmp_path: Path) -> None:
    """The unnumbered sample (benchmarks/unnumbered.py) on the real embedded Qdrant engine
    and ONNX embedder: most criteria find passages, the cases cite them, and nothing cites a
    rule id (there are none)."""
    settings = load_settings(UNNUMBERED, home=tmp_path, agent_draft=False)
    suites = generate(["CC-101", "CC-102", "CC-104", "CC-105"], workspace=UNNUMBERED,
                      settings=settings, chat_model=ScriptedChatModel(script=lambda _: "{}"))
    criteria = [(suite, c) for suite in suites for c in suite.story.criteria]
    grounded = [(suite, c) for suite, c in criteria
                if any(case.source_ids for case in suite.cases_for(c.criterion_id))]
    assert len(grounded) >= 0.8 * len(criteria)
    for suite in suites:
        known = {source.source_id: source for source in suite.sources}
        for case in suite.cases:
            assert not case.rule_ids
            assert all(known[sid].kind == "page" and known[sid].url for sid in case.source_ids)
    cc101 = suites[0]
    assert any("15 days" in step.data for case in cc101.cases for step in case.steps)


@pytest.mark.slow
def test_hybrid_search_finds_the_section_of_public_documentation(tmp_path: Path) -> None:
    """The public Jira REST API reference (benchmarks/devsets/jira-api-reference, 200
    operations, Apache-2.0) in the real embedded engine: an operation's summary finds its
    description among the 200 (benchmarks/memory.py prints the full table)."""
    operations = json.loads((JIRA_API / "operations.json").read_text(encoding="utf-8"))
    chunks = [make_chunk(kind="page", source_id=o["operation_id"], title="Jira REST API",
                         heading_path=[o["tag"]], text=f"{o['tag']}\n{o['description']}")
              for o in operations]
    settings = load_settings(UNNUMBERED, home=tmp_path, memory_path=tmp_path / "memory",
                             agent_draft=False)
    with open_memory(settings, create=True) as memory:
        ingest(memory, chunks)
        ranks = []
        for operation in operations:
            found = [hit.chunk.source_id for hit in memory.search(operation["summary"], limit=5)]
            ranks.append(found.index(operation["operation_id"]) + 1
                         if operation["operation_id"] in found else None)
    recall = sum(rank is not None for rank in ranks) / len(ranks)
    mrr = sum(1 / rank for rank in ranks if rank) / len(ranks)
    assert recall >= 0.9 and mrr >= 0.75, (recall, mrr)


class NothingFound:
    """Stands in for a memory that holds no rule or page: every search finds nothing."""

    def search(self, query: str, *, limit: int, where: object) -> list[Hit]:
        return []


def test_a_workspace_without_pages_still_runs_and_says_so() -> None:
    """The e-petitions dev set has stories and no Confluence pages."""
    folder = DEVSETS / "e-petitions"
    (suite,) = generate(["EP-3"], workspace=folder, memory=NothingFound(),
                        chat_model=ScriptedChatModel(script=lambda _: "{}"),
                        settings=load_settings(folder, agent_draft=False))
    assert suite.cases and not suite.sources
    assert any(f.check == "no-evidence" for f in suite.findings)
    assert all(not case.source_ids for case in suite.cases)


def test_grounding_knows_inflections_and_glossary_terms_but_not_invented_words() -> None:
    case = TestCase(case_id="EP-1-TC01", title="t", objective="o", story_key="EP-1", steps=[
        Step(action="Download the JSON data", expected="The JSON data are downloaded to the "
             "account banner")])
    assert ungrounded_words(case, "Downloading the JSON data of archived petitions") == {
        "account", "banner"}
    glossary = "Account banner The strip at the top of the account screen"
    assert ungrounded_words(case, f"Downloading the JSON data\n{glossary}") == set()
    invented = case.model_copy(update={"steps": [Step(action="Download the JSON data",
                                                      expected="A hologram appears")]})
    assert ungrounded_words(invented, "Downloading the JSON data") == {"hologram"}
