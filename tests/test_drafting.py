"""The model drafts whole cases and code checks each against the engine's plan (fast; scripted).

The story, rules and analysis are the bundled sample's, for real; only the chat model is
scripted (tests/scripted_model.py): one that drafts like a capable specialist, and ones that
drop a value or turn a negative into the positive, to see the checks, the repair round and
the engine's fallback.
"""

from __future__ import annotations

import json
import re

import pytest
from langgraph.checkpoint.memory import InMemorySaver
from scripted_model import ScriptedChatModel

from casewright.agents.cases import engine_case, scaffold_objective
from casewright.agents.context import AgentContext
from casewright.agents.drafting import (
    COMPLETED_LABEL,
    REPAIRED_LABEL,
    REVIEW_LABEL,
    completed,
    denies,
    does,
    draft_problems,
    drafted,
    drafting_task,
    echoes,
    enters_nothing,
    feature_acts,
    grounded_setup,
    is_instruction,
    plan_setup,
    planned_acts,
    result_given,
    stops_short,
)
from casewright.agents.drafts import UNSTATED, Draft, DraftStep
from casewright.agents.graph import build_graph
from casewright.agents.passages import rule_passages
from casewright.agents.planner import plan_story
from casewright.agents.reviewer import Critique
from casewright.agents.state import Evidence, Objective
from casewright.agents.writer import with_plan_setup
from casewright.approval import ENGINE_LABEL, MODEL_LABEL
from casewright.config import load_settings
from casewright.design.behaviour import Configuration
from casewright.models import AcceptanceCriterion, Step, Story, Suite, TestCase
from casewright.quality import negatives_asserting_positive
from casewright.tools.workspace import Workspace, bundled_sample

INTRO = "An introduction to how the app works is displayed the first time the app is launched"
"""A criterion the engine cannot configure (nothing to set up or do beyond its words)."""
_TASK = re.compile(r"Task: write a (\w+) UAT test case for: (.*)\nExpected outcome: (.*)\n"
                   r"Values to use: (.*)\n")


def specialist(*, drop_values: bool = False, flip: bool = False, off_outcome: bool = False,
               fix_on_repair: bool = True, elsewhere: bool = False):
    """Return a script drafting like a capable model, optionally with one fault."""
    def answer(schema, prompt):
        if schema is Critique:
            return Critique()
        assert schema is Draft, schema.__name__
        kind, criterion, shows, listed = _TASK.search(prompt).groups()
        if shows in (UNSTATED, criterion):  # an unread criterion: its own act and result
            return Draft(preconditions=["The app has never been launched on this phone"],
                         steps=[DraftStep(action="Launch the app for the first time"),
                                DraftStep(action="Look at the first screen",
                                          expected="An introduction to how the app works is "
                                          "displayed")])
        values = [] if listed == "none" else json.loads(f"[{listed}]")
        repaired = "Your first draft was refused" in prompt and fix_on_repair
        outcome = shows.split("; ")[0].removeprefix("When ").split(", ", 1)[-1]
        if flip and not repaired:
            outcome = outcome.replace("does not ", "").replace("not ", "")
        if off_outcome and not repaired:
            outcome = "the account screen opens"
        data = "" if drop_values and not repaired else ", ".join(values)
        if elsewhere:  # opens the screen and stops there, result and all
            return Draft(preconditions=["Signed in as a contact centre agent"], steps=[
                DraftStep(action="Open the customer's account screen", data=data,
                          expected=outcome[:1].upper() + outcome[1:])])
        return Draft(preconditions=["Signed in as a contact centre agent"], steps=[
            DraftStep(action="Open the customer's account screen"),
            DraftStep(action="Grant the payment extension", data=data,
                      expected=outcome[:1].upper() + outcome[1:])])
    return answer


@pytest.fixture(scope="module")
def workspace() -> Workspace:
    return Workspace(bundled_sample(), load_settings(bundled_sample()))


def draft_story(workspace: Workspace, key: str, model: ScriptedChatModel) -> Suite:
    context = AgentContext(chat_model=model, rules=rule_passages(workspace.confluence),
                           existing_tests=workspace.existing_tests(), draft=True)
    graph = build_graph().compile(checkpointer=InMemorySaver())
    return graph.invoke({"story": workspace.jira.get_story(key)},
                        {"configurable": {"thread_id": key}}, context=context)["suite"]


