"""The planner node: criterion analysis and test design, one objective per configuration.

Each criterion is analysed into a `Behaviour`, and the test-design techniques it calls for
(decision table, boundary values, equivalence classes, roles, states) give the
configurations to test, each an objective. No criterion is dropped: one the analysis cannot
read (one in a language other than English among them) keeps the template case with an open
finding saying why; one with no testable outcome gets an ambiguity finding with the question
to put to the product owner instead of a case that could not fail. A criterion the story
states again is planned once (`repeats.py`).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from langgraph.runtime import Runtime

from casewright.agents.cases import objective_for, scaffold_objective
from casewright.agents.context import AgentContext
from casewright.agents.state import AgentState, Objective, Plan
from casewright.design.behaviour import Behaviour, Configuration
from casewright.design.foreign import unsupported_language
from casewright.design.language import negate
from casewright.design.named_items import named_items
from casewright.design.quantities import boundaries, with_value
from casewright.design.reading import analyse
from casewright.design.rendering import render, story_action
from casewright.design.repeats import repeat_findings, repeat_ids
from casewright.design.techniques import design
from casewright.models import AcceptanceCriterion, Finding, Story
from casewright.quality import restates
from casewright.wording import headline

MAX_CRITERION = 2000
"""Longest criterion analysed, in characters; a longer one keeps its own wording."""


def analysed(story: Story, criterion: AcceptanceCriterion) -> tuple[list[Behaviour], str | None]:
    """Return a criterion's behaviours, or none and why it could not be read."""
    if (language := foreign(story, criterion)) is not None:
        return [], f"written in {language}, which casewright does not support yet (it reads " \
            "English only)"
    if len(criterion.text) > MAX_CRITERION:
        return [], f"too long to analyse ({len(criterion.text)} characters)"
    try:
        return analyse(criterion), None
    except (ValueError, IndexError, StopIteration) as error:
        return [], f"the analysis failed ({type(error).__name__}: {error})"


def foreign(story: Story, criterion: AcceptanceCriterion) -> str | None:
    """Return the language a criterion is written in, where casewright does not read it."""
    story_text = "\n".join([story.summary, story.description, *(c.text for c in story.criteria)])
    return unsupported_language(criterion.text, story_text)


def assumed_outcome(behaviour: Behaviour) -> str | None:
    """Return the question behind a negative case whose outcome the criterion does not state.

    "If X then Y" says nothing of what happens without X; like CiRA, the negative cases
    expect Y not to happen. A tester confirms that with the product owner. Where the
    outcome is only the act's own result ("Searching ... when there is more than one
    constituency"), the value outside the limit gets no case, and this asks about it.
    """
    limited = next((c for c in behaviour.conditions if c.quantity), None)
    if limited is not None and limited.quantity is not None and behaviour.effects and \
            behaviour.effects[0].derived and not behaviour.exclusive and not behaviour.otherwise:
        outside = next(b for b in boundaries(limited.quantity) if not b.meets)
        return (f"{behaviour.criterion_id} does not say what happens when "
                f"{with_value(limited.text, limited.quantity, outside.value)}: it has no case "
                "for that value. Ask the product owner what the user should see then")
    if not behaviour.conditions or behaviour.exclusive or behaviour.otherwise or \
            behaviour.unparsed or not behaviour.effects or behaviour.effects[0].derived:
        return None  # a derived outcome gets no negative case to question
    conditions = "; ".join(c.text for c in behaviour.conditions)
    return (f"{behaviour.criterion_id} does not say what happens unless {conditions}: its "
            f"negative cases expect '{negate(behaviour.effects[0].text)}'. Confirm with the "
            "product owner")


def configurations_for(behaviours: list[Behaviour], limit: int) -> list[Configuration]:
    """Return the distinct configurations of a criterion's rules, at most `limit`."""
    seen: set[tuple[str, ...]] = set()
    chosen = []
    for behaviour in behaviours:
        if behaviour.unparsed:
            continue
        for configuration in design(behaviour):
            if configuration.key() not in seen:
                seen.add(configuration.key())
                chosen.append(configuration)
    return chosen[:limit]


def _runnable(story: Story, criterion: AcceptanceCriterion,
              configurations: list[Configuration]) -> list[Configuration]:
    """Return the configurations whose cases add something to the criterion's own words.

    A case that only says the criterion again ("Check the result on screen" -> "Sends an
    invitation from the sidebar") could not fail; the criterion gets a question instead.
    """
    return [c for c in configurations
            if not restates(render(story, c, f"{story.key}-TC00", "medium", []), criterion)]


VAGUE_WORDS = 3
"""Longest ambiguity, in words, that is a vague word or value rather than a whole sentence."""


