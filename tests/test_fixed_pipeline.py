"""The fixed automation pipeline: templated, traceable, deterministic."""

from __future__ import annotations

from casewright.agents.fixed_pipeline import run_fixed
from casewright.config import load_settings
from casewright.models import Story
from casewright.tools.criteria import parse_criteria
from casewright.tools.wiki import wiki_to_blocks
from casewright.tools.workspace import Workspace, bundled_sample


def _story(markup: str, priority: str | None = "High") -> Story:
    return Story(key="CC-7", summary="Extensions", project="CC", priority=priority,
                 criteria=parse_criteria(wiki_to_blocks(markup)))


def test_given_when_then_map_to_preconditions_actions_and_expected_results() -> None:
    story = _story("Scenario: Extension granted\nGiven a customer 10 days overdue\n"
                   "And the caller passed ID&V\nWhen the agent offers a 14 day extension\n"
                   "And confirms it\nThen the new due date is shown\nAnd no fee is added (BR-12)")
    (case,) = run_fixed(story, load_settings()).cases
    assert case.case_id == "CC-7-TC01"
    assert case.title == "AC1: Extension granted"
    assert case.preconditions == ["A customer 10 days overdue", "The caller passed ID&V"]
    assert [step.action for step in case.steps] == [
        "The agent offers a 14 day extension", "Confirms it"]
    assert [step.expected for step in case.steps] == [
        "The new due date is shown", "No fee is added (BR-12)"]
    assert (case.story_key, case.criterion_ids, case.rule_ids) == ("CC-7", ["AC1"], ["BR-12"])
    assert case.priority == "high" and case.kind == "negative"  # "no fee"


def test_more_actions_than_outcomes_check_the_outcome_last() -> None:
    story = _story("Given a plan\nWhen the agent opens it\nAnd edits the amount\n"
                   "And saves\nThen the new amount is shown")
    steps = run_fixed(story, load_settings()).cases[0].steps
    assert [step.expected for step in steps] == [
        "The action is accepted without an error", "The action is accepted without an error",
        "The new amount is shown"]


def test_plain_criterion_becomes_one_check_step() -> None:
    story = _story("# Agent can waive the late payment fee up to £12 (BR-9)", priority=None)
    (case,) = run_fixed(story, load_settings()).cases
    assert len(case.steps) == 1
    assert "AC1" in case.steps[0].action and "waive the late payment fee" in case.steps[0].action
    assert case.kind == "boundary" and case.priority == "medium" and case.rule_ids == ["BR-9"]
    assert case.objective.startswith("Verify that agent can waive")


def test_story_without_criteria_gives_an_empty_suite_with_a_finding() -> None:
    story = Story(key="CC-8", summary="Nicer screen", project="CC", criteria=[])
    suite = run_fixed(story, load_settings())
    assert suite.cases == []
    assert [finding.check for finding in suite.findings] == ["no-criteria"]


def test_every_criterion_of_the_sample_is_covered_and_runs_are_deterministic() -> None:
    workspace = Workspace(bundled_sample(), load_settings(bundled_sample()))
    for story in workspace.jira.list_stories():
        first = run_fixed(story, workspace.settings)
        second = run_fixed(story, workspace.settings)
        assert first.cases == second.cases
        covered = {cid for case in first.cases for cid in case.criterion_ids}
        assert covered == {criterion.criterion_id for criterion in story.criteria}
        assert first.provenance.pipeline == "fixed"
        assert all(step.action and step.expected for case in first.cases for step in case.steps)