def test_the_model_drafts_every_case_and_passing_drafts_are_kept(workspace: Workspace) -> None:
    model = ScriptedChatModel(script=specialist())
    suite = draft_story(workspace, "CC-101", model)
    drafted = [case for case in suite.cases if MODEL_LABEL in case.labels]
    assert len(drafted) >= 0.6 * len(suite.cases)
    ac2 = {case.steps[-1].data: case for case in suite.cases_for("AC2")
           if MODEL_LABEL in case.labels}
    assert "21, £499.99" in ac2, "the configuration's values are the draft's data"
    assert ac2["21, £499.99"].steps[0].action == "Open the customer's account screen"
    assert ac2["21, £499.99"].steps[0].expected == "", "a step may lead to the next"
    prompts = model.asked("Draft")
    assert all("<story>\nAgent can grant a payment extension from the account screen\nAs a "
               "contact centre agent" in prompt for prompt in prompts)
    assert not negatives_asserting_positive(suite.cases)


def test_a_draft_missing_its_values_is_repaired_once(workspace: Workspace) -> None:
    model = ScriptedChatModel(script=specialist(drop_values=True))
    suite = draft_story(workspace, "CC-101", model)
    repaired = [case for case in suite.cases_for("AC2") if REPAIRED_LABEL in case.labels]
    assert repaired and all(MODEL_LABEL in case.labels for case in repaired)
    refusals = [p for p in model.asked("Draft") if "Your first draft was refused" in p]
    assert any('it does not set up or use "21", "£499.99"' in p for p in refusals)


def test_a_draft_that_stops_before_the_act_is_completed_by_the_plan(
        workspace: Workspace) -> None:
    """The draft opens the screen and expects the outcome: the plan's act follows it."""
    model = ScriptedChatModel(script=specialist(elsewhere=True))
    suite = draft_story(workspace, "CC-101", model)
    done = [case for case in suite.cases_for("AC2") if COMPLETED_LABEL in case.labels]
    assert done and all(MODEL_LABEL in case.labels for case in done)
    for case in done:
        opened, act = case.steps
        assert (opened.action, opened.expected) == ("Open the customer's account screen", "")
        assert act.action.startswith("Pick a new due date") and act.expected
    assert not any(REPAIRED_LABEL in case.labels for case in done), \
        "completed from the plan on the first draft, not asked again"


@pytest.mark.parametrize("action", [
    "I enter an invalid date",  # energy efficiency: read held out, it typed 14/03/2025
    "Type an incorrect phone number",  # claims
    "Enter a malformed email address"])  # accounts
def test_a_step_typing_faulty_data_is_not_given_a_valid_example(workspace: Workspace,
                                                                action: str) -> None:
    story, objective = unread_objective(workspace, INTRO)
    assert completed(_draft_case([], action), _draft_case([], "x"), objective, story) is None


@pytest.mark.parametrize(("action", "data"), [
    ("I enter my email address", "jo.bloggs@example.com"),  # accounts
    ("Type the claimant's phone number", "07700 900123"),  # claims
    ("Enter the start date of the tenancy", "14/03/2025")])  # housing
def test_a_drafted_step_typing_data_of_a_known_kind_types_its_example(
        workspace: Workspace, action: str, data: str) -> None:
    story, objective = unread_objective(workspace, INTRO)
    case = completed(_draft_case([], action), _draft_case([], "x"), objective, story)
    assert case is not None and COMPLETED_LABEL in case.labels
    assert case.steps[0].data == data


def test_a_draft_still_failing_after_repair_gets_the_engines_case(workspace: Workspace) -> None:
    model = ScriptedChatModel(script=specialist(flip=True, fix_on_repair=False))
    suite = draft_story(workspace, "CC-101", model)
    negative = [c for c in suite.cases_for("AC2") if c.kind == "negative"][0]
    assert ENGINE_LABEL in negative.labels and MODEL_LABEL not in negative.labels
    assert "does not ask for team leader approval" in negative.steps[-1].expected
    assert not negatives_asserting_positive(suite.cases)


def test_a_criterion_the_engine_cannot_read_gets_the_models_case_for_review(
        workspace: Workspace) -> None:
    story = workspace.jira.get_story("CC-101")
    unread = story.criteria[0].model_copy(update={"text": INTRO, "given": [], "when": [],
                                                  "then": []})
    odd = story.model_copy(update={"criteria": [unread]})
    model = ScriptedChatModel(script=specialist())
    context = AgentContext(chat_model=model, draft=True)
    graph = build_graph().compile(checkpointer=InMemorySaver())
    suite = graph.invoke({"story": odd}, {"configurable": {"thread_id": "odd"}},
                         context=context)["suite"]
    assert [REVIEW_LABEL in case.labels for case in suite.cases] == [True]


