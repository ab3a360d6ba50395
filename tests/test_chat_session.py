"""A chat session's operations over the real graph and SQLite checkpointer (fast).

The stories, rules and existing tests are the bundled sample's, parsed for real, and the
checkpoints live in a real SQLite file under the isolated casewright home; only the chat
model is scripted (tests/scripted_model.py) and the memory finds nothing.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from rest_server import EMAIL, TOKEN, FakeAtlassian, sample_issues
from rich.console import Console
from scripted_model import ScriptedChatModel
from test_agent import good_answers
from test_generate import NoHits

from casewright.agents.approval_gate import GATE
from casewright.agents.checks import check_case
from casewright.agents.context import AgentContext
from casewright.agents.graph import build_graph
from casewright.agents.state import Evidence
from casewright.agents.writer import CaseDraft, StepDraft
from casewright.approval import ENGINE_LABEL
from casewright.chat.classify import Guess
from casewright.chat.intents import Push
from casewright.chat.repl import handle
from casewright.chat.routing import route
from casewright.chat.session import ChatSession, open_chat
from casewright.chat.session_records import list_sessions, load_session
from casewright.config import load_settings
from casewright.errors import InputError
from casewright.run_records import state_folder
from casewright.tools.workspace import Workspace, bundled_sample


@pytest.fixture
def workspace() -> Workspace:
    """The bundled sample, with approved cases kept in the isolated home's state folder; the
    model rewords cases, so that each request makes one model call."""
    settings = load_settings(bundled_sample(), agent_reword=True, agent_draft=False)
    return Workspace(bundled_sample(), settings, approved=state_folder(settings) / "approved")


@pytest.fixture
def model() -> ScriptedChatModel:
    """A chat model that answers every node like a capable one."""
    return ScriptedChatModel(script=good_answers)


def chat(workspace: Workspace, model: ScriptedChatModel, **options) -> ChatSession:
    """Open a chat session with the scripted model and a memory that finds nothing."""
    return open_chat(workspace, workspace.settings, chat_model=model, memory=NoHits(), **options)


def checkpointed(session: ChatSession, key: str):
    """Return the story's state as the checkpointer holds it."""
    return session.agent.graph.get_state({"configurable": {"thread_id": f"chat-"
                                          f"{session.session_id}/{key}"}})


def test_writing_a_story_pauses_at_the_approval_gate(workspace, model) -> None:
    """The graph stops at the gate's interrupt with every case undecided."""
    with chat(workspace, model) as session:
        suite, before = session.write("cc-102")
        assert not before and session.current_key == "CC-102"
        story = workspace.jira.get_story("CC-102")
        assert {c for case in suite.cases for c in case.criterion_ids} == \
            {c.criterion_id for c in story.criteria}
        snapshot = checkpointed(session, "CC-102")
        assert snapshot.next == (GATE,)
        pause = snapshot.tasks[0].interrupts[0].value
        assert pause == {"story_key": "CC-102", "undecided": [c.case_id for c in suite.cases]}
        assert session.awaiting() == pause["undecided"]
        record = load_session(state_folder(workspace.settings), session.session_id,
                              workspace.root)
        assert record.story_keys == ["CC-102"] and record.current_key == "CC-102"


def test_a_run_without_human_approval_never_pauses(workspace, model) -> None:
    """`casewright run` and the library pass through the gate untouched."""
    from langgraph.checkpoint.memory import InMemorySaver

    graph = build_graph().compile(checkpointer=InMemorySaver())
    config = {"configurable": {"thread_id": "run"}}
    state = graph.invoke({"story": workspace.jira.get_story("CC-204")}, config,
                         context=AgentContext(chat_model=model))
    assert "__interrupt__" not in state and graph.get_state(config).next == ()
    assert all(not {"approved", "rejected"} & set(c.labels) for c in state["suite"].cases)


def test_adding_a_case_makes_one_writer_call_and_the_gate_waits_on_it(workspace, model) -> None:
    """'add a negative case for AC2 when ...': a new configuration, one case, in the state."""
    with chat(workspace, model) as session:
        suite, _ = session.write("CC-102")
        calls = len(model.asked("CaseDraft"))
        with pytest.raises(InputError, match="AC2 has no negative configuration left"):
            session.add_case("AC2", "negative")  # the test design already has it
        edit = session.add_case("AC2", "negative", "the payment extension ended yesterday")
        assert len(model.asked("CaseDraft")) == calls + 1
        assert edit.case.case_id == f"CC-102-TC{len(suite.cases) + 1:02d}"
        assert (edit.case.kind, edit.case.criterion_ids) == ("negative", ["AC2"])
        assert edit.objective.objective_id == "AC2-negative-2"  # AC2-negative was taken
        assert "The payment extension ended yesterday" in edit.case.preconditions
        assert edit.case.steps[-1].expected.endswith("A late payment fee is applied to an "
                                                     "account")  # the refusal's other side
        saved = checkpointed(session, "CC-102")
        assert saved.values["suite"].cases[-1] == edit.case
        assert saved.values["plan"].objectives[-1] == edit.objective
        assert edit.case.case_id in session.awaiting()
        with pytest.raises(InputError, match="CC-102 has no criterion AC9"):
            session.add_case("AC9", "negative")


