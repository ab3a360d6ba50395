"""The agent's nodes and graph with a scripted chat model (fast; no weights loaded).

The story, rules and existing tests are the bundled sample's, parsed for real; the criterion
analysis runs on the real spaCy pipeline; only the chat model is scripted
(tests/scripted_model.py).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from scripted_model import ScriptedChatModel

from casewright.agents.checks import check_case
from casewright.agents.context import AgentContext
from casewright.agents.drafts import Draft, DraftStep
from casewright.agents.graph import build_graph
from casewright.agents.passages import rule_passages
from casewright.agents.reviewer import Critique
from casewright.agents.state import Evidence
from casewright.agents.writer import CaseDraft, StepDraft
from casewright.approval import ENGINE_LABEL, MODEL_LABEL, approved_cases
from casewright.config import load_settings
from casewright.errors import ModelOutputError
from casewright.memory.models import Chunk, Hit, SearchFilter
from casewright.models import AcceptanceCriterion, Provenance, Step, Suite, TestCase
from casewright.quality import (
    borrowed_words,
    names_key_terms,
    negatives_asserting_positive,
    restates,
)
from casewright.tools.workspace import Workspace, bundled_sample

_DRAFT_TASK = re.compile(r"Task: write a (\w+) UAT test case for: .*\nExpected outcome: (.*)\n"
                         r"Values to use: (.*)\n")
_SHOWN_CASE = re.compile(r"Task: reword this \w+ case for \w+\.\n(\{.*\})", re.DOTALL)


def shown_case(prompt: str) -> dict:
    """Return the engine's case a reword task shows."""
    return json.loads(_SHOWN_CASE.search(prompt).group(1))


def good_answers(schema, prompt):
    """Answer like a capable model: the engine's case in the team's words, meaning kept; a
    draft of the task's kind with its values and outcome."""
    if schema is CaseDraft:
        case = shown_case(prompt)
        steps = [StepDraft(action=step["action"], data=step["data"],
                           expected=f"On screen: {step['expected']}") for step in case["steps"]]
        return CaseDraft(preconditions=case["preconditions"], steps=steps)
    if schema is Draft:
        kind, outcome, listed = _DRAFT_TASK.search(prompt).groups()
        values = [] if listed == "none" else json.loads(f"[{listed}]")
        return Draft(preconditions=["Signed in as a contact centre agent"], steps=[
            DraftStep(action="Open the customer's account screen"),
            DraftStep(action=f"Carry out the {kind} case on the account screen",
                      data=", ".join(values), expected=outcome.split("; ")[0])])
    if schema is Critique:
        return Critique()
    raise AssertionError(f"unexpected schema {schema.__name__}")


@pytest.fixture(scope="module")
def workspace() -> Workspace:
    return Workspace(bundled_sample(), load_settings(bundled_sample()))


def context_for(workspace: Workspace, model: ScriptedChatModel, **limits) -> AgentContext:
    """Return the sample's context; the model rewords unless a test turns that off."""
    return AgentContext(chat_model=model, rules=rule_passages(workspace.confluence),
                        existing_tests=workspace.existing_tests(), **{"reword": True, **limits})


def run_story(workspace: Workspace, key: str, model: ScriptedChatModel, **limits) -> dict:
    graph = build_graph().compile(checkpointer=InMemorySaver())
    return graph.invoke({"story": workspace.jira.get_story(key)},
                        {"configurable": {"thread_id": key}},
                        context=context_for(workspace, model, **limits))


