"""`casewright compare`: both pipelines on the same stories, scored by the same metrics."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from casewright.config import Settings
from casewright.metrics import Scorecard, scorecard
from casewright.models import Story, Suite
from casewright.run_records import new_run_id, state_folder
from casewright.tools.workspace import Workspace

ROWS = (
    ("stories", "stories"), ("criteria", "criteria"), ("criterion coverage", "coverage"),
    ("cases", "cases"), ("conditions covered", "conditions"),
    ("  positive", "conditions_positive"), ("  negative", "conditions_negative"),
    ("  boundary", "conditions_boundary"), ("  role", "conditions_role"),
    ("  data", "conditions_data"), ("cited rules that exist", "rule_validity"),
    ("rule-bearing criteria cited", "rule_bearing_cited"),
    ("cases restating their criterion", "restating"),
    ("negatives expecting the positive", "negatives_as_positive"),
    ("degenerate cases", "degenerate"), ("duplicates of existing tests", "duplicates"),
    ("cases the model wrote, checked", "model_written"),
    ("seconds per story", "seconds_per_story"),
)


def run_both(stories: Sequence[Story], workspace: Workspace, settings: Settings,
             say: Callable[[str], None]) -> tuple[list[Suite], list[Suite]]:
    """Return the fixed pipeline's and the agent's suites for the same stories."""
    from casewright.agents.fixed_pipeline import run_fixed
    from casewright.assembly import open_agent

    fixed = [run_fixed(story, settings) for story in stories]
    agent = []
    run_id = f"compare-{new_run_id()}"
    with open_agent(workspace, settings, state_folder(settings),
                    lambda line: say(f"  {line}")) as write:
        for number, story in enumerate(stories, start=1):
            say(f"[{number}/{len(stories)}] {story.key}: {len(story.criteria)} criteria")
            agent.append(write(story, run_id)[0])
    return fixed, agent


def score_both(fixed: Sequence[Suite], agent: Sequence[Suite],
               workspace: Workspace) -> tuple[Scorecard, Scorecard]:
    """Score both pipelines against the workspace's existing tests and rules."""
    existing = workspace.existing_tests()
    rules = {rule.rule_id for page in workspace.confluence.list_pages() for rule in page.rules}
    return (scorecard("fixed", fixed, existing=existing, known_rule_ids=rules),
            scorecard("agent", agent, existing=existing, known_rule_ids=rules))


def table_rows(fixed: Scorecard, agent: Scorecard) -> list[tuple[str, str, str]]:
    """Return (metric, fixed, agent) rows, ready to print."""
    left, right = fixed.summary(), agent.summary()

    def shown(value: float | int, key: str) -> str:
        if key in {"coverage", "rule_validity", "rule_bearing_cited"}:
            return f"{value:.0%}"
        return f"{value:.1f}" if isinstance(value, float) else str(value)

    return [(label, shown(left[key], key), shown(right[key], key)) for label, key in ROWS]