def test_amending_a_case_rewrites_it_in_place_with_the_condition(workspace, model) -> None:
    """'make case 3 a boundary test at 30 days' keeps the case's id and place."""
    with chat(workspace, model) as session:
        suite, _ = session.write("CC-102")
        old = suite.cases[2]
        edit = session.amend_case(3, "boundary", "30 days")
        assert edit.case.case_id == old.case_id and edit.case.kind == "boundary"
        assert "30 days" in edit.objective.intent and edit.case.objective == \
            edit.objective.intent
        assert "30 days" in model.asked("CaseDraft")[-1]  # the writer's task shows the case
        after = session.suite()
        assert len(after.cases) == len(suite.cases) and after.cases[2] == edit.case
        with pytest.raises(InputError, match="no case 42 in CC-102's suite"):
            session.amend_case(42, "boundary")


def test_an_amended_case_is_judged_by_the_reviewer_s_checks(workspace) -> None:
    """A degenerate rewording is never shown; the engine's case is checked like any other."""
    def degenerate_writer(schema, prompt):
        if schema is CaseDraft and "At midnight" in prompt:
            return CaseDraft(steps=[StepDraft(action="Business rules",
                                              expected="Business rules")])
        return good_answers(schema, prompt)

    with chat(workspace, ScriptedChatModel(script=degenerate_writer)) as session:
        session.write("CC-102")
        edit = session.amend_case(1, "negative", "at midnight")
        assert ENGINE_LABEL in edit.case.labels and "At midnight" in edit.case.preconditions
        assert edit.findings == check_case(edit.case, session.suite().story,
                                           Evidence(), [])
        assert [f for f in session.findings() if f.case_id == edit.case.case_id] == \
            edit.findings


def test_explaining_a_citation_quotes_the_rule_with_its_page(workspace, model) -> None:
    """'why does case N cite BR-12?' is answered from evidence and pages, with no model."""
    page = next(p for p in workspace.confluence.list_pages()
                if any(r.rule_id == "BR-12" for r in p.rules))
    rule = next(r for r in page.rules if r.rule_id == "BR-12")
    with chat(workspace, model) as session:
        suite, _ = session.write("CC-102")
        number = next(n for n, c in enumerate(suite.cases, 1) if "BR-12" in c.rule_ids)
        calls = len(model.calls)
        [answer] = session.explain(number, "BR-12")
        assert answer.reason == f"{suite.cases[number - 1].case_id} cites BR-12 because the " \
            "criterion it tests, AC3, names it"
        assert (answer.rule_text, answer.page_title, answer.url) == \
            (rule.text, page.title, page.url)
        [other] = session.explain(1, "BR-12")
        assert "does not cite BR-12" in other.reason
        assert len(model.calls) == calls


def test_approving_and_rejecting_resume_the_interrupt(workspace, model) -> None:
    """Decisions label cases; the gate pauses until all are decided, then keeps exemplars."""
    with chat(workspace, model) as session:
        suite, _ = session.write("CC-102")
        ids = [case.case_id for case in suite.cases]
        assert [c.case_id for c in session.approve([1])] == ids[:1]
        rejected = session.reject(2, "the steps never open the Charges tab")
        assert "rejected" in rejected.labels
        assert session.awaiting() == ids[2:]
        assert checkpointed(session, "CC-102").next == (GATE,)
        finding = next(f for f in session.findings() if f.check == "rejected")
        assert (finding.case_id, finding.message) == \
            (ids[1], "rejected: the steps never open the Charges tab")
        assert [c.case_id for c in session.approve()] == ids[2:]
        assert session.awaiting() == [] and checkpointed(session, "CC-102").next == ()
        kept = json.loads((workspace.approved / "CC-102.json").read_text(encoding="utf-8"))
        assert [case["case_id"] for case in kept] == [ids[0], *ids[2:]]
        assert session.approve() == []  # nothing left to decide


