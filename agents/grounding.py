"""Grounding a story's plan in its evidence: what the passages cite, and the limits they state.

After the retriever, every objective cites the passages found for its criterion. A limit a
passage states about the criterion's outcome ("extensions of 15 to 30 days need team leader
approval") gets boundary cases over the amount the criterion gives ("21 days"), just as a limit
in the criterion does. A passage that states a different limit than the criterion for the same
thing becomes a finding: the cases test the criterion, and a person decides which is right.
"""

from __future__ import annotations

import re

from casewright.agents.cases import objective_for
from casewright.agents.passages import stems
from casewright.agents.state import Evidence, Objective, Plan
from casewright.design.behaviour import Behaviour, Configuration, Quantity
from casewright.design.boundaries import stated_boundaries
from casewright.design.quantities import find_amounts, find_limits, same_unit, satisfies
from casewright.models import AcceptanceCriterion, Finding, Source, Story

CITED_PER_CASE = 3
"""Passages a case cites: the best found for its criterion."""
ABOUT_OUTCOME = 2
"""Stems a passage's sentence must share with an outcome (or a limit's clause) to be about it."""
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


def sentences(text: str) -> list[str]:
    """Return a passage's sentences, table rows and list items."""
    return [part.strip(" -*|") for part in _SENTENCE.split(text) if part.strip(" -*|")]


def _points(limit: Quantity) -> set[float]:
    return {limit.value} | ({limit.upper} if limit.upper is not None else set())


def _outcome_stems(behaviour: Behaviour) -> set[str]:
    """Return the words of the behaviour's main outcome that its set-up does not use."""
    first = next((effect.text for effect in behaviour.effects if not effect.always), "")
    setup = " ".join([*behaviour.actions, *behaviour.preconditions,
                      *(c.text for c in behaviour.conditions)])
    return stems(first) - stems(setup)


def stated_configurations(behaviour: Behaviour, passage: Source, others: list[Quantity],
                          ) -> list[Configuration]:
    """Return boundary configurations for the limits a passage states about the outcome.

    `others` are the limits every passage of the criterion states: a boundary value that one
    of them (of the same unit, met by the criterion's amount) rules out is not tested here.
    """
    outcome = _outcome_stems(behaviour)
    setup = [*behaviour.actions, *behaviour.preconditions, *(c.text for c in behaviour.conditions)]
    given = [amount for text in setup for amount in find_amounts(text)]
    own = [c.quantity for c in behaviour.conditions if c.quantity] + behaviour.limits
    configurations = []
    for sentence in sentences(passage.text):
        if len(stems(sentence) & outcome) < ABOUT_OUTCOME:
            continue
        for limit in find_limits(sentence):
            if any(same_unit(mine, limit) for mine in own):
                continue  # the criterion's own limit is tested; a conflict is a finding
            for amount in given:
                if same_unit(amount, limit) and satisfies(limit, amount.value):
                    within = [other for other in others if other != limit and same_unit(
                        amount, other) and satisfies(other, amount.value)]
                    configurations += stated_boundaries(behaviour, amount, limit,
                                                        passage.source_id, within)
                    break
    return configurations


def conflicts(behaviour: Behaviour, passage: Source) -> list[Finding]:
    """Return a finding for each limit a passage states differently from the criterion."""
    found = []
    outcome = " ".join(effect.text for effect in behaviour.effects)
    clauses = [(c.quantity, c.text) for c in behaviour.conditions if c.quantity] + [
        (limit, next((a for a in behaviour.actions if limit.text in a), limit.text))
        for limit in behaviour.limits]
    for sentence in sentences(passage.text):
        for limit in find_limits(sentence):
            for mine, clause in clauses:
                if mine is None or not same_unit(mine, limit) or _points(mine) & _points(limit):
                    continue
                if len(stems(sentence) & stems(f"{clause} {outcome}")) >= ABOUT_OUTCOME:
                    found.append(Finding(
                        check="conflict", severity="warning",
                        criterion_id=behaviour.criterion_id,
                        message=f"{behaviour.criterion_id} says '{mine.text}' but "
                        f"{passage.source_id} ({passage.title}) says '{limit.text}': ask "
                        "which holds; the cases test the criterion's"))
    return found


def _criterion_objectives(criterion: AcceptanceCriterion, plan: Plan, evidence: Evidence,
                          sources: dict[str, Source], limit: int,
                          taken: set[str]) -> tuple[list[Objective], list[Finding]]:
    cited = evidence.by_criterion.get(criterion.criterion_id, [])
    mine = [objective.model_copy(update={"source_ids": cited[:CITED_PER_CASE]})
            for objective in plan.objectives if objective.criterion_id == criterion.criterion_id]
    planned = {o.configuration.key() for o in mine if o.configuration is not None}
    findings: list[Finding] = []
    stated = [limit for source_id in cited for sentence in sentences(sources[source_id].text)
              for limit in find_limits(sentence)]
    for behaviour in plan.behaviours.get(criterion.criterion_id, []):
        for source_id in cited:
            passage = sources[source_id]
            findings += conflicts(behaviour, passage)
            for configuration in stated_configurations(behaviour, passage, stated):
                if len(mine) >= limit or configuration.key() in planned:
                    continue
                planned.add(configuration.key())
                objective = objective_for(criterion, configuration, taken)
                rules = [source_id] if passage.kind == "rule" else []
                mine.append(objective.model_copy(update={
                    "rule_ids": list(dict.fromkeys([*objective.rule_ids, *rules])),
                    "source_ids": list(dict.fromkeys([source_id, *cited]))[:CITED_PER_CASE]}))
    return mine, findings


def ground(plan: Plan, story: Story, evidence: Evidence, limit: int) -> Plan:
    """Return the plan with its objectives citing their passages, and the passages' limits."""
    sources = {source.source_id: source for source in evidence.sources}
    taken = {objective.objective_id for objective in plan.objectives}
    objectives: list[Objective] = []
    findings = list(plan.findings)
    for criterion in story.criteria:
        mine, found = _criterion_objectives(criterion, plan, evidence, sources, limit, taken)
        objectives += mine
        findings += [f for f in found if f not in findings]
    if not evidence.sources:
        findings.append(Finding(check="no-evidence", message="no rule or "
                                "page section bears on this story: the cases rest on its "
                                "criteria alone"))
    return plan.model_copy(update={"objectives": objectives, "findings": findings})