def test_a_criterion_that_only_got_a_question_is_drafted_for_review(
        workspace: Workspace) -> None:
    """'An introduction ... is displayed the first time ...' gives the engine nothing to
    configure: a question before; drafting, the model writes its case, labelled for review."""
    story = workspace.jira.get_story("CC-101")
    unread = story.criteria[0].model_copy(update={"text": INTRO, "title": INTRO, "given": [],
                                                  "when": [], "then": []})
    odd = story.model_copy(update={"criteria": [unread]})
    graph = build_graph().compile(checkpointer=InMemorySaver())
    suites = {draft: graph.invoke(
        {"story": odd}, {"configurable": {"thread_id": f"librarian-{draft}"}},
        context=AgentContext(chat_model=ScriptedChatModel(script=specialist()), draft=draft)
    )["suite"] for draft in (False, True)}
    assert not suites[False].cases
    assert any(f.check == "ambiguity" for f in suites[False].findings)
    [case] = suites[True].cases
    assert (case.kind, REVIEW_LABEL in case.labels, MODEL_LABEL in case.labels) == (
        "positive", True, True)
    assert case.steps[-1].expected == "An introduction to how the app works is displayed"
    assert not any(f.check == "ambiguity" for f in suites[True].findings)


@pytest.mark.parametrize(("action", "instruction"), [
    ("User:1", False), ("I am a user with an account", False), ("The account exists", False),
    ('I type "', False), ("Event program is selected", False),
    ("Open the customer's account screen", True), ('I press "Save"', True),
    ("Log in as admin", True), ("Renew the loan for Dune", True),
    # a rule is no step: a charity's sponsorships, a shop's refunds, a ward's doses
    ("Sponsorships cannot be created for inactive sponsors", False),
    ("Refunds must not be issued twice", False), ("A dose should not be given early", False)])
def test_an_action_must_say_what_the_tester_does(action: str, instruction: bool) -> None:
    assert is_instruction(action) is instruction


def test_a_draft_checking_something_else_is_refused(workspace: Workspace) -> None:
    model = ScriptedChatModel(script=specialist(off_outcome=True, fix_on_repair=False))
    suite = draft_story(workspace, "CC-101", model)
    assert not [case for case in suite.cases if MODEL_LABEL in case.labels]
    refusals = [p for p in model.asked("Draft") if "Your first draft was refused" in p]
    assert any("its expected results must check: Agent Desktop asks for team leader "
               "approval" in p for p in refusals)


def test_a_sentence_cut_short_is_refused(workspace: Workspace) -> None:
    story = workspace.jira.get_story("CC-101")
    objective = plan_story(story, 8, draft=True).objectives[0]
    engine = engine_case(story, objective, "CC-101-TC01")
    cut = Draft(preconditions=["Signed in as an agent"], steps=[
        DraftStep(action="Open the account screen and click on the",
                  expected="The extension is saved straight away without team leader approval")])
    case = drafted(engine, cut, objective, objective.kind)
    assert "a sentence stops before its end" in draft_problems(case, objective, story,
                                                               Evidence())
    quoted = cut.model_copy(update={"steps": [DraftStep(
        action='Enter the reason "', expected=cut.steps[0].expected)]})
    problems = draft_problems(drafted(engine, quoted, objective, objective.kind), objective,
                              story, Evidence())
    assert "a sentence stops before its end" in problems


def test_a_lone_step_with_no_set_up_is_too_thin(workspace: Workspace) -> None:
    story = workspace.jira.get_story("CC-101")
    objective = plan_story(story, 8, draft=True).objectives[0]
    lone = Draft(steps=[DraftStep(
        action="Grant the payment extension",
        expected="The extension is saved straight away without team leader approval")])
    problems = draft_problems(drafted(engine_case(story, objective, "T"), lone, objective,
                                      objective.kind), objective, story, Evidence())
    assert any(p.startswith("it is too thin to run") for p in problems)


@pytest.mark.parametrize(("results", "denied"), [
    (["A message will be shown when OrgUnit is not selected"], False),
    (["The extension is not saved"], True),
    (["The form opens", "No reminder is sent unless the loan is overdue"], True),
    (["The loan is renewed if it is not overdue"], False)])
def test_only_the_main_clause_says_whether_an_outcome_is_denied(results: list[str],
                                                                denied: bool) -> None:
    assert denies(results) is denied


