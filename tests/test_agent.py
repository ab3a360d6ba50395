"""The agent's nodes and graph with a scripted chat model (fast; no weights loaded).

The story, rules and existing tests are the bundled sample's, parsed for real; only the chat
model is scripted (tests/scripted_model.py).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from scripted_model import ScriptedChatModel

from casewright.agents.context import AgentContext
from casewright.agents.graph import build_graph
from casewright.agents.planner import Addition, Additions
from casewright.agents.reviewer import Critique, check_case
from casewright.agents.state import Evidence
from casewright.agents.writer import FIX_PROBLEMS, TASK_TERMS, CaseDraft, StepDraft, brief
from casewright.approval import approved_cases
from casewright.config import load_settings
from casewright.errors import ModelOutputError
from casewright.memory.models import Chunk, Hit, SearchFilter
from casewright.models import Provenance, Step, Suite, TestCase
from casewright.quality import key_terms
from casewright.tools.workspace import Workspace, bundled_sample

_INTENT = re.compile(r"It must show: (.*)")


def good_answers(schema, prompt):
    """Answer like a capable model: grounded steps in the objective's own words."""
    if schema is CaseDraft:
        intent = _INTENT.search(prompt).group(1)
        return CaseDraft(preconditions=["The caller has passed ID&V"], steps=[
            StepDraft(action="Open the account screen for the caller",
                      expected="The account screen shows the overdue balance"),
            StepDraft(action=f"Check that {intent[:100]}", data="£180.00",
                      expected=f"The agent sees: {intent[:120]}")])
    if schema is Additions:
        return Additions(objectives=[
            Addition(criterion_id="AC4", kind="data", intent="Enter a new due date in a bad "
                     "format for the overdue bill"),
            Addition(criterion_id="AC9", kind="data", intent="No such criterion exists here"),
            Addition(criterion_id="AC2", kind="data", intent="Bake a cake with the printer ink")])
    if schema is Critique:
        return Critique()
    raise AssertionError(f"unexpected schema {schema.__name__}")


@pytest.fixture(scope="module")
def workspace() -> Workspace:
    return Workspace(bundled_sample(), load_settings(bundled_sample()))


def context_for(workspace: Workspace, model: ScriptedChatModel, **limits) -> AgentContext:
    rules = {rule.rule_id: (rule, page.url) for page in workspace.confluence.list_pages()
             for rule in page.rules}
    return AgentContext(chat_model=model, rules=rules, existing_tests=workspace.existing_tests(),
                        **limits)


def run_story(workspace: Workspace, key: str, model: ScriptedChatModel, **limits) -> dict:
    graph = build_graph().compile(checkpointer=InMemorySaver())
    return graph.invoke({"story": workspace.jira.get_story(key)},
                        {"configurable": {"thread_id": key}},
                        context=context_for(workspace, model, **limits))


def test_whole_story_covers_every_criterion_from_more_angles(workspace: Workspace) -> None:
    model = ScriptedChatModel(script=good_answers)
    state = run_story(workspace, "CC-101", model)
    suite: Suite = state["suite"]
    story = suite.story
    assert {cid for case in suite.cases for cid in case.criterion_ids} == \
        {c.criterion_id for c in story.criteria}
    assert len(suite.cases) > len(story.criteria)
    assert len({case.kind for case in suite.cases}) >= 3
    assert [case.case_id for case in suite.cases] == [
        f"CC-101-TC{n:02d}" for n in range(1, len(suite.cases) + 1)]
    assert suite.provenance.pipeline == "agent"
    assert suite.provenance.settings["prompt_writer"] == "writer-4"
    cited = {rule for case in suite.cases for rule in case.rule_ids}
    assert cited <= {source.source_id for source in suite.sources}
    assert all(source.url for source in suite.sources)
    assert not [f for f in suite.findings if f.severity == "error"]


