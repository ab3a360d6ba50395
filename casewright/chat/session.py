"""A chat session's operations, over the checkpointed graph; usable without a terminal.

Each story of a session is one checkpoint thread (`chat-<session id>/<KEY>`) in the workspace
state folder's checkpoints.sqlite, so a session reopened by id finds its suites, the person's
decisions and its current story as they were. A written suite waits at the approval gate (a
LangGraph interrupt) until every case is approved or rejected, or the person says done;
amendments are written as the `finish` node's update, so the gate pauses again on them. A
story asked for again after its criteria changed is written anew, its suite updating the
earlier one (`casewright.living`): decided cases of unchanged criteria stay decided.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.language_models import BaseChatModel
from langchain_core.runnables import RunnableConfig
from langgraph.types import Command

from casewright.agents.approval_gate import GATE, ApprovalDecision, apply_decision, undecided
from casewright.agents.checkpoints import run_story, thread
from casewright.agents.context import Retrieval
from casewright.chat.edits import CaseEdit, requested_objective, write_requested
from casewright.chat.explain import Explanation, explain_case, explain_rule
from casewright.chat.lazy_agent import ChatAgent
from casewright.chat.session_records import SessionRecord, load_session, new_session, save_session
from casewright.config import Settings
from casewright.errors import InputError
from casewright.exports import get_exporter
from casewright.files import write_atomic
from casewright.keys import parse_issue_key
from casewright.living import criterion_changes, criterion_hashes, match_criteria, next_case_id
from casewright.models import CaseKind, Finding, Story, Suite, TestCase
from casewright.progress import quiet
from casewright.run_records import state_folder
from casewright.tools.workspace import Workspace

if TYPE_CHECKING:
    from casewright.push_report import PushReport

DEFAULT_EXPORT_FOLDER = Path("out")



class ChatSession:
    """One person's session: write, amend, explain, approve and export suites, story by story."""

    def __init__(self, workspace: Workspace, record: SessionRecord, agent: ChatAgent,
                 state: Path) -> None:
        self.workspace, self.record, self.agent, self._state = workspace, record, agent, state

    @property
    def session_id(self) -> str:
        """Return the id that resumes this session."""
        return self.record.session_id

    @property
    def current_key(self) -> str | None:
        """Return the key of the story being worked on, if any."""
        return self.record.current_key

    def save(self) -> None:
        """Save the session record (its stories and the current one)."""
        save_session(self._state, self.record)

    def stories(self) -> list[Story]:
        """Return the workspace's stories."""
        return self.workspace.jira.list_stories()

    def suite(self, story_key: str | None = None) -> Suite:
        """Return the suite of a story of this session (default: the current one)."""
        key = self._current() if story_key is None else story_key
        suite: Suite | None = self._values(key).get("suite")
        if suite is None:
            raise InputError(f"{key} has no suite yet",
                             hint=f"write cases for {key} (an interrupted one goes on)")
        return suite

    def suites(self) -> dict[str, Suite | None]:
        """Return each story of the session with its suite (None: not finished)."""
        return {key: self._values(key).get("suite") for key in self.record.story_keys}

    def awaiting(self, story_key: str | None = None) -> list[str]:
        """Return the ids of the cases the approval gate waits on (none: approval ended)."""
        key = self._current() if story_key is None else story_key
        snapshot = self.agent.graph.get_state(self._thread(key))
        return undecided(snapshot.values["suite"]) if GATE in snapshot.next else []

    def write(self, story_key: str) -> tuple[Suite, bool]:
        """Write a story's suite, or go on with an interrupted one; True when written before.

        A story written before whose criteria changed since is written again, updating its
        earlier suite. The story becomes the current one; the graph stops at the approval gate.
        """
        key = parse_issue_key(story_key)
        story = self.workspace.jira.get_story(key)
        if key not in self.record.story_keys:
            self.record.story_keys.append(key)
        self.record.current_key = key
        earlier: Suite | None = self._values(key).get("suite")
        changed = earlier is not None and bool(
            criterion_changes(*match_criteria(earlier.story.criteria, story.criteria)))
        if changed:
            self.record.rewrites[key] = self.record.rewrites.get(key, 0) + 1
        save_session(self._state, self.record)
        return run_story(self.agent.graph, story, self.agent.context(),
                         self.record.story_prefix(key), earlier if changed else None)

    def switch(self, story_key: str) -> Suite:
        """Make a story of this session the current one; return its suite."""
        key = parse_issue_key(story_key)
        if key not in self.record.story_keys:
            raise InputError(f"{key} is not in this session", hint=f"write cases for {key}")
        self.record.current_key = key
        save_session(self._state, self.record)
        return self.suite(key)

    def case(self, number: int) -> TestCase:
        """Return case `number` (1-based) of the current suite."""
        suite = self.suite()
        if not 1 <= number <= len(suite.cases):
            raise InputError(f"no case {number} in {suite.story.key}'s suite "
                             f"(it has {len(suite.cases)})", hint="/show lists them")
        return suite.cases[number - 1]

    def findings(self) -> list[Finding]:
        """Return the current suite's open findings."""
        return self.suite().findings

    def add_case(self, criterion_id: str, kind: CaseKind, condition: str | None = None
                 ) -> CaseEdit:
        """Add a case of a kind for a criterion of the current story (one writer call)."""
        return self._edit(criterion_id, kind, condition, position=None)

    def amend_case(self, number: int, kind: CaseKind, condition: str | None = None) -> CaseEdit:
        """Rewrite case `number` as a case of another kind, under a condition."""
        case = self.case(number)
        if case.status == "obsolete":
            raise InputError(f"{case.case_id} is obsolete: its criterion changed or was removed",
                             hint="add a case for the criterion as it is now instead")
        criterion_id = case.criterion_ids[0] if case.criterion_ids else ""
        return self._edit(criterion_id, kind, condition, position=number - 1)

    def explain(self, number: int | None = None, rule_id: str | None = None
                ) -> list[Explanation]:
        """Explain why case `number` cites `rule_id` (or each rule it cites), from evidence."""
        suite, evidence = self.suite(), self._values(self._current())["evidence"]
        pages = self.workspace.confluence.list_pages()
        case = self.case(number) if number is not None else None
        if rule_id is not None:
            return [explain_rule(rule_id, suite, evidence, pages, case)]
        if case is None:
            raise InputError("name a case or a rule to explain", hint="e.g. why case 2?")
        return explain_case(case, suite, evidence, pages)

    def approve(self, numbers: list[int] | None = None) -> list[TestCase]:
        """Approve cases by number (none: every undecided case); return them."""
        chosen = [self.case(n).case_id for n in numbers] if numbers else \
            undecided(self.suite())
        if not chosen:
            return []
        return self._decide(ApprovalDecision(approve=chosen), chosen)

    def reject(self, number: int, reason: str) -> TestCase:
        """Reject case `number`, recording the reason as a finding."""
        case_id = self.case(number).case_id
        return self._decide(ApprovalDecision(reject={case_id: reason}), [case_id])[0]

    def end_approval(self) -> Suite:
        """End approval: undecided cases keep the reviewer's verdict."""
        self._decide(ApprovalDecision(done=True), [])
        return self.suite()

    def export(self, format_name: str, path: str | Path | None = None) -> Path:
        """Write the current suite in a format (default path: out/<KEY><suffix>)."""
        try:
            exporter = get_exporter(format_name)
        except ValueError as error:
            raise InputError(str(error), hint="e.g. /export json") from error
        suite = self.suite()
        name = f"{parse_issue_key(suite.story.key)}{exporter.suffix}"
        if path is None:
            target = DEFAULT_EXPORT_FOLDER / name
        else:
            target = Path(path).expanduser()
            if target.is_dir() or str(path).endswith(("/", "\\")):
                target = target / name
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(target, exporter.render(suite))
        except (OSError, InputError) as error:
            raise InputError(f"cannot write '{target}': {error}",
                             hint="give another path: /export FORMAT PATH") from error
        return target

    def push(self, *, dry_run: bool = False,
             progress: Callable[[str], None] | None = None) -> PushReport:
        """Push the approved cases of every story written in this session to Jira.

        Only on the person's explicit /push; the same idempotent push as `casewright push`.
        """
        from casewright.push import jira_writer, push_suites
        from casewright.push_ledger import PushLedger

        suites = [suite for suite in self.suites().values() if suite is not None]
        if not suites:
            raise InputError("nothing to push yet", hint="write cases for a story first")
        writer = jira_writer(self.workspace.settings)
        return push_suites(suites, writer, dry_run=dry_run, progress=progress,
                           ledger=PushLedger.for_site(self._state, writer.url))

    def _current(self) -> str:
        if self.record.current_key is None:
            raise InputError("no story yet", hint="write cases for a story first, e.g. "
                             "write cases for CC-101")
        return self.record.current_key

    def _thread(self, key: str) -> RunnableConfig:
        return thread(self.record.story_prefix(key), key)

    def _values(self, key: str) -> dict[str, Any]:
        return self.agent.graph.get_state(self._thread(key)).values

    def _edit(self, criterion_id: str, kind: CaseKind, condition: str | None,
              position: int | None) -> CaseEdit:
        key = self._current()
        values = self._values(key)
        suite = self.suite(key)
        plan = values["plan"]
        objective = requested_objective(suite.story, plan, criterion_id, kind, condition)
        # An updated suite's order is not its plan's: its amendments join the plan at the end.
        in_plan = position if suite.update is None else None
        edit = write_requested(suite.story, values["evidence"], plan, objective, in_plan,
                               self.agent.context())
        edit = self._placed(edit, suite, position)
        cases = list(suite.cases)
        if position is None:
            cases.append(edit.case)
        else:
            cases[position] = edit.case
        findings = [f for f in suite.findings if f.case_id != edit.case.case_id]
        suite = suite.model_copy(update={"cases": cases, "findings": findings + edit.findings})
        config = self._thread(key)
        self.agent.graph.update_state(
            config, {"plan": edit.plan, "cases": {objective.objective_id: edit.case},
                     "suite": suite}, as_node="finish")
        self.agent.graph.invoke(None, config, context=self.agent.context())  # to the gate
        return edit

    @staticmethod
    def _placed(edit: CaseEdit, suite: Suite, position: int | None) -> CaseEdit:
        """Return the edit with the id of the case it replaces, or one the suite never used.

        A replaced case that was not new is `updated`; the case carries its criteria's hashes.
        """
        replaced = suite.cases[position] if position is not None else None
        case_id = replaced.case_id if replaced is not None else \
            next_case_id(suite.story.key, [case.case_id for case in suite.cases])
        status = "new" if replaced is None or replaced.status == "new" else "updated"
        case = edit.case.model_copy(update={"case_id": case_id, "status": status,
                                            "criterion_hashes": criterion_hashes(suite.story,
                                                                                 edit.case)})
        return replace(edit, case=case, findings=[
            f if f.case_id is None else f.model_copy(update={"case_id": case_id})
            for f in edit.findings])

    def _decide(self, decision: ApprovalDecision, case_ids: list[str]) -> list[TestCase]:
        key = self._current()
        config = self._thread(key)
        if self.awaiting(key):
            self.agent.graph.invoke(Command(resume=decision.model_dump()), config,
                                    context=self.agent.context())
        else:  # approval had ended: record the change as the gate's own update
            self.agent.graph.update_state(
                config, {"suite": apply_decision(self.suite(key), decision)}, as_node=GATE)
        suite = self.suite(key)
        if not self.awaiting(key):
            self.agent.keep_approved(suite)
        return [case for case in suite.cases if case.case_id in case_ids]


@contextmanager
def open_chat(workspace: Workspace, settings: Settings, *, session_id: str | None = None,
              chat_model: BaseChatModel | None = None, memory: Retrieval | None = None,
              progress: Callable[[str], None] = quiet) -> Iterator[ChatSession]:
    """Open a new session, or resume one by id, in the workspace's state folder.

    Without `chat_model` the configured one is loaded when first needed; without `memory`
    the configured memory is opened, the workspace ingested into it, and approved cases added.

    Raises:
        InputError: the session id is malformed, unknown, or of another workspace.
    """
    state = state_folder(settings)
    record = new_session(workspace.root) if session_id is None else \
        load_session(state, session_id, workspace.root)
    agent = ChatAgent(workspace, settings, state, progress, chat_model=chat_model,
                      memory=memory)
    try:
        yield ChatSession(workspace, record, agent, state)
    finally:
        agent.close()
