"""The chat loop: prompt_toolkit on a terminal, plain lines from a pipe.

On a terminal the prompt keeps a history in the state folder and completes slash commands;
from a pipe (`echo "/stories" | casewright chat`) lines are read as they come. Every request
is routed (patterns first, the model for what remains), what was understood is printed, then
it is done. A known error is one line and the session goes on; Ctrl-C stops the current
generation (the checkpoint keeps what finished); Ctrl-D or /quit end the session, saved.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from rich.console import Console

from casewright.chat.classify import classify
from casewright.chat.edits import CaseEdit
from casewright.chat.intents import (
    SLASH_COMMANDS,
    AddCase,
    AmendCase,
    Approve,
    Explain,
    Export,
    Intent,
    Push,
    Reject,
    Show,
    Simple,
    WriteCases,
)
from casewright.chat.render import case_view, findings_table, stories_table, suite_table
from casewright.chat.routing import route
from casewright.chat.session import ChatSession, open_chat
from casewright.config import Settings
from casewright.errors import CasewrightError
from casewright.exports import EXPORTERS
from casewright.prompts import system_prompt
from casewright.redaction import redact
from casewright.run_records import state_folder
from casewright.tools.workspace import Workspace

HISTORY_FILE = "chat-history"
EXAMPLES = ("write UAT cases for CC-101", "add a negative case for AC2",
            "make case 3 a boundary test at 30 days", "why does case 2 cite BR-12?",
            "show the suite", "show case 2")

Reader = Callable[[str], str]


def run_chat(workspace: Workspace, settings: Settings, *, session_id: str | None,
             debug: bool) -> None:
    """Run a chat session until /quit or end of input; the session is saved on the way out."""
    out = Console(highlight=False, markup=False, soft_wrap=True)
    status = Console(stderr=True, highlight=False, markup=False, soft_wrap=True)

    def progress(line: str) -> None:
        status.print(f"  {line}", style="dim")

    with open_chat(workspace, settings, session_id=session_id, progress=progress) as session:
        greet(session, out)
        read = terminal_reader(state_folder(settings)) if sys.stdin.isatty() else plain_reader
        try:
            while True:
                try:
                    line = read(f"{session.current_key or 'casewright'}> ")
                except KeyboardInterrupt:
                    continue
                except EOFError:
                    break
                if line.strip() and not handle(session, line, out, debug=debug):
                    break
        finally:
            if session.record.story_keys:
                session.save()
                status.print(f"session saved: {session.session_id} — resume with casewright "
                             f"chat --session {session.session_id}")
            else:
                status.print("session ended; no story was written, so nothing was saved")


def terminal_reader(state: Path) -> Reader:
    """Return a prompt with history in the state folder and completion of slash commands."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.completion import WordCompleter
    from prompt_toolkit.history import FileHistory

    words = [*SLASH_COMMANDS, *(f"/export {name}" for name in EXPORTERS)]
    prompt: PromptSession[str] = PromptSession(history=FileHistory(str(state / HISTORY_FILE)),
                                               completer=WordCompleter(words, sentence=True),
                                               complete_while_typing=False)
    return prompt.prompt


def plain_reader(prompt: str) -> str:
    """Return the next line of a piped stdin; EOFError at its end."""
    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\r\n")


def greet(session: ChatSession, out: Console) -> None:
    """Say which session this is and, when resumed, where it was left."""
    out.print(f"casewright chat, session {session.session_id} (workspace "
              f"{session.workspace.root}). Type /help, or ask: \"{EXAMPLES[0]}\".")
    if session.current_key is not None:
        out.print(f"resumed: stories {', '.join(session.record.story_keys)}; current "
                  f"{session.current_key}")


def handle(session: ChatSession, line: str, out: Console, *, debug: bool) -> bool:
    """Understand and do one request; False when it asks to quit."""
    try:
        intent = understand(session, line, out)
        if intent is None:
            out.print("didn't understand; try /help")
        elif isinstance(intent, Simple) and intent.action == "quit":
            return False
        else:
            act(session, intent, out)
    except KeyboardInterrupt:
        out.print("stopped; what finished is kept, ask again to go on")
    except CasewrightError as error:
        if debug:
            raise
        out.print(f"error: {error.one_line()}")
    except Exception as error:  # the session outlives a bug; --debug shows it
        if debug:
            raise
        out.print(f"error: unexpected {type(error).__name__}: {redact(str(error))}; rerun with "
                  "--debug for details")
    return True