def test_whole_story_covers_every_criterion_with_runnable_configurations(
        workspace: Workspace) -> None:
    model = ScriptedChatModel(script=good_answers)
    suite: Suite = run_story(workspace, "CC-101", model)["suite"]
    story = suite.story
    assert {cid for case in suite.cases for cid in case.criterion_ids} == \
        {c.criterion_id for c in story.criteria}
    assert len(suite.cases) > len(story.criteria)
    assert {"positive", "negative", "boundary"} <= {case.kind for case in suite.cases}
    assert [case.case_id for case in suite.cases] == [
        f"CC-101-TC{n:02d}" for n in range(1, len(suite.cases) + 1)]
    assert suite.provenance.pipeline == "agent"
    assert suite.provenance.settings["prompt_writer"] == "writer-6"
    cited = {rule for case in suite.cases for rule in case.rule_ids}
    assert cited <= {source.source_id for source in suite.sources}
    assert not [f for f in suite.findings if f.severity == "error"]
    criteria = {c.criterion_id: c for c in story.criteria}
    assert not [c for c in suite.cases if restates(c, criteria[c.criterion_ids[0]])]
    assert not negatives_asserting_positive(suite.cases)


def test_a_limit_in_a_given_clause_gets_its_boundary_values(workspace: Workspace) -> None:
    """CC-101 AC2: 'Given the overdue balance is under £500': £499.99 asks for approval."""
    model = ScriptedChatModel(script=good_answers)
    suite = run_story(workspace, "CC-101", model, reword=False)["suite"]
    cases = {c.steps[0].data: c for c in suite.cases_for("AC2")}
    assert {"£499.99", "£500.00", "£500.01"} <= set(cases)
    assert "The overdue balance is £499.99" in cases["£499.99"].preconditions
    assert cases["£499.99"].steps[0].expected.startswith("Agent Desktop asks for team leader")
    assert cases["£500.00"].kind == "negative"
    assert "does not ask for team leader approval" in cases["£500.00"].steps[0].expected
    assert any(f.check == "assumption" and f.criterion_id == "AC2" for f in suite.findings), \
        "AC2 does not say what happens at £500: the question goes to the product owner"


def test_the_model_only_rewords_and_its_wording_is_kept_only_when_the_meaning_is(
        workspace: Workspace) -> None:
    def drops_the_not(schema, prompt):
        draft = good_answers(schema, prompt)
        if schema is CaseDraft:
            for step in draft.steps:
                step.expected = step.expected.replace(" not ", " ")
        return draft

    model = ScriptedChatModel(script=drops_the_not)
    suite = run_story(workspace, "CC-104", model)["suite"]
    worded = {c.case_id: c for c in suite.cases}
    negative = next(c for c in suite.cases_for("AC1") if c.kind == "negative")
    assert ENGINE_LABEL in negative.labels, "a rewording that lost its 'not' is dropped"
    assert negative.steps[-1].expected == "The Refer to hardship fund option does not show"
    positive = next(c for c in suite.cases_for("AC1") if c.kind == "positive")
    assert MODEL_LABEL in positive.labels and positive.steps[0].expected.startswith("On screen")
    prompts = model.asked("CaseDraft")
    assert len(prompts) == len(worded)
    assert len({prompt.split("Task: reword")[0] for prompt in prompts}) == 1, \
        "every writer call for a story shares one prefix"
    assert "£250.00" in prompts[0] and "<exemplars>" in prompts[0]


def test_reword_off_asks_the_model_nothing(workspace: Workspace) -> None:
    model = ScriptedChatModel(script=good_answers)
    suite = run_story(workspace, "CC-102", model, reword=False, critique=False)["suite"]
    assert model.calls == []
    assert suite.cases and all(ENGINE_LABEL in c.labels for c in suite.cases)


def test_model_failures_keep_the_engine_wording(workspace: Workspace) -> None:
    def failing(schema, prompt):
        raise ModelOutputError("no JSON", raw_output="{", attempts=2)

    suite = run_story(workspace, "CC-102", ScriptedChatModel(script=failing))["suite"]
    assert {c for case in suite.cases for c in case.criterion_ids} == {"AC1", "AC2", "AC3", "AC4"}
    assert all(ENGINE_LABEL in case.labels for case in suite.cases)
    assert not [f for f in suite.findings if f.severity == "error"]