def test_the_narrative_inside_a_step_is_refused(workspace: Workspace) -> None:
    story = workspace.jira.get_story("CC-101")
    objective = plan_story(story, 8, draft=True).objectives[0]
    quoted = Draft(preconditions=["Signed in as an agent"], steps=[DraftStep(
        action="Grant the extension for As a contact centre agent I want to grant extensions",
        expected="The extension is saved straight away without team leader approval")])
    problems = draft_problems(drafted(engine_case(story, objective, "T"), quoted, objective,
                                      objective.kind), objective, story, Evidence())
    assert "it uses the story's narrative as a step" in problems


@pytest.mark.parametrize("precondition", [
    "I am a member of the charity's staff so I can link sponsors with orphans",
    "I am a driver so I can see my route", "I am a tenant so I can report a repair"])
def test_the_narratives_so_i_can_in_a_set_up_is_refused(workspace: Workspace,
                                                        precondition: str) -> None:
    story = workspace.jira.get_story("CC-101")
    objective = plan_story(story, 8, draft=True).objectives[0]
    told = Draft(preconditions=[precondition], steps=[DraftStep(
        action="Grant the extension",
        expected="The extension is saved straight away without team leader approval")])
    problems = draft_problems(drafted(engine_case(story, objective, "T"), told, objective,
                                      objective.kind), objective, story, Evidence())
    assert "it uses the story's narrative as a step" in problems


def test_an_unread_criterion_said_again_as_the_result_is_refused(workspace: Workspace) -> None:
    """Seen on a project never read: the criterion (or its narrative) copied as the result."""
    story = workspace.jira.get_story("CC-101")
    unread = story.criteria[0].model_copy(update={
        "text": "A user applies for an account and enters an email already registered",
        "given": [], "when": [], "then": []})
    odd = story.model_copy(update={"criteria": [unread]})
    objective = plan_story(odd, 8, draft=True).objectives[0]
    assert objective.configuration is None
    copied = Draft(preconditions=["A user is registered with ana@example.com"], steps=[
        DraftStep(action="Apply for an account with ana@example.com",
                  expected="The user applies for an account and enters an email registered")])
    problems = draft_problems(drafted(engine_case(odd, objective, "T"), copied, objective,
                                      objective.kind), objective, odd, Evidence())
    assert "its expected result only repeats the criterion: say what the tester sees" in problems
    wants = copied.model_copy(update={"steps": [DraftStep(
        action="Apply for an account with ana@example.com",
        expected="As a candidate I want to see the refusal")]})
    assert "it uses the story's narrative as a step" in draft_problems(
        drafted(engine_case(odd, objective, "T"), wants, objective, objective.kind), objective,
        odd, Evidence())


def unread_objective(workspace: Workspace, text: str) -> tuple[Story, Objective]:
    """Return CC-101 with one criterion the engine cannot read, and its objective."""
    story = workspace.jira.get_story("CC-101")
    unread = story.criteria[0].model_copy(update={"text": text, "given": [], "when": [],
                                                  "then": []})
    odd = story.model_copy(update={"criteria": [unread]})
    objective = plan_story(odd, 8, draft=True).objectives[0]
    assert objective.configuration is None
    return odd, objective


def test_an_unread_criterion_is_asked_with_no_outcome_and_a_copied_placeholder_refused(
        workspace: Workspace) -> None:
    """The task names no outcome, as a third of the training chats do; echoing that is no case.

    Given the criterion as its outcome, the specialist only said it again (a question on the
    dev sets); told "what the criterion says", an untrained model writes those words.
    """
    odd, objective = unread_objective(workspace, INTRO)
    assert f"Expected outcome: {UNSTATED}\n" in drafting_task(odd, objective)
    echoed = Draft(preconditions=["The app has never been launched on this phone"], steps=[
        DraftStep(action="Launch the app for the first time", expected="What the criterion says")])
    problems = draft_problems(drafted(engine_case(odd, objective, "T"), echoed, objective,
                                      objective.kind), objective, odd, Evidence())
    assert f'an expected result says "{UNSTATED}": say what the tester sees' in problems


@pytest.mark.parametrize("text", [
    "Claims submitted after the deadline are rejected",  # insurance
    "Duplicate invoices are declined by the payment service",  # finance
    "Bookings made outside opening hours are refused"])  # booking
