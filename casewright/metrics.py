"""Quality metrics: what `casewright compare` and the benchmarks print, for any suites.

Definitions (DESIGN.md "Quality metrics"):
- criterion coverage: share of criteria with a case that traces to it and names its key terms;
- conditions: the distinct configurations tested, counted by kind: a case counts only when
  it differs from its criterion's other cases in set-up, actions, data or expected results
  (`quality.distinct_cases`), so a copy of the positive case with another label covers no
  condition, and each boundary value of a limit is one;
- restating cases: cases that only say their criterion again (`quality.restates`);
- negatives asserting the positive outcome (`quality.negatives_asserting_positive`);
- rule grounding: share of cited rule ids that exist in the workspace's pages, and share of
  rule-bearing criteria (criteria naming a rule id) with a case citing one of their rules;
- degenerate cases (repeats, placeholders, vague results), duplicates of existing tests;
- seconds per story, from each suite's provenance.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence

from pydantic import BaseModel, Field

from casewright.approval import MODEL_LABEL
from casewright.models import CaseKind, Suite, TestCase
from casewright.quality import (
    degenerate_problems,
    distinct_cases,
    duplicate_of,
    names_key_terms,
    negatives_asserting_positive,
    restates,
)

KINDS: tuple[CaseKind, ...] = ("positive", "negative", "boundary", "role", "data")


class StoryScore(BaseModel):
    """The metrics of one story's suite."""

    story_key: str
    criteria: int
    covered: int
    conditions: dict[str, int] = Field(description="Distinct configurations tested, by kind.")
    cases: int
    restating: int = Field(description="Cases that only restate their criterion.")
    negatives_as_positive: int = Field(description="Negative cases that expect what a "
                                       "positive case of their criterion expects.")
    cited_rules: int = Field(description="Distinct rule ids the cases cite.")
    valid_rules: int = Field(description="Of those, how many the workspace's pages define.")
    rule_bearing: int = Field(description="Criteria that name a rule id.")
    rule_bearing_cited: int = Field(description="Of those, how many a case cites a rule of.")
    degenerate: int
    duplicates: int
    model_written: int = Field(default=0, description="Cases the model drafted or reworded "
                               "that passed every check (the rest are the engine's).")
    seconds: float


class Scorecard(BaseModel):
    """The metrics of one pipeline over a set of stories, with totals."""

    pipeline: str
    stories: list[StoryScore]

    def _sum(self, name: str) -> int:
        return sum(getattr(story, name) for story in self.stories)

    @property
    def coverage(self) -> float:
        """Share of all criteria covered."""
        return self._sum("covered") / max(self._sum("criteria"), 1)

    @property
    def conditions(self) -> dict[str, int]:
        """Distinct conditions covered, by kind, over all stories."""
        totals: Counter[str] = Counter({kind: 0 for kind in KINDS})
        for story in self.stories:
            totals.update(story.conditions)
        return dict(totals)

    @property
    def rule_validity(self) -> float:
        """Share of cited rule ids that exist (1.0 when nothing is cited)."""
        return self._sum("valid_rules") / self._sum("cited_rules") if self._sum("cited_rules") \
            else 1.0

    @property
    def rule_bearing_cited(self) -> float:
        """Share of rule-bearing criteria with a citing case (1.0 when there are none)."""
        bearing = self._sum("rule_bearing")
        return self._sum("rule_bearing_cited") / bearing if bearing else 1.0

    @property
    def seconds_per_story(self) -> float:
        """Mean seconds per story."""
        return sum(s.seconds for s in self.stories) / max(len(self.stories), 1)

    def summary(self) -> dict[str, float | int]:
        """Return the totals as a flat mapping, for tables and JSON."""
        return {"stories": len(self.stories), "criteria": self._sum("criteria"),
                "coverage": round(self.coverage, 3), "cases": self._sum("cases"),
                **{f"conditions_{k}": v for k, v in self.conditions.items()},
                "conditions": sum(self.conditions.values()),
                "rule_validity": round(self.rule_validity, 3),
                "rule_bearing_cited": round(self.rule_bearing_cited, 3),
                "restating": self._sum("restating"),
                "negatives_as_positive": self._sum("negatives_as_positive"),
                "degenerate": self._sum("degenerate"), "duplicates": self._sum("duplicates"),
                "model_written": self._sum("model_written"),
                "seconds_per_story": round(self.seconds_per_story, 2)}


def score_suite(suite: Suite, *, existing: Sequence[TestCase],
                known_rule_ids: Collection[str]) -> StoryScore:
    """Score one suite against the workspace's existing tests and defined rules."""
    story = suite.story
    covered = [c for c in story.criteria
               if any(names_key_terms(case, c) for case in suite.cases_for(c.criterion_id))]
    criteria = {c.criterion_id: c for c in story.criteria}
    cited = {rule for case in suite.cases for rule in case.rule_ids}
    bearing = [c for c in story.criteria if c.rule_ids]
    bearing_cited = [c for c in bearing if any(
        set(case.rule_ids) & set(c.rule_ids) for case in suite.cases_for(c.criterion_id))]
    provenance = suite.provenance
    return StoryScore(
        story_key=story.key, criteria=len(story.criteria), covered=len(covered),
        conditions=dict(Counter(case.kind for case in distinct_cases(suite.cases))),
        cases=len(suite.cases),
        restating=sum(any(restates(case, criteria[cid]) for cid in case.criterion_ids
                          if cid in criteria) for case in suite.cases),
        negatives_as_positive=len(negatives_asserting_positive(suite.cases)),
        cited_rules=len(cited), valid_rules=len(cited & set(known_rule_ids)),
        rule_bearing=len(bearing), rule_bearing_cited=len(bearing_cited),
        degenerate=sum(bool(degenerate_problems(
            case, story, model_written=MODEL_LABEL in case.labels)) for case in suite.cases),
        duplicates=sum(duplicate_of(case, existing) is not None for case in suite.cases),
        model_written=sum(MODEL_LABEL in case.labels for case in suite.cases),
        seconds=(provenance.finished_at - provenance.started_at).total_seconds())


def scorecard(pipeline: str, suites: Sequence[Suite], *, existing: Sequence[TestCase],
              known_rule_ids: Collection[str]) -> Scorecard:
    """Score a pipeline's suites."""
    return Scorecard(pipeline=pipeline, stories=[
        score_suite(suite, existing=existing, known_rule_ids=known_rule_ids) for suite in suites])