def plan_story(story: Story, limit: int, *, draft: bool = False) -> Plan:
    """Return the objectives, behaviours and analysis findings of a story.

    With `draft` (the model drafts every case) a criterion the engine cannot turn into a
    configuration still gets an objective, the criterion itself, for the model to draft; it
    keeps a question only where a word is vague. So does one whose engine cases would only
    restate it ("Cancel order"): the model drafts them from their configurations, which name
    the outcome to check ("The order is canceled"), and the writer asks where no draft holds.
    """
    objectives: list[Objective] = []
    behaviours: dict[str, list[Behaviour]] = {}
    findings = repeat_findings(story)
    taken: set[str] = set()
    repeats = repeat_ids(story)
    items = named_items(story)
    for criterion in story.criteria:
        cid = criterion.criterion_id
        if cid in repeats:
            continue  # the first statement's cases trace to it
        # "Footer links": "Privacy policy" names the link to follow, and its case (follow
        # it, see what it opens) is runnable however few words the name has
        item = items.get(cid)
        found, problem = ([item], None) if item else analysed(story, criterion)
        behaviours[cid] = found
        # drafting, the model writes what the engine cannot read: only a vague word or value
        # (not a whole sentence the analysis could not place) is still a question
        questions = [a.question for b in found for a in b.ambiguities
                     if not draft or len(a.word.split()) <= VAGUE_WORDS]
        findings += [Finding(check="ambiguity", criterion_id=cid, severity="warning",
                             message=question) for question in questions]
        findings += [Finding(check="assumption", criterion_id=cid, severity="warning",
                             message=assumption) for b in found
                     if (assumption := assumed_outcome(b)) is not None]
        if any(b.untriggered for b in found) and story_action(story) is None:
            if not draft:
                questions.append(f"{cid} ('{headline(criterion.text, 60)}') says what is "
                                 "received but not what sends it: which action or event comes "
                                 "first?")
                findings.append(Finding(check="ambiguity", criterion_id=cid,
                                        severity="warning", message=questions[-1]))
            found = [b for b in found if not b.untriggered]
        configurations = configurations_for(found, limit)
        runnable = configurations if item else _runnable(story, criterion, configurations)
        # one that names an act to do is worth drafting from; one that is only the criterion
        # as its outcome tells the model nothing the criterion does not, as an unread one
        restating = draft and not runnable and any(c.actions for c in configurations)
        if configurations and not runnable and not draft:
            questions.append(f"{cid} ('{headline(criterion.text, 60)}') gives nothing to "
                             "set up, do or check beyond its own words: what does the user do, "
                             "and what should they see?")
            findings.append(Finding(check="ambiguity", criterion_id=cid, severity="warning",
                                    message=questions[-1]))
        configurations = configurations if restating else runnable
        if not configurations and questions and not draft:
            continue  # nothing testable until the product owner answers
        if not configurations:
            reason = problem or next((b.unparsed for b in found if b.unparsed),
                                     "no configuration to test")
            findings.append(Finding(check="analysis", criterion_id=cid, severity="warning",
                                    message=f"{cid}: {reason}; " + (
                                        "the model drafted its case unchecked (or, failing "
                                        "that, asks what to test): review it"
                                        if draft and not foreign(story, criterion)
                                        else "kept the criterion's own wording, rewrite it "
                                        "by hand")))
            objectives.append(scaffold_objective(criterion))
            taken.add(objectives[-1].objective_id)
            continue
        objectives += [objective_for(criterion, c, taken, restating=restating)
                       for c in configurations]
    queries = {c.criterion_id: retrieval_query(c) for c in story.criteria}
    return Plan(objectives=objectives, queries=queries, behaviours=behaviours,
                findings=findings)


def retrieval_query(criterion: AcceptanceCriterion) -> str:
    """Return the text to look up rules for a criterion: its words without the keywords."""
    return " ".join(word for word in criterion.text.split()
                    if word.lower() not in {"given", "when", "then", "and", "but"})


def plan(state: AgentState, runtime: Runtime[AgentContext]) -> dict[str, Plan | datetime]:
    """Plan the objectives for the story."""
    started_at, started = datetime.now(UTC), time.perf_counter()
    context, story = runtime.context, state["story"]
    result = plan_story(story, context.max_objectives_per_criterion, draft=context.draft)
    techniques = sorted({o.configuration.technique for o in result.objectives
                         if o.configuration is not None})
    context.progress(f"planner: {len(result.objectives)} objectives for {len(story.criteria)} "
                     f"criteria ({', '.join(techniques) or 'no technique'}; "
                     f"{time.perf_counter() - started:.1f} s)")
    return {"plan": result, "started_at": started_at}