def test_an_unread_refusal_is_drafted_negative_and_a_draft_that_succeeds_is_refused(
        workspace: Workspace, text: str) -> None:
    """Seen on the dev sets: "files of an old version are rejected" tested by one that uploads."""
    odd, objective = unread_objective(workspace, text)
    assert drafting_task(odd, objective).startswith("Task: write a negative UAT test case")
    accepted = Draft(preconditions=["The deadline is 14/03/2025"], steps=[
        DraftStep(action="Submit it on 15/03/2025", expected="It is saved and a reference shown")])
    refused = accepted.model_copy(update={"steps": [DraftStep(
        action="Submit it on 15/03/2025", expected="It is refused with a message")]})
    reason = "its expected result must say that it is refused or does not happen"
    assert [reason in draft_problems(drafted(engine_case(odd, objective, "T"), draft, objective,
                                             "negative"), objective, odd, Evidence())
            for draft in (accepted, refused)] == [True, False]


def test_an_unread_criterion_whose_draft_fails_twice_keeps_a_question(
        workspace: Workspace) -> None:
    """The template would only restate the criterion, so the criterion gets a question."""
    story = workspace.jira.get_story("CC-101")
    unread = story.criteria[0].model_copy(update={"text": INTRO, "given": [], "when": [],
                                                  "then": []})
    odd = story.model_copy(update={"criteria": [unread, *story.criteria[1:]]})

    def restating(schema, prompt):
        if schema is Draft and "introduction" in prompt.split("Task:", 1)[1]:
            return Draft(preconditions=["The app"], steps=[DraftStep(
                action="Launch the app", expected=INTRO)])
        return specialist()(schema, prompt)
    graph = build_graph().compile(checkpointer=InMemorySaver())
    suite = graph.invoke({"story": odd}, {"configurable": {"thread_id": "restating"}},
                         context=AgentContext(chat_model=ScriptedChatModel(script=restating),
                                              draft=True))["suite"]
    cid = unread.criterion_id
    assert not suite.cases_for(cid)
    [question] = [f for f in suite.findings if f.check == "ambiguity" and f.criterion_id == cid]
    assert "the model's case did not hold" in question.message
    assert "what does the user do" in question.message
    assert suite.cases and all(cid not in case.criterion_ids for case in suite.cases)


@pytest.mark.parametrize("text", ["Cancel order", "Approve the timesheet", "Renew the loan"])
def test_a_criterion_the_engine_can_only_restate_is_drafted_from_its_outcome(
        workspace: Workspace, text: str) -> None:
    """Terse titles (a shop's orders, timesheets, a library) read, but the engine's own
    case ("Cancel order" -> "The order is canceled") adds nothing: the model drafts it from
    that outcome, and where no draft holds the criterion keeps a question, not the restating
    case."""
    story = workspace.jira.get_story("CC-101")
    terse = story.criteria[0].model_copy(update={"text": text, "given": [], "when": [],
                                                 "then": []})
    odd = story.model_copy(update={"criteria": [terse, *story.criteria[1:]]})
    assert not [o for o in plan_story(odd, 8).objectives if o.criterion_id == "AC1"]
    [objective] = [o for o in plan_story(odd, 8, draft=True).objectives
                   if o.criterion_id == "AC1"]
    assert objective.restating and objective.configuration is not None
    assert objective.configuration.outcome[0] in drafting_task(odd, objective)

    def echoing(schema, prompt):
        if schema is Draft and f"for: {text}" in prompt:
            return Draft(preconditions=["Signed in"], steps=[DraftStep(
                action=text, expected=objective.configuration.outcome[0])])
        return specialist()(schema, prompt)
    graph = build_graph().compile(checkpointer=InMemorySaver())
    suite = graph.invoke({"story": odd}, {"configurable": {"thread_id": "terse"}},
                         context=AgentContext(chat_model=ScriptedChatModel(script=echoing),
                                              draft=True))["suite"]
    assert not suite.cases_for("AC1")
    [question] = [f for f in suite.findings if f.check == "ambiguity" and f.criterion_id == "AC1"]
    assert "the engine can only restate it" in question.message


@pytest.mark.parametrize(("text", "elsewhere", "does"), [
    ("Attempt to delete a menu item that is in a pending order", "Add a new menu item",
     "Delete the menu item in order 1001"),
    ("Attempt to renew a loan that is overdue", "Open the loan list",
     "Renew the overdue loan of Dune"),
    ("Attempt to archive a case that has open tasks", "Click on the case",
     "Archive the case with 2 open tasks")])
