"""Criteria as careless or foreign teams write them: repeated, or not in English (issue 24).

The stories are real Jira issue files in a copy of the sample workspace; the fixed pipeline
runs as `casewright run`, the agent through `generate` with a scripted model that is never
asked anything (rewording is off) and a memory that finds nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from scripted_model import ScriptedChatModel
from test_generate import NoHits

from casewright import Suite, generate, load_settings
from casewright.approval import SCAFFOLD_LABEL
from casewright.design.foreign import unsupported_language, written_in
from casewright.models import Story
from casewright.tools.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
ENGLISH_SETS = [ROOT / "casewright" / "sample_workspace",
                *(ROOT / "benchmarks" / "devsets" / name
                  for name in ("brightwater-unnumbered", "e-petitions", "diaspora"))]
"""Workspaces of English stories: the sample and the dev sets (all read while writing rules)."""
EXTENSION = "After the agent saves a payment extension, the account banner shows the new due date"
REPEATED = (f"h3. Acceptance criteria\n# {EXTENSION}.\n# {EXTENSION.lower()}\n"
            f"# AC3: {EXTENSION.replace(', the', '  the').upper()}!")
FOREIGN = {
    "German": ("Zahlungsaufschub im Kundenkonto", [
        "Wenn der Kunde die Identitätsprüfung bestanden hat, kann der Berater die "
        "Zahlungsfrist um bis zu 14 Tage verlängern.",
        "Die Verlängerung wird mit dem Grundcode EXT im Konto vermerkt und der Kunde erhält "
        "eine Bestätigung per SMS.",
        "Nach zwei Verlängerungen in 12 Monaten ist die Option gesperrt."]),
    "French": ("Report d'échéance depuis la fiche client", [
        "Lorsque le client a réussi la vérification d'identité, le conseiller peut reporter "
        "l'échéance de 14 jours au maximum.",
        "Le report est enregistré sur le compte avec le code EXT et le client reçoit une "
        "confirmation par SMS.",
        "Après deux reports sur 12 mois, l'option n'est plus proposée."]),
    "Chinese": ("在账户页面办理延期付款", [
        "当客户通过身份验证后，客服人员可以将付款截止日期延长最多14天。",
        "延期记录在账户中，原因代码为EXT，客户会收到短信确认。",
        "12个月内已延期两次的账户，延期选项不可用。"]),
}


def add_story(workspace: Path, key: str, summary: str, description: str) -> None:
    """Write a Jira Server issue file, description in wiki markup, into the workspace."""
    issue = {"key": key, "fields": {"summary": summary, "issuetype": {"name": "Story"},
                                    "project": {"key": "CC"}, "description": description}}
    (workspace / "jira" / f"{key}.json").write_text(json.dumps(issue, ensure_ascii=False),
                                                   encoding="utf-8")


def fixed_run(workspace: Path, key: str) -> tuple[dict, str]:
    """Run `casewright run KEY -p fixed`; return the suite it prints and its stderr."""
    result = subprocess.run([sys.executable, "-m", "casewright", "run", key, "-p", "fixed",
                             "-w", str(workspace)], cwd=workspace.parent, capture_output=True,
                            text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    (suite,) = json.loads(result.stdout)
    return suite, result.stderr


def agent_run(workspace: Path, story: str | Story, **settings: object) -> Suite:
    """Run the agent on one story with a model that must not be asked anything."""
    def unasked(schema: object, prompt: str) -> None:
        raise AssertionError(f"the model was asked: {prompt[-200:]}")

    (suite,) = generate([story], workspace=workspace, memory=NoHits(),
                        chat_model=ScriptedChatModel(script=unasked),
                        settings=load_settings(workspace, agent_critique=False, **settings))
    return suite


def test_a_criterion_stated_three_times_gets_one_set_of_cases_and_a_finding(
        sample_copy: Path) -> None:
    """Same words but for case, spacing, punctuation and an AC prefix: one criterion."""
    add_story(sample_copy, "CC-910", "Show the new due date after an extension",
              f"As an agent I want to see the new due date.\n\n{REPEATED}")
    fixed, stderr = fixed_run(sample_copy, "CC-910")
    assert [c["criterion_ids"] for c in fixed["cases"]] == [["AC1", "AC2", "AC3"]]
    (finding,) = fixed["findings"]
    assert finding["check"] == "repeated" and finding["criterion_id"] == "AC1"
    assert finding["message"].startswith("AC2 and AC3 repeat AC1 ('After the agent saves")
    assert "warning: AC2 and AC3 repeat AC1" in stderr

    agent = agent_run(sample_copy, "CC-910", agent_draft=False)  # the engine's wording
    repeated = [f for f in agent.findings if f.check == "repeated"]
    assert [f.message for f in repeated] == [finding["message"]]
    assert agent.cases and all(c.criterion_ids == ["AC1", "AC2", "AC3"] for c in agent.cases)
    assert not [f for f in agent.findings if f.check == "uncovered"]
    alone = Story(key="CC-911", summary=agent.story.summary, project="CC",
                  criteria=agent.story.criteria[:1])
    assert [c.steps for c in agent.cases] == [
        c.steps for c in agent_run(sample_copy, alone, agent_draft=False).cases]


@pytest.mark.parametrize("language", FOREIGN)
def test_criteria_in_another_language_keep_their_template_case_and_say_why(
        sample_copy: Path, language: str) -> None:
    summary, criteria = FOREIGN[language]
    key = f"CC-92{list(FOREIGN).index(language)}"
    listed = "\n".join(f"# {criterion}" for criterion in criteria)
    add_story(sample_copy, key, summary, f"h3. Acceptance criteria\n{listed}")
    fixed, _ = fixed_run(sample_copy, key)

    suite = agent_run(sample_copy, key)
    assert [c.criterion_ids for c in suite.cases] == [["AC1"], ["AC2"], ["AC3"]]
    assert all(SCAFFOLD_LABEL in case.labels for case in suite.cases)
    assert [[step.model_dump() for step in case.steps] for case in suite.cases] == \
        [case["steps"] for case in fixed["cases"]]  # the fixed pipeline's case
    said = [f for f in suite.findings if f.check == "analysis"]
    assert [f.criterion_id for f in said] == ["AC1", "AC2", "AC3"]
    assert all(f"written in {language}, which casewright does not support yet" in f.message
               for f in said)
    assert not [f for f in suite.findings if f.check == "ambiguity"]


def test_english_criteria_are_never_taken_for_another_language() -> None:
    """Every criterion of the sample and the English dev sets, and short or odd ones."""
    stories = [story for folder in ENGLISH_SETS
               for story in Workspace(folder, load_settings(folder)).jira.list_stories()]
    texts = [(c.text, "\n".join([story.summary, story.description,
                                 *(c.text for c in story.criteria)]))
             for story in stories for c in story.criteria]
    assert len(texts) > 350
    assert [text for text, around in texts if unsupported_language(text, around)] == []
    assert [text for text, _ in texts if unsupported_language(text, "e-petitions")] == []
    assert written_in("Max 3 items") is None  # too short to tell: the story decides
    assert unsupported_language("Max 3 items", "Der Kunde sieht die Rechnung im Konto") == \
        "German"
    assert written_in("The van driver can die-cut the label in Rotterdam") == "English"
    assert written_in("Пользователь видит счёт") == "Cyrillic script"
    assert written_in("ユーザーは請求書を見る") == "Japanese"