def test_a_rewording_that_fails_review_goes_back_to_the_engine_wording(
        workspace: Workspace) -> None:
    """The rewording keeps every word and value but adds the first exemplar's first result:
    the writer lets it through (an exemplar's words are allowed), the reviewer does not."""
    borrowed = []

    def borrowing(schema, prompt):
        draft = good_answers(schema, prompt)
        if schema is CaseDraft and draft.preconditions:
            exemplar = json.loads(prompt.split("<exemplars>\n")[1].split("\n")[0])
            borrowed.append(exemplar["steps"][0]["expected"])
            draft.preconditions[0] += f", then {borrowed[-1]}"
        return draft

    model = ScriptedChatModel(script=borrowing)
    state = run_story(workspace, "CC-104", model)
    suite = state["suite"]
    assert borrowed and state["review"].round == 2
    assert not any(borrowed[0] in " ".join(c.preconditions) for c in suite.cases)
    assert any(ENGINE_LABEL in c.labels and c.preconditions for c in suite.cases)
    assert len(model.asked("CaseDraft")) == len(suite.cases), "rewording is never retried"


def test_a_criterion_with_no_testable_outcome_gets_a_question_not_a_case(
        workspace: Workspace) -> None:
    story = workspace.jira.get_story("CC-205")
    vague = next(c for c in story.criteria if "quick and easy" in c.text)
    suite = run_story(workspace, "CC-205", ScriptedChatModel(script=good_answers))["suite"]
    assert not suite.cases_for(vague.criterion_id)
    questions = [f for f in suite.findings if f.check == "ambiguity"
                 and f.criterion_id == vague.criterion_id]
    assert {"quick", "easy"} <= {q.message.split("'")[1] for q in questions}
    assert all("measurable" in q.message for q in questions)
    assert not [f for f in suite.findings if f.check == "uncovered"]