def test_an_unread_criterions_case_does_its_act(workspace: Workspace, text: str,
                                                 elsewhere: str, does: str) -> None:
    """A caterer's menu, a library, a case system: met as "I add a new menu item -> I see
    that I have created a new menu item" for a criterion about deleting one."""
    story = workspace.jira.get_story("CC-101")
    unread = story.criteria[0].model_copy(update={"text": text, "given": [], "when": [],
                                                  "then": []})
    odd = story.model_copy(update={"criteria": [unread]})
    [objective] = plan_story(odd, 8, draft=True).objectives
    assert objective.configuration is None or not objective.configuration.actions

    def problems(action: str) -> list[str]:
        draft = Draft(preconditions=["Signed in as an admin"], steps=[DraftStep(
            action=action, expected="A message says it cannot be done")])
        return draft_problems(drafted(engine_case(odd, objective, "T"), draft, objective,
                                      objective.kind), objective, odd, Evidence())
    assert any(p.startswith("its steps must do what the criterion says") for p in
               problems(elsewhere))
    assert not any(p.startswith("its steps must do") for p in problems(does))


@pytest.mark.parametrize(("preconditions", "action", "expected", "given"), [
    # three domains: a shop's categories, a prescription, a declined payment (a denial)
    (["Signed in as an admin", "The top level category is added"], "Add a new category",
     "The top level category is added", True),
    (["The prescription has been sent to the pharmacy"], "Send the prescription",
     "The prescription is sent to the pharmacy", True),
    (["The payment is declined"], 'Pay with the expired card "4000 0000 0000 0069"',
     "The payment is declined; No order is created", True),
    # a set-up that names the same things without the result
    (['A category named "Books" exists'], 'Add the category "Books" again',
     'The category "Books" is listed once', False),
    (["The payment is not declined"], "Pay with the card", "The payment is declined", False)])
def test_a_precondition_saying_the_result_is_refused(workspace: Workspace,
                                                     preconditions: list[str], action: str,
                                                     expected: str, given: bool) -> None:
    story = workspace.jira.get_story("CC-101")
    objective = plan_story(story, 8, draft=True).objectives[0]
    draft = Draft(preconditions=preconditions,
                  steps=[DraftStep(action=action, expected=expected)])
    case = drafted(engine_case(story, objective, "T"), draft, objective, objective.kind)
    assert (result_given(case) is not None) is given
    assert any(p.startswith("a precondition already says the result") for p in
               draft_problems(case, objective, story, Evidence())) is given



def test_an_unread_criterions_draft_the_reviewer_sends_back_becomes_a_question(
        workspace: Workspace) -> None:
    """Sent back, an unread criterion has no engine case but its template, which would only
    restate it: the criterion gets a question naming the reviewer's reason instead."""
    story = workspace.jira.get_story("CC-101")
    unread = story.criteria[0].model_copy(update={"text": INTRO, "given": [], "when": [],
                                                  "then": []})
    odd = story.model_copy(update={"criteria": [unread]})

    def doubting(schema, prompt):
        if schema is Critique:
            return Critique(case_numbers=[1], reason="it never checks the introduction's text")
        return specialist()(schema, prompt)
    graph = build_graph().compile(checkpointer=InMemorySaver())
    suite = graph.invoke({"story": odd}, {"configurable": {"thread_id": "doubted"}},
                         context=AgentContext(chat_model=ScriptedChatModel(script=doubting),
                                              draft=True))["suite"]
    assert not suite.cases
    [question] = [f for f in suite.findings if f.check == "ambiguity"]
    assert "it never checks the introduction's text" in question.message


@pytest.mark.parametrize(("reason", "copied"), [
    ('a precondition already says the result it checks ("The loan is renewed"): set up what '
     "is true before the first step", "I set up what is true before the first step"),
    ("its expected result only repeats the criterion: say what the tester sees",
     "The screen shows what the tester sees"),
    ("it is too thin to run: give its set-up, or the steps that lead to the result",
     "Follow the steps that lead to the result")])
def test_a_repaired_draft_copying_why_it_was_refused_is_caught(
        workspace: Workspace, reason: str, copied: str) -> None:
    """Seen on the dev projects: "I set up what is true before the first step" passed."""
    story = workspace.jira.get_story("CC-101")
    objective = plan_story(story, 8, draft=True).objectives[0]
    task = drafting_task(story, objective)
    outcome = objective.configuration.outcome[0] if objective.configuration else ""
    echoed = Draft(preconditions=[copied], steps=[DraftStep(
        action="Grant the payment extension", expected=outcome)])
    case = drafted(engine_case(story, objective, "T"), echoed, objective, objective.kind)
    assert echoes(case, [reason], story, task)