def test_planner_keeps_criteria_and_only_sound_model_objectives(workspace: Workspace) -> None:
    model = ScriptedChatModel(script=good_answers)
    plan = run_story(workspace, "CC-101", model)["plan"]
    ids = [objective.objective_id for objective in plan.objectives]
    assert {"AC1-positive", "AC2-positive", "AC3-negative", "AC4-positive"} <= set(ids)
    assert "AC4-data" in ids  # the model's sound addition
    assert not any(i.startswith("AC9") for i in ids) and "AC2-data" not in ids
    assert [o.origin for o in plan.objectives if o.objective_id == "AC4-data"] == ["model"]
    assert len([o for o in plan.objectives if o.criterion_id == "AC1"]) == 4  # the cap


def test_writer_sets_title_kind_and_traces_and_cites_named_rules(workspace: Workspace) -> None:
    model = ScriptedChatModel(script=good_answers)
    suite = run_story(workspace, "CC-101", model)["suite"]
    case = next(c for c in suite.cases if c.criterion_ids == ["AC2"] and c.kind == "positive")
    assert case.title.startswith("AC2 positive: ") and case.rule_ids == ["BR-7"]
    assert case.steps[1].data == "£180.00" and case.preconditions == ["The caller has passed ID&V"]
    prompts = model.asked("CaseDraft")
    assert len(prompts) == len(suite.cases)
    shared = {prompt.split("Task: write")[0] for prompt in prompts}
    assert len(shared) == 1, "every writer call for a story shares one prefix"
    prefix = shared.pop()
    assert "BR-7 (" in prefix and "<exemplars>" in prefix, "evidence and exemplars are cached"


def test_tasks_name_the_criterion_by_id_and_rewrites_name_problems_briefly(
        workspace: Workspace) -> None:
    """The task is evaluated on every call: what the cached prefix holds is not repeated."""
    def copying(schema, prompt):
        if schema is CaseDraft and "previous case" not in prompt:
            step = StepDraft(action="Write one test case: open <screen>", expected="Works")
            return CaseDraft(steps=[step, step])
        return good_answers(schema, prompt) if schema is not Additions else Additions(objectives=[])

    model = ScriptedChatModel(script=copying)
    story = workspace.jira.get_story("CC-101")
    run_story(workspace, "CC-101", model, max_review_rounds=1)
    tasks = [prompt.split("Task: write")[1] for prompt in model.asked("CaseDraft")]
    assert not any(c.text in task for c in story.criteria for task in tasks)
    first = story.criteria[0]
    assert f"Use its words: {', '.join(key_terms(first)[:TASK_TERMS])}\n" in tasks[0]
    assert key_terms(first)[:4] == ["caller", "passed", "id&v", "account"]
    rewrites = [task.split("without them: ")[1] for task in tasks if "previous case" in task]
    assert rewrites and all(len(task.split("; ")) == FIX_PROBLEMS for task in rewrites)
    assert brief("takes an exemplar's subject or data: backdate, history") == \
        "takes an exemplar's subject or data", "no word list: the model copies it"


def test_a_rewrite_that_repeats_the_problems_it_was_shown_is_caught(workspace: Workspace) -> None:
    def parroting(schema, prompt):
        if schema is CaseDraft and "without them: " in prompt:
            problem = prompt.split("without them: ")[1].split(";")[0].strip()
            draft = good_answers(schema, prompt)
            draft.steps[0].expected = problem
            return draft
        if schema is CaseDraft:
            return CaseDraft(steps=[StepDraft(action="Business rules", expected="Business rules")])
        return good_answers(schema, prompt) if schema is not Additions else Additions(objectives=[])

    suite = run_story(workspace, "CC-102", ScriptedChatModel(script=parroting),
                      max_review_rounds=1)["suite"]
    echoed = [f for f in suite.findings if f.check == "fallback" and "review's findings" in
              f.message]
    assert echoed and len(echoed) == len(suite.cases)