def test_a_decision_after_approval_ended_is_recorded(workspace, model) -> None:
    """Changing one's mind later updates the suite and the kept exemplars."""
    with chat(workspace, model) as session:
        suite, _ = session.write("CC-204")
        session.approve()
        session.reject(1, "too vague")
        assert checkpointed(session, "CC-204").next == ()
        assert "rejected" in session.suite().cases[0].labels
        kept = json.loads((workspace.approved / "CC-204.json").read_text(encoding="utf-8"))
        assert suite.cases[0].case_id not in [case["case_id"] for case in kept]


def test_done_ends_approval_leaving_undecided_cases_to_the_review(workspace, model) -> None:
    """The person says done: the gate ends and clean undecided cases count as approved."""
    with chat(workspace, model) as session:
        suite, _ = session.write("CC-204")
        session.reject(1, "too vague")
        session.end_approval()
        assert checkpointed(session, "CC-204").next == () and session.awaiting() == []
        assert not {"approved", "rejected"} & set(session.suite().cases[1].labels)
        kept = json.loads((workspace.approved / "CC-204.json").read_text(encoding="utf-8"))
        flagged = {f.case_id for f in session.findings()}
        assert [case["case_id"] for case in kept] == \
            [c.case_id for c in suite.cases[1:] if c.case_id not in flagged]


def test_export_writes_the_suite_with_its_decisions(workspace, model, tmp_path,
                                                    monkeypatch) -> None:
    """/export FORMAT [path]: default out/<KEY><suffix>, a folder, or a file path."""
    monkeypatch.chdir(tmp_path)
    with chat(workspace, model) as session:
        session.write("CC-204")
        session.approve([1])
        path = session.export("json")
        assert path == Path("out/CC-204.json")
        exported = json.loads(path.read_text(encoding="utf-8"))
        assert "approved" in exported["cases"][0]["labels"]
        assert session.export("XRAY", "reports/") == Path("reports/CC-204.xray.csv")
        assert Path("reports/CC-204.xray.csv").read_text(encoding="utf-8").startswith("Issue ID,")
        assert session.export("gherkin", "x/cases.feature").read_text(
            encoding="utf-8").startswith("@CC-204")
        with pytest.raises(InputError, match="unknown export format 'pdf'; known formats: json"):
            session.export("pdf")


def test_a_new_session_object_resumes_from_the_checkpointer(workspace, model) -> None:
    """Reopened by id: suites, decisions and current story intact, and no model call."""
    with chat(workspace, model) as session:
        session.write("CC-204")
        suite, _ = session.write("CC-102")
        session.approve([1, 2])
        session_id = session.session_id

    def no_calls(schema, prompt):
        raise AssertionError("a resumed session must not call the model to show its suites")

    with chat(workspace, ScriptedChatModel(script=no_calls), session_id=session_id) as again:
        assert again.current_key == "CC-102"
        assert again.record.story_keys == ["CC-204", "CC-102"]
        resumed = again.suite()
        assert [c.case_id for c in resumed.cases] == [c.case_id for c in suite.cases]
        assert ["approved" in c.labels for c in resumed.cases[:3]] == [True, True, False]
        assert again.awaiting() == [c.case_id for c in suite.cases[2:]]
        again.approve()
        assert again.awaiting() == []
        assert again.switch("CC-204").story.key == "CC-204"


def test_ctrl_c_stops_a_generation_and_asking_again_goes_on(workspace, model) -> None:
    """A KeyboardInterrupt mid-writer keeps the finished nodes; writing again resumes."""
    stopped = []

    lines: list[str] = []

    def stop_once(line: str) -> None:
        if stopped:
            lines.append(line)
        if line.startswith("writer 2/") and not stopped:
            stopped.append(line)
            raise KeyboardInterrupt

    with chat(workspace, model, progress=stop_once) as session:
        with pytest.raises(KeyboardInterrupt):
            session.write("CC-102")
        with pytest.raises(InputError, match="CC-102 has no suite yet"):
            session.suite()
        assert checkpointed(session, "CC-102").next == ("writer",)
        suite, before = session.write("CC-102")
        assert not before and suite.cases
        assert not [line for line in lines if line.startswith("planner:")], \
            "the planner was not run again"