def test_a_repaired_draft_may_say_the_outcome_and_its_own_first_words(
        workspace: Workspace) -> None:
    """The outcome a refusal names and the draft's own quoted words are not the refusal's."""
    story = workspace.jira.get_story("CC-101")
    objective = plan_story(story, 8, draft=True).objectives[0]
    assert objective.configuration is not None
    outcome = objective.configuration.outcome[0]
    reasons = [f"its expected results must check: {outcome}",
               'a precondition already says the result it checks ("The customer account is '
               'open on the screen"): set up what is true before the first step']
    fixed = Draft(preconditions=["Signed in as a contact centre agent"], steps=[
        DraftStep(action="Check that the customer account is open on the screen"),
        DraftStep(action="Grant the payment extension", expected=outcome)])
    case = drafted(engine_case(story, objective, "T"), fixed, objective, objective.kind)
    assert not echoes(case, reasons, story, drafting_task(story, objective))


def _draft_case(preconditions: list[str], action: str) -> TestCase:
    return TestCase(case_id="X-1-TC01", title="t", story_key="X-1", objective="o",
                    kind="positive", criterion_ids=["AC1"], preconditions=preconditions,
                    steps=[Step(action=action, expected="It is done")])


@pytest.mark.parametrize(("planned", "preconditions", "missing", "opposite"), [
    # a library: nothing of the plan said
    (["Signed in as a librarian", "The loan is overdue"], ["There is a member Ana"], [
        "Signed in as a librarian", "The loan is overdue"], []),
    # a pharmacy: said in other words and inflections
    (["Signed in as a pharmacist", "The prescription has expired"],
     ["I am logged in as a pharmacist", "Ana's prescription expired yesterday"], [], []),
    # a shop: the condition and the sign-in the other way round
    (["Not signed in", "The basket is empty"],
     ["I am logged in as a customer", "The basket is not empty"], [],
     ["Not signed in", "The basket is empty"]),
    # an archive: the very role the plan's refusal case must not be
    (["Signed in as someone who is not a standard user"],
     ["A user is signed in as a standard user"], [],
     ["Signed in as someone who is not a standard user"]),
    # a library and a payroll office: another role than the plan's, and the engine's
    # default "a user", which any role is
    (["Signed in as a librarian"], ["I am signed in as a borrower"], [],
     ["Signed in as a librarian"]),
    (["Signed in as a user"], ["I am logged in as a payroll clerk"], [], [])])
def test_a_draft_sets_up_what_the_plan_sets_up(planned: list[str], preconditions: list[str],
                                                missing: list[str],
                                                opposite: list[str]) -> None:
    assert plan_setup(_draft_case(preconditions, "Renew the item"), planned) == \
        (missing, opposite)


def test_a_checked_draft_gets_the_set_up_it_left_out_first(workspace: Workspace) -> None:
    story = workspace.jira.get_story("CC-101")
    objective = next(o for o in plan_story(story, 8, draft=True).objectives
                     if o.configuration is not None and o.configuration.settings)
    engine = engine_case(story, objective, "T")
    case = with_plan_setup(_draft_case(["The agent has the customer on the phone"],
                                       "Grant the extension"), engine, objective, story)
    assert case.preconditions[:-1] == engine.preconditions
    assert case.preconditions[-1] == "The agent has the customer on the phone"


def test_a_draft_of_an_unread_criterion_starts_on_the_page_its_story_is_named_after() -> None:
    """The engine plans nothing for it but the page every case of the story starts on."""
    story = Story(key="X-1", project="X", summary="How would you describe your work status?",
                  criteria=[AcceptanceCriterion(criterion_id="AC1", text="Continue with Yes")])
    objective = scaffold_objective(story.criteria[0])
    engine = engine_case(story, objective, "X-1-TC01")
    case = with_plan_setup(_draft_case([], "Choose Yes and continue"), engine, objective, story)
    assert case.preconditions == ['I am on the "How would you describe your work status?" page']


@pytest.mark.parametrize(("summary", "preconditions", "kept"), [
    # a library: the browser is no part of renewing a loan
    ("Renew a loan", ["I am in a browser", "The browser is not paused", "There is a loan"],
     ["There is a loan"]),
    # a shop: a channel the story never named
    ("Select delivery options for the basket", ["The store operates on a single channel",
                                                "The basket has two items"],
     ["The basket has two items"]),
    # an archive: an invented dashboard, kept words of the story and of the screen
    ("Upload a folder of records", ["There is no content on the dashboard",
                                    "A folder of records is selected"],
     ["A folder of records is selected"])])
def test_a_drafted_set_up_made_up_from_nothing_it_was_told_is_dropped(
        summary: str, preconditions: list[str], kept: list[str]) -> None:
    story = Story(key="X-1", project="X", summary=summary, description="")
    case = _draft_case(preconditions, f"{summary} now")
    assert grounded_setup(case, story, Evidence()).preconditions == kept