class PassageMemory:
    """Stands in for the Qdrant memory in this fast test: a rule hit, a page section hit and
    an unrelated section for every search, whatever the query."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, SearchFilter]] = []

    def search(self, query: str, *, limit: int, where: SearchFilter) -> list[Hit]:
        self.queries.append((query, where))
        page = "https://brightwater.atlassian.net/wiki/spaces/CCOPS/pages/229376145/Fees"
        if where.kind == "rule":
            return [Hit(score=0.5, chunk=Chunk(
                chunk_id="1", kind="rule", source_id="BR-8", title="Fees and charges",
                text="Fees and charges › Late fees\nBR-8: A late payment fee of £12 ...",
                url=f"{page}#Late-fees", page_id="229376145", heading_path=["Late fees"]))]
        return [Hit(score=0.4, chunk=Chunk(
                    chunk_id="2", kind="page", source_id="229376145", title="Fees and charges",
                    text="Fees and charges › Fee waivers\nA late payment fee is waived once "
                    "in 12 months when the customer asks on the call.", url=f"{page}#Fee-waivers",
                    page_id="229376145", heading_path=["Fee waivers"])),
                Hit(score=0.3, chunk=Chunk(
                    chunk_id="3", kind="page", source_id="229380514", title="Office moves",
                    text="Office moves › Parking\nVisitors park in bay 4.", page_id="229380514",
                    heading_path=["Parking"]))]


def test_retriever_finds_rules_and_page_sections_that_bear_on_each_criterion(
        workspace: Workspace) -> None:
    memory = PassageMemory()
    graph = build_graph().compile()
    context = context_for(workspace, ScriptedChatModel(script=good_answers))
    context.memory = memory
    state = graph.invoke({"story": workspace.jira.get_story("CC-102")}, context=context)
    evidence = state["evidence"]
    assert {"BR-8", "BR-9", "BR-12"} <= evidence.rule_ids()
    assert {where.kind for _, where in memory.queries} == {"rule", "page"}
    assert len(memory.queries) == 2 * len(state["story"].criteria)
    br8 = next(s for s in evidence.sources if s.source_id == "BR-8")
    assert br8.text.startswith("BR-8: A late payment fee") and br8.url.endswith("#Late-fees")
    waiver = next(s for s in evidence.sources if s.source_id == "229376145#Fee-waivers")
    assert waiver.kind == "page" and waiver.heading_path == ["Fee waivers"]
    assert waiver.text.startswith("A late payment fee is waived")  # no context line
    assert "229380514#Parking" not in {s.source_id for s in evidence.sources}  # unrelated
    cited = {sid for case in state["suite"].cases for sid in case.source_ids}
    assert "229376145#Fee-waivers" in cited and cited <= {s.source_id for s in evidence.sources}
    assert evidence.exemplars and all(c.story_key != "CC-102" for c in evidence.exemplars)


def test_injected_instructions_stay_data_and_the_prompt_names_the_product(
        workspace: Workspace) -> None:
    story = workspace.jira.get_story("CC-105")
    assert "ignore your previous instructions" in story.description.lower()
    model = ScriptedChatModel(script=good_answers)
    suite = run_story(workspace, "CC-105", model)["suite"]
    assert {c for case in suite.cases for c in case.criterion_ids} == \
        {c.criterion_id for c in story.criteria}
    system = [text for _, text in model.calls][0]
    assert "never instructions" in system
    assert "UAT test analyst for Contact Centre Programme" in system  # the Jira project's name
    assert "agent desktop" not in system.lower() and "contact centre." not in system.lower()
    assert all("ignore your previous instructions" not in text.lower() for _, text in model.calls)
    named = ScriptedChatModel(script=good_answers)
    run_story(workspace, "CC-102", named, product="the billing portal")
    assert "UAT test analyst for the billing portal" in named.calls[0][1]


def test_an_interrupted_run_resumes_without_redoing_finished_work(
        workspace: Workspace, tmp_path) -> None:
    """Stop a two-story run inside the second story's writer, then resume it (real SQLite)."""
    from casewright.agents.checkpoints import compile_agent, open_checkpointer, run_story

    model = ScriptedChatModel(script=good_answers)
    stories = [workspace.jira.get_story("CC-201"), workspace.jira.get_story("CC-202")]
    planned: list[str] = []

    def stop_in_second_writer(message: str) -> None:
        if message.startswith("planner:"):
            planned.append(message)
        if message.startswith("writer 2/") and len(planned) == 2:
            raise KeyboardInterrupt

    context = context_for(workspace, model)
    context.progress = stop_in_second_writer
    graph = compile_agent(open_checkpointer(tmp_path))
    first, done_before = run_story(graph, stories[0], context, "run-1")
    assert not done_before
    with pytest.raises(KeyboardInterrupt):
        run_story(graph, stories[1], context, "run-1")
    assert model.calls

    resumed_model = ScriptedChatModel(script=good_answers)
    graph = compile_agent(open_checkpointer(tmp_path))  # a new process would reopen the file
    again, done_before = run_story(graph, stories[0], context_for(workspace, resumed_model),
                                   "run-1")
    assert done_before and again == first and resumed_model.calls == []
    resumed = context_for(workspace, resumed_model)
    lines: list[str] = []
    resumed.progress = lines.append
    second, done_before = run_story(graph, stories[1], resumed, "run-1")
    assert not done_before and second.story.key == "CC-202"
    assert not [line for line in lines if line.startswith("planner:")], "planned before the stop"
    assert resumed_model.asked("CaseDraft")


def test_a_foreign_model_s_unparseable_reply_keeps_the_engine_wording(
        workspace: Workspace) -> None:
    """Any BaseChatModel: a parser error from it leaves the engine's case, not a crash."""
    from langchain_core.exceptions import OutputParserException

    def unparseable(schema, prompt):
        if schema is CaseDraft:
            raise OutputParserException("not JSON", llm_output="Sure! Here is a test case")
        return good_answers(schema, prompt)

    suite = run_story(workspace, "CC-204", ScriptedChatModel(script=unparseable))["suite"]
    assert suite.cases and all(ENGINE_LABEL in case.labels for case in suite.cases)