def understand(session: ChatSession, line: str, out: Console) -> Intent | None:
    """Route a line by its patterns, else ask the model; print what was understood."""
    intent = route(line)
    if intent is not None:
        if not line.lstrip().startswith("/"):
            out.print(f"→ {intent.describe()}")
        return intent
    out.print("(no pattern matched; asking the model what you meant)", style="dim")
    key = session.current_key
    story = session.workspace.jira.get_story(key) if key is not None else None
    context = session.agent.context()
    intent = classify(context.chat_model, line, story,
                      context.system_for(story) if story is not None else system_prompt(
                          context.product))
    if intent is not None:
        out.print(f"→ {intent.describe()} (the model's reading)")
    return intent


def act(session: ChatSession, intent: Intent, out: Console) -> None:
    """Do what an intent asks and show the result."""
    match intent:
        case WriteCases(story_key=key):
            _, before = session.write(key)
            if before:
                out.print(f"{key} was written earlier in this session")
            show_suite(session, out)
        case AddCase(criterion_id=criterion, case_kind=kind, condition=condition):
            show_edit(session, session.add_case(criterion, kind, condition), out)
        case AmendCase(case_number=number, case_kind=kind, condition=condition):
            show_edit(session, session.amend_case(number, kind, condition), out)
        case Explain(case_number=number, rule_id=rule_id):
            explanations = session.explain(number, rule_id)
            if not explanations and number is not None:
                case = session.case(number)
                out.print(f"{case.case_id} cites no rule; it traces to "
                          f"{', '.join(case.criterion_ids)}")
            for explanation in explanations:
                out.print("\n".join(explanation.lines()))
        case Show(story_key=str(key)):
            session.switch(key)
            show_suite(session, out)
        case Show(case_number=int(number)):
            out.print(case_view(number, session.case(number), session.findings(),
                                session.awaiting()))
        case Show():
            show_suite(session, out)
        case Approve(case_numbers=numbers):
            approved = session.approve(numbers)
            out.print(f"approved {', '.join(c.case_id for c in approved)}" if approved
                      else "nothing left to approve")
            out.print(decision_line(session))
        case Reject(case_number=number, reason=reason):
            out.print(f"rejected {session.reject(number, reason).case_id}: {reason}")
            out.print(decision_line(session))
        case Export(format=name, path=path):
            out.print(f"wrote {session.export(name, path)}")
        case Push(dry_run=dry_run):
            report = session.push(dry_run=dry_run, progress=lambda line: out.print(f"  {line}"))
            out.print("\n".join(report.lines()), markup=False)
        case Simple(action="stories"):
            out.print(stories_table(session.stories(), session.suites()))
        case Simple(action="findings"):
            out.print(findings_table(session.suite()))
        case Simple(action="done"):
            session.end_approval()
            out.print(decision_line(session))
        case Simple(action="help"):
            out.print(help_text())


def show_suite(session: ChatSession, out: Console) -> None:
    """Print the current suite and what the person can do next."""
    suite = session.suite()
    out.print(suite_table(suite, session.awaiting()))
    out.print(f"{len(suite.cases)} cases, {len(suite.findings)} open findings. "
              + decision_line(session))


def show_edit(session: ChatSession, edit: CaseEdit, out: Console) -> None:
    """Print a case just written at the person's request, with its findings."""
    suite = session.suite()
    number = next(n for n, c in enumerate(suite.cases, start=1) if c.case_id == edit.case.case_id)
    out.print(case_view(number, edit.case, suite.findings, session.awaiting()))
    found = len(edit.findings)
    out.print(f"The reviewer's checks found {found} problem{'' if found == 1 else 's'}. "
              + decision_line(session))


def decision_line(session: ChatSession) -> str:
    """Say how many cases wait for a decision, and how to give it."""
    waiting = session.awaiting()
    if not waiting:
        return "Approval ended; /approve N or /reject N reason still change a decision."
    return f"{len(waiting)} to decide: /approve all, /approve N or /reject N reason."


def help_text() -> str:
    """Return the commands and example requests."""
    width = max(len(command) for command in SLASH_COMMANDS)
    lines = ["Commands:"]
    lines += [f"  {command.ljust(width)}  {text}" for command, text in SLASH_COMMANDS.items()]
    lines += ["Or ask in words, for example:", *(f"  {example}" for example in EXAMPLES)]
    return "\n".join(lines)
