"""The retriever node: evidence passages, exemplar cases and duplicate candidates for a story.

Rules a criterion names are looked up directly in the Confluence source; memory's hybrid
search adds the rules and page sections that bear on each criterion, whether or not the pages
number their rules. The existing cases most like the story are exemplars for style and
candidates for duplicates. Every passage keeps its id, page, headings and a link to its
section.
"""

from __future__ import annotations

import time

from langgraph.runtime import Runtime

from casewright.agents.context import AgentContext
from casewright.agents.grounding import ground
from casewright.agents.passages import bears_on, from_hits
from casewright.agents.state import AgentState, Evidence, Plan
from casewright.memory.models import SearchFilter
from casewright.models import Source, Story, TestCase
from casewright.quality import similarity
from casewright.tools.glossary import is_glossary

PASSAGES_PER_KIND = 3
"""Rules, and page sections, that memory is asked for per criterion."""
PASSAGES_PER_CRITERION = 4
EXEMPLARS = 4
CANDIDATES = 5


def _searched(context: AgentContext, query: str, subject: str) -> list[Source]:
    """Return the rules and page sections memory finds for a query that bear on the subject.

    A glossary is vocabulary (the reviewer knows its terms), not evidence for a criterion.
    """
    if context.memory is None:
        return []
    hits = [hit for kind in ("rule", "page") for hit in context.memory.search(
        query, limit=PASSAGES_PER_KIND, where=SearchFilter(kind=kind))]
    hits.sort(key=lambda hit: -hit.score)
    return [passage for passage in from_hits(hits) if bears_on(passage.text, subject)
            and not is_glossary(" ".join([passage.title, *passage.heading_path]))]


def _similar_cases(context: AgentContext, story: Story, count: int) -> list[TestCase]:
    text = " ".join([story.summary, *(c.text for c in story.criteria)])
    others = [case for case in context.existing_tests if case.story_key != story.key]
    return sorted(others, key=lambda case: -similarity(text, _case_words(case)))[:count]


def _case_words(case: TestCase) -> str:
    return " ".join([case.title, case.objective, *(s.action for s in case.steps)])


def retrieve(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Evidence | Plan]:
    """Gather the evidence for the story's plan, and ground the plan in it."""
    started = time.perf_counter()
    context, story, plan = runtime.context, state["story"], state["plan"]
    sources: dict[str, Source] = {}
    by_criterion: dict[str, list[str]] = {}
    for criterion in story.criteria:
        found = [context.rules[rule_id] for rule_id in criterion.rule_ids
                 if rule_id in context.rules]
        found += _searched(context, plan.queries[criterion.criterion_id], criterion.text)
        found = list({source.source_id: source for source in found}.values())
        found = found[:max(PASSAGES_PER_CRITERION, len(criterion.rule_ids))]
        for source in found:
            sources.setdefault(source.source_id, source)
        by_criterion[criterion.criterion_id] = [source.source_id for source in found]
    same_story = [case for case in context.existing_tests if case.story_key == story.key
                  and "agent" not in case.labels]  # an earlier run's cases are not the team's
    evidence = Evidence(
        sources=list(sources.values()), by_criterion=by_criterion,
        exemplars=_similar_cases(context, story, EXEMPLARS),
        candidates=same_story + _similar_cases(context, story, CANDIDATES),
        glossary=context.glossary)
    rules = sum(source.kind == "rule" for source in evidence.sources)
    grounded = ground(plan, story, evidence, context.max_objectives_per_criterion)
    added = len(grounded.objectives) - len(plan.objectives)
    context.progress(f"retriever: {rules} rules, {len(evidence.sources) - rules} page "
                     f"sections, {added} cases from their limits, {len(evidence.exemplars)} "
                     f"exemplars ({time.perf_counter() - started:.1f} s)")
    return {"evidence": evidence, "plan": grounded}