@pytest.mark.parametrize(("criterion", "actions", "drafted", "done"), [
    # export control: submitting an application does not open it
    ("Open a SIEL application", ["Open the SIEL application"],
     ["I submit the SIEL application"], False),
    # a shop: looking at it another way still looks at it
    ("The customer can view their order history", ["View the order history"],
     ["Open the order history page"], True),
    # housing: editing the rent is updating it
    ("A landlord can update the rent for a property", ['Update the rent to "750"'],
     ['Edit the rent of the property to "750"'], True),
    # a library: another act altogether
    ("A member can renew a loan", ["Renew the loan"], ["Return the book to the desk"], False)])
def test_a_draft_must_do_the_act_its_criterion_names(criterion: str, actions: list[str],
                                                     drafted: list[str], done: bool) -> None:
    configuration = Configuration(criterion_id="AC1", technique="decision table",
                                  kind="positive", label="x", actions=actions, outcome=["x"])
    planned = planned_acts(configuration, criterion)
    assert planned
    assert does(planned, drafted) is done


@pytest.mark.parametrize(("summary", "acts"), [
    ("Agent can grant a payment extension from the account screen", {"grant"}),  # payments
    ("Renew a library loan", {"renew"}),  # a library
    ("As a landlord I want to register a property", {"register"})])  # housing
def test_doing_the_storys_feature_does_its_criteria(summary: str, acts: set[str]) -> None:
    """'Grant the payment extension' with the plan's values tests 'picks a new due date'."""
    assert feature_acts(Story(key="X-1", project="X", summary=summary)) == acts


def test_an_act_the_criterion_does_not_name_is_not_asked_of_a_draft() -> None:
    """The engine took "Pay" from a summary heading ("Pay Records Validation"): not asked."""
    configuration = Configuration(criterion_id="AC1", technique="decision table",
                                  kind="positive", label="x",
                                  actions=["Pay Records Validation"], outcome=["x"])
    assert planned_acts(configuration, "RP14 shows an error for a missing contact name") == \
        set()


@pytest.mark.parametrize(("action", "data", "nothing"), [
    ("I enter the central grid reference of my site", "", True),  # land
    ("The clerk types the claimant's phone number", "", True),  # claims
    ("Fill in the booking form", "", True),  # booking
    ('Enter "TQ 123 456" as the grid reference', "", False),  # the value in the action
    ("Type the claimant's phone number", "07700 900123", False),  # the value as data
    ("Enter the claim page", "", False)])  # going somewhere, nothing typed
def test_a_drafted_step_that_types_must_say_what(action: str, data: str,
                                                 nothing: bool) -> None:
    """Seen held out: "I enter the central grid reference" cannot be run as written."""
    assert enters_nothing(Step(action=action, data=data, expected="It is saved")) is nothing


@pytest.mark.parametrize(("preconditions", "kept"), [
    # grant funding: the same set-up twice
    (["User has been created with default attributes", "Signed in as a grant officer",
      "User has been created with default attributes"],
     ["User has been created with default attributes", "Signed in as a grant officer"]),
    # insolvency: the role said again in fewer words, after and before the sign-in
    (["I am an insolvency practitioner", "I am logged in as an insolvency practitioner"],
     ["I am logged in as an insolvency practitioner"]),
    # a library: the same words denied are another set-up, and both stay; one word is none
    (["The loan is overdue", "The loan is not overdue", "The loans are overdue", "Overdue"],
     ["The loan is overdue", "The loan is not overdue"])])
def test_a_drafted_set_up_said_twice_is_kept_once(preconditions: list[str],
                                                  kept: list[str]) -> None:
    story = Story(key="X-1", project="X", summary="Renew an overdue loan as an insolvency "
                  "practitioner or grant officer created with default attributes",
                  description="")
    case = _draft_case(preconditions, "Renew the loan")
    assert grounded_setup(case, story, Evidence()).preconditions == kept


@pytest.mark.parametrize(("text", "short"), [
    ("I select the delivery region \"A\"", False),  # a shop: a quoted value ends it
    ("Request a print for case A", False),  # surveys: a letter names the case
    ("The patient is not signed in", False),  # a clinic: signing in is said whole
    ("The renewal is saved with the", True),
    ("Enter the following:", True),
    ("Select \"the overdue loan", True)])
def test_a_sentence_is_cut_short_only_where_it_ends_on_a_joining_word(text: str,
                                                                      short: bool) -> None:
    assert stops_short(text) is short