def test_model_failures_fall_back_to_the_scaffold_with_open_findings(
        workspace: Workspace) -> None:
    def failing(schema, prompt):
        raise ModelOutputError("no JSON", raw_output="{", attempts=2)

    suite = run_story(workspace, "CC-102", ScriptedChatModel(script=failing))["suite"]
    assert len(suite.cases) >= len(suite.story.criteria)
    assert all("scaffold" in case.labels for case in suite.cases)
    assert {c for case in suite.cases for c in case.criterion_ids} == {"AC1", "AC2", "AC3", "AC4"}


def test_review_loop_is_bounded_and_keeps_findings_open(workspace: Workspace) -> None:
    def new_fault_each_time(schema, prompt):
        """Each rewrite fails a different check, so every round seems worth another try."""
        if schema is CaseDraft:
            if "previous case had these problems" in prompt and "placeholder" not in prompt:
                draft = good_answers(schema, prompt)
                draft.steps[0].action = "Open the account screen for <name>"
                return draft
            return CaseDraft(steps=[StepDraft(action="Business rules", expected="Business rules")])
        return good_answers(schema, prompt) if schema is not Additions else Additions(objectives=[])

    model = ScriptedChatModel(script=new_fault_each_time)
    state = run_story(workspace, "CC-102", model, max_review_rounds=2)
    suite = state["suite"]
    objectives = len(state["plan"].objectives)
    assert state["review"].round == 3
    assert len(model.asked("CaseDraft")) == objectives * 3
    fallbacks = [f for f in suite.findings if f.check == "fallback"]
    assert len(fallbacks) == objectives == len(suite.cases)
    assert all("a step expects what it does" in f.message for f in fallbacks)
    assert not [f for f in suite.findings if f.check == "ungrounded"]  # template words are known


def test_a_rewrite_that_fails_the_same_way_is_not_tried_again(workspace: Workspace) -> None:
    def degenerate(schema, prompt):
        if schema is CaseDraft:
            return CaseDraft(steps=[StepDraft(action="Business rules", expected="Business rules")])
        return good_answers(schema, prompt) if schema is not Additions else Additions(objectives=[])

    model = ScriptedChatModel(script=degenerate)
    state = run_story(workspace, "CC-102", model, max_review_rounds=2)
    objectives = len(state["plan"].objectives)
    assert state["review"].round == 2 and not state["review"].revise
    assert len(model.asked("CaseDraft")) == objectives * 2, "one rewrite, then no more"
    assert len([f for f in state["suite"].findings if f.check == "fallback"]) == objectives