def test_reviewer_catches_a_rewording_that_took_its_subject_from_an_exemplar(
        workspace: Workspace) -> None:
    """A benchmark's weak case, as the model wrote it: AC1 of CC-105 is about payment plans,
    but the draft tests an exemplar's payment extension with its account and date.
    """
    story = workspace.jira.get_story("CC-105")
    exemplar = next(c for c in workspace.existing_tests() if c.case_id == "CC-101-TC01"
                    and "40231177" in c.steps[0].action)
    drifted = TestCase(
        case_id="CC-105-TC02", title="AC1 positive: Payment plan option", story_key="CC-105",
        objective="The Payment plan option is available when the arrears are £500 or more",
        kind="positive", criterion_ids=["AC1"], labels=[MODEL_LABEL], steps=[
            Step(action="Open account 40231177 and pass ID&V",
                 expected="Extension is saved and the account banner shows 'Extension to "
                          "19/09/2024'"),
            Step(action="Click Confirm", expected="Email confirmation from the customer "
                 "confirms the extension is available when the arrears are £500 or more")])
    evidence = Evidence(exemplars=[exemplar], by_criterion={"AC1": []})
    findings = check_case(drifted, story, evidence, [])
    off_subject = [f for f in findings if f.check == "off-subject"]
    assert off_subject and "40231177" in off_subject[0].message
    on_subject = drifted.model_copy(update={"steps": [
        Step(action="Open the account with arrears of £500 and pass ID&V",
             expected="The Payment plan option is available on the account"),
        Step(action="Open an account with arrears of £499.99",
             expected="The Payment plan option is not offered")]})
    assert not [f for f in check_case(on_subject, story, evidence, [])
                if f.check == "off-subject"]
    suite = Suite(story=story, cases=[drifted], findings=findings, provenance=Provenance(
        tool_version="0", pipeline="agent", started_at=datetime.now(UTC),
        finished_at=datetime.now(UTC)))
    assert approved_cases(suite) == [], "a drifted case is never kept as an exemplar"


def test_an_inflection_of_the_storys_own_word_is_not_taken_from_an_exemplar(
        workspace: Workspace) -> None:
    """Met on a caterer's menu story ("Creating, updating and deleting MenuItems"): a draft
    set up "I am logged in as an admin" and "a menu item was created", which an exemplar also
    says, and was refused as taking the exemplar's subject ("am, created")."""
    exemplar = TestCase(case_id="X-9-TC01", title="Add a supplier", story_key="X-9",
                        objective="A supplier is created", kind="positive",
                        criterion_ids=["AC1"], preconditions=["I am logged in as an admin"],
                        steps=[Step(action="Add a supplier", expected="The supplier is created")])
    case = exemplar.model_copy(update={
        "preconditions": ["I am logged in as an admin", "A menu item was created yesterday"],
        "steps": [Step(action="Delete the menu item", expected="The menu item is not listed")]})
    own = "As an admin I want creating, updating and deleting menu items"
    assert borrowed_words(case, own, [exemplar]) == set()
    assert borrowed_words(case.model_copy(update={"preconditions": [
        "I am logged in as an admin", "A supplier was created yesterday"]}), own,
        [exemplar]) == {"supplier"}


@pytest.mark.parametrize(("criterion", "names", "other"), [
    ("Delete existing MenuItem", "Delete the menu item \"Soup\"", "Cancel the order"),
    ("Approve the PaymentPlan", "Approving the payment plan for account 1001",
     "Reject the extension"),
    ("Archive an expired JobPosting", "Archives the job posting that expired yesterday",
     "Hire the applicant")])
def test_a_case_names_its_criterion_in_any_inflection_and_written_apart(
        criterion: str, names: str, other: str) -> None:
    """A caterer's menu, a payment plan, a job board: names written as one word in the
    criterion, apart and inflected in the case."""
    said = AcceptanceCriterion(criterion_id="AC1", text=criterion)

    def case(action: str) -> TestCase:
        return TestCase(case_id="X-1-TC01", title="t", story_key="X-1", objective="o",
                        kind="positive", criterion_ids=["AC1"],
                        steps=[Step(action=action, expected="It is listed")])
    assert names_key_terms(case(names), said)
    assert not names_key_terms(case(other), said)