def test_sessions_are_listed_newest_first_and_checked_on_load(workspace, model,
                                                              tmp_path) -> None:
    """Records name their stories; a bad or foreign id is one clear error."""
    state = state_folder(workspace.settings)
    with chat(workspace, model) as first:
        first.write("CC-204")
    with chat(workspace, model) as second:
        second.write("CC-101")
    assert [r.session_id for r in list_sessions(state)] == [second.session_id,
                                                            first.session_id]
    assert list_sessions(state)[0].story_keys == ["CC-101"]
    listing = casewright("sessions", cwd=tmp_path).stdout
    assert listing.index(second.session_id) < listing.index(first.session_id)
    assert re.search(rf"{first.session_id} +CC-204 +CC-204 +\d{{4}}-", listing), listing
    with pytest.raises(InputError, match="is not a session id"):
        load_session(state, "../etc", workspace.root)
    with pytest.raises(InputError, match="no chat session '20990101-000000-abcd'"):
        load_session(state, "20990101-000000-abcd", workspace.root)
    with pytest.raises(InputError, match="belongs to workspace"):
        load_session(state, first.session_id, tmp_path)


def test_the_loop_prints_what_it_understood_and_survives_bad_input(workspace) -> None:
    """Typed lines through the REPL's handler: understood, done, or one error line."""
    def answers(schema, prompt):
        return Guess(action="unknown") if schema is Guess else good_answers(schema, prompt)

    screen = StringIO()
    out = Console(file=screen, width=200, markup=False, highlight=False)
    with chat(workspace, ScriptedChatModel(script=answers)) as session:
        for line in ("write UAT cases for CC-102", "why does case 4 cite BR-12?",
                     "/reject 2", "/show 99", "tell me a joke", "/approve all"):
            assert handle(session, line, out, debug=False)
        assert not handle(session, "/quit", out, debug=False)
    text = screen.getvalue()
    assert "→ write cases for CC-102" in text and "CC-102-TC01" in text
    assert "→ explain why case 4 cites BR-12" in text and "names it" in text
    assert "error: /reject needs a case number and a reason; e.g. /reject 3" in text
    assert "error: no case 99 in CC-102's suite" in text
    assert "didn't understand; try /help" in text
    assert "approved CC-102-TC01" in text and "Approval ended" in text


def casewright(*args: str, stdin: str = "", cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real command line with piped input."""
    return subprocess.run([sys.executable, "-m", "casewright", *args], input=stdin, cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)


def test_piped_lines_work_without_a_terminal(tmp_path) -> None:
    """`echo ... | casewright chat`: plain lines; nothing written means nothing saved."""
    result = casewright("chat", stdin="/help\n/stories\n/show\n", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "/approve" in result.stdout and "CC-204" in result.stdout
    assert "error: no story yet; write cases for a story first" in result.stdout
    assert "nothing was saved" in result.stderr
    assert "Traceback" not in result.stderr
    listing = casewright("sessions", cwd=tmp_path)
    assert listing.returncode == 0 and "no chat sessions yet" in listing.stderr


def test_an_unknown_session_is_an_input_error(tmp_path) -> None:
    """`casewright chat --session X` with no such session: exit 2, one line."""
    result = casewright("chat", "--session", "20990101-000000-abcd", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "error: no chat session '20990101-000000-abcd' in '"
        f"{state_folder(load_settings(bundled_sample()))}'; `casewright sessions` lists "
        "this workspace's sessions")


def test_push_sends_the_session_s_approved_cases_to_jira_once(model, http, tmp_path) -> None:
    """/push on the local HTTP server that stands in for Jira Cloud (tests/rest_server.py).

    A dry run writes nothing; a push creates one issue per approved case (the rejected one
    stays out); pushing again updates those issues and creates none.
    """
    fake = FakeAtlassian(http, issues=sample_issues())
    settings = load_settings(bundled_sample(), jira_url=fake.url, jira_email=EMAIL,
                             jira_token=TOKEN, agent_reword=True, agent_draft=False)
    workspace = Workspace(bundled_sample(), settings, approved=tmp_path / "approved")
    with chat(workspace, model) as session:
        suite, _ = session.write("CC-102")
        ids = [case.case_id for case in suite.cases]
        session.reject(2, "the steps never open the Charges tab")
        session.approve()
        dry = session.push(dry_run=True)
        assert fake.created == {} and dry.count("create") == len(ids) - 1
        first = session.push()
        assert [i.case_id for i in first.items if i.action == "create"] == [ids[0], *ids[2:]]
        assert [i.case_id for i in first.items if i.action == "skip"] == [ids[1]]
        again = session.push()
        assert again.count("create") == 0 and again.count("update") == len(ids) - 1
        assert len(fake.created) == len(ids) - 1 and len(fake.links) == len(ids) - 1
    assert route("/push dry-run") == Push(dry_run=True) and route("/push") == Push()