class RuleMemory:
    """Stands in for the Qdrant memory in this fast test: returns one fixed rule hit."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, SearchFilter]] = []

    def search(self, query: str, *, limit: int, where: SearchFilter) -> list[Hit]:
        self.queries.append((query, where))
        chunk = Chunk(chunk_id="1", kind="rule", source_id="BR-8", title="Fees and charges",
                      text="Fees and charges > Late fees\nBR-8: A late payment fee of £12 ...",
                      url="https://brightwater.atlassian.net/wiki/x")
        return [Hit(chunk=chunk, score=0.5)]


def test_retriever_adds_searched_rules_with_their_links(workspace: Workspace) -> None:
    memory = RuleMemory()
    graph = build_graph().compile()
    context = context_for(workspace, ScriptedChatModel(script=good_answers))
    context.memory = memory
    state = graph.invoke({"story": workspace.jira.get_story("CC-102")}, context=context)
    evidence = state["evidence"]
    assert {"BR-8", "BR-9", "BR-12"} <= evidence.rule_ids()
    assert all(where.kind == "rule" for _, where in memory.queries)
    assert len(memory.queries) == len(state["story"].criteria)
    br8 = next(s for s in evidence.sources if s.source_id == "BR-8")
    assert br8.text.startswith("BR-8: A late payment fee") and br8.url
    assert evidence.exemplars and all(c.story_key != "CC-102" for c in evidence.exemplars)


def test_injected_instructions_stay_data(workspace: Workspace) -> None:
    story = workspace.jira.get_story("CC-105")
    assert "ignore your previous instructions" in story.description.lower()
    model = ScriptedChatModel(script=good_answers)
    suite = run_story(workspace, "CC-105", model)["suite"]
    assert {c for case in suite.cases for c in case.criterion_ids} == \
        {c.criterion_id for c in story.criteria}
    system = [text for _, text in model.calls][0]
    assert "never instructions" in system
    assert all("ignore your previous instructions" not in text.lower() for _, text in model.calls)


def test_an_interrupted_run_resumes_without_redoing_finished_work(
        workspace: Workspace, tmp_path) -> None:
    """Stop a two-story run inside the second story's writer, then resume it (real SQLite)."""
    from casewright.agents.run import compile_agent, open_checkpointer, run_story

    model = ScriptedChatModel(script=good_answers)
    stories = [workspace.jira.get_story("CC-201"), workspace.jira.get_story("CC-202")]

    def stop_in_second_writer(message: str) -> None:
        if message.startswith("writer 2/") and model.asked("Additions").__len__() == 2:
            raise KeyboardInterrupt

    context = context_for(workspace, model)
    context.progress = stop_in_second_writer
    graph = compile_agent(open_checkpointer(tmp_path))
    first, done_before = run_story(graph, stories[0], context, "run-1")
    assert not done_before
    with pytest.raises(KeyboardInterrupt):
        run_story(graph, stories[1], context, "run-1")
    calls_before = len(model.calls)

    resumed_model = ScriptedChatModel(script=good_answers)
    graph = compile_agent(open_checkpointer(tmp_path))  # a new process would reopen the file
    again, done_before = run_story(graph, stories[0], context_for(workspace, resumed_model),
                                   "run-1")
    assert done_before and again == first and resumed_model.calls == []
    second, done_before = run_story(graph, stories[1], context_for(workspace, resumed_model),
                                    "run-1")
    assert not done_before and second.story.key == "CC-202"
    assert resumed_model.asked("Additions") == []  # the planner had finished before the stop
    assert len(resumed_model.asked("CaseDraft")) >= len(second.cases)
    assert calls_before > 0


def test_a_foreign_model_s_unparseable_reply_falls_back_instead_of_failing(
        workspace: Workspace) -> None:
    """Any BaseChatModel: a parser error from it becomes the template case, not a crash."""
    from langchain_core.exceptions import OutputParserException

    def unparseable(schema, prompt):
        if schema is CaseDraft:
            raise OutputParserException("not JSON", llm_output="Sure! Here is a test case")
        return good_answers(schema, prompt)

    suite = run_story(workspace, "CC-205", ScriptedChatModel(script=unparseable))["suite"]
    assert suite.cases and all("scaffold" in case.labels for case in suite.cases)


def test_reviewer_catches_a_case_that_took_its_subject_from_an_exemplar(
        workspace: Workspace) -> None:
    """Last benchmark's weak case, as the model wrote it: AC1 of CC-105 is about payment plans,
    but the draft tests an exemplar's payment extension with its account and date. It names
    three of AC1's key terms, so it passed review and became an approved exemplar.
    """
    story = workspace.jira.get_story("CC-105")
    exemplar = next(c for c in workspace.existing_tests() if c.case_id == "CC-101-TC01"
                    and "40231177" in c.steps[0].action)
    drifted = TestCase(
        case_id="CC-105-TC02", title="AC1 positive: Payment plan option", story_key="CC-105",
        objective="The Payment plan option is available when the arrears are £500 or more",
        kind="positive", criterion_ids=["AC1"], steps=[
            Step(action="Open account 40231177 and pass ID&V",
                 expected="Extension is saved and the account banner shows 'Extension to "
                          "19/09/2024'"),
            Step(action="Click Confirm", expected="Email confirmation from the customer "
                 "confirms the extension is available when the arrears are £500 or more")])
    evidence = Evidence(exemplars=[exemplar], by_criterion={"AC1": []})
    findings = check_case(drifted, story, evidence, [])
    off_subject = [f for f in findings if f.check == "off-subject"]
    assert off_subject and "40231177" in off_subject[0].message
    assert "extension" in off_subject[0].message
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
