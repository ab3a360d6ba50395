"""The retriever node: rules, pages, exemplar cases and duplicate candidates for a story.

Rules a criterion names are looked up directly in the Confluence source; memory's hybrid
search adds the rules and pages related to each criterion, and the existing cases most like
the story (exemplars for style, candidates for duplicates). Every item keeps its id and URL.
"""

from __future__ import annotations

import time

from langgraph.runtime import Runtime

from casewright.agents.context import AgentContext
from casewright.agents.state import AgentState, Evidence
from casewright.memory.models import SearchFilter
from casewright.models import Source, Story, TestCase
from casewright.quality import similarity

RULES_PER_CRITERION = 3
EXEMPLARS = 4
CANDIDATES = 5


def _named_rules(context: AgentContext, rule_ids: list[str]) -> list[Source]:
    sources = []
    for rule_id in rule_ids:
        if rule_id in context.rules:
            rule, url = context.rules[rule_id]
            sources.append(Source(source_id=rule_id, kind="rule", title=rule.heading_path[-1]
                                  if rule.heading_path else rule.page_id, url=url, text=rule.text))
    return sources


def _searched(context: AgentContext, query: str, story: Story) -> list[Source]:
    if context.memory is None:
        return []
    hits = context.memory.search(query, limit=RULES_PER_CRITERION, where=SearchFilter(kind="rule"))
    return [Source(source_id=hit.chunk.source_id, kind="rule", title=hit.chunk.title,
                   url=hit.chunk.url, text=_rule_text(hit.chunk.text)) for hit in hits]


def _rule_text(text: str) -> str:
    """Drop the context line a memory chunk starts with, keeping the rule's own words."""
    return text.split("\n", 1)[-1].strip()


def _similar_cases(context: AgentContext, story: Story, count: int) -> list[TestCase]:
    text = " ".join([story.summary, *(c.text for c in story.criteria)])
    others = [case for case in context.existing_tests if case.story_key != story.key]
    return sorted(others, key=lambda case: -similarity(text, _case_words(case)))[:count]


def _case_words(case: TestCase) -> str:
    return " ".join([case.title, case.objective, *(s.action for s in case.steps)])


def retrieve(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Evidence]:
    """Gather the evidence for the story's plan."""
    started = time.perf_counter()
    context, story, plan = runtime.context, state["story"], state["plan"]
    sources: dict[str, Source] = {}
    by_criterion: dict[str, list[str]] = {}
    for criterion in story.criteria:
        found = _named_rules(context, criterion.rule_ids)
        found += _searched(context, plan.queries[criterion.criterion_id], story)
        for source in found:
            sources.setdefault(source.source_id, source)
        by_criterion[criterion.criterion_id] = list(dict.fromkeys(s.source_id for s in found))
    same_story = [case for case in context.existing_tests if case.story_key == story.key
                  and "agent" not in case.labels]  # an earlier run's cases are not the team's
    evidence = Evidence(
        sources=list(sources.values()), by_criterion=by_criterion,
        exemplars=_similar_cases(context, story, EXEMPLARS),
        candidates=same_story + _similar_cases(context, story, CANDIDATES))
    context.progress(f"retriever: {len(evidence.sources)} rules, {len(evidence.exemplars)} "
                     f"exemplars ({time.perf_counter() - started:.1f} s)")
    return {"evidence": evidence}
