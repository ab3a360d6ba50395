"""The model drafts each case whole; code checks the draft against the engine's configuration.

The chat is the one the specialist was trained on (`casewright.training.corpus`): the story's
summary and narrative, then a task naming the case's kind, its criterion, the outcome to
check and the values to use (those of the engine's configuration; for a criterion the engine
could not read, the criterion alone and no outcome). Code then checks the draft: every value
is set up or used, the expected results say the configuration's outcome with its polarity
(where the engine planned no act, the steps do the criterion's own; for an unread criterion
they refuse where it refuses, and none echoes the unnamed outcome), the set-up is not the
other way round from the plan's (whose preconditions a draft leaves out are added), the last
step has one, every action is an instruction and none the story's narrative, no sentence
stops short, and the reviewer's own checks hold (no restating, nothing degenerate, words
found in the sources). Ids, titles, kinds and traces are code's.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from casewright.agents.checks import check_case, sources_text
from casewright.agents.drafts import (
    MAX_VALUES,
    UNSTATED,
    Draft,
    draft_task,
    quoted_values,
    story_text,
)
from casewright.agents.passages import stems
from casewright.agents.planner import foreign
from casewright.agents.state import Evidence, Objective
from casewright.approval import ENGINE_LABEL, MODEL_LABEL, SCAFFOLD_LABEL
from casewright.design.behaviour import Configuration
from casewright.design.data_kinds import entry
from casewright.design.language import parse, parse_instruction
from casewright.design.lexicon import words
from casewright.design.rendering import SIGN_IN, SIGNED_OUT, render
from casewright.models import CaseKind, Step, Story, TestCase
from casewright.quality import UAT_VOCABULARY, content_words, stem
from casewright.wording import sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc

REPAIRED_LABEL = "model-repaired"
"""A drafted case that passed the checks on its second try, after being told why not."""
COMPLETED_LABEL = "engine-completed"
"""A drafted case the plan completed: its act after the draft's steps, where the draft went
elsewhere, or an example value where a step typed nothing; checked again whole."""
REVIEW_LABEL = "needs-review"
"""A drafted case of a criterion the engine could not read: nothing checked its logic."""
_NEGATION = re.compile(r"\b(not|no|never|cannot|none|refused|denied|unable)\b|n't\b",
                       re.IGNORECASE)
"""Words that deny an outcome; compared between the draft and the configuration, so words
that are as often the outcome itself ("rejected", "blocked") are left out."""
_NARRATIVE = re.compile(r"^\s*(as an? |as the |i want\b|i would like\b|so that\b|in order to\b)",
                        re.IGNORECASE)
_WANTS = re.compile(r"\b(as an? \w+[^.]*\bI (want|need|would like)|I want to be able|so that I|"
                    r"so I can)\b", re.IGNORECASE)
"""The narrative quoted inside a step ("... for As a service I want to send payments")."""
_USER_STORY = re.compile(r"\bAs an? [^.]*?\b(?:I want|I need|I would like)\b[^.]*\.?",
                         re.IGNORECASE)
_SENTENCE = re.compile(r"[^.!?]+[.!?]?")
NARRATIVE_CHARS = 300
"""Most characters of the story's description the task carries: its narrative."""
_STATES = frozenset({"be", "have", "exist"})
_ACTIVE = frozenset({"VB", "VBP", "VBZ"})
"""Verb forms of doing: "Open", "I open", "the user opens"; not "is selected" (VBN)."""
_MAY_NOT = re.compile(r"\b(cannot|can ?not|can't|must not|mustn't|should not|shouldn't|may not|"
                      r"will not|won't)\b", re.IGNORECASE)
SETUP_SAID = 0.6
"""Share of a planned precondition's words (any inflection) a draft's set-up or steps must
say for the draft to set it up itself."""
_ROLE = re.compile(r"\bas (?P<role>someone (?:who is not|without) (?P<not>.+)|.+)$",
                   re.IGNORECASE)
"""The role a planned sign-in names, and what it is not ("someone who is not an admin")."""
_ATTEMPTS = frozenset({"attempt", "try", "want", "able"})
_FIRST_PERSON = re.compile(r"^(I|We)\s+")
_TYPING = frozenset({"enter", "type", "input", "fill"})
"""Verbs of typing data into a field: the step must say what is typed."""
_MAIN = frozenset({"ROOT", "xcomp", "conj"})
"""Where the criterion's own acts stand: its main verb, what is tried, and their "and"."""
_CONDITION = re.compile(r"\b(when|if|unless|once|while|after|before|until)\b", re.IGNORECASE)
_DANGLING = re.compile(r"(:|\b(the|a|an|of|to|with|and|or|be|is|are|should|following|for|on|"
                       r"in|at|by|from|that|than))\W*$", re.IGNORECASE)
"""A sentence cut short: it ends on a colon or on a word English never ends one with."""
ECHO_WORDS = 4
"""Words in a row a repaired draft may not take from the reasons it was refused."""
_QUOTED = re.compile(r"\(?\"[^\"]*\"\)?")
MIN_PARTS = 2
"""Fewest preconditions and steps together: a lone step has no set-up to run it from."""
OUTCOME_SAID = 0.4
"""Share of the configuration's outcome words (any inflection) the expected results must say."""
REPEATED = 0.8
"""Share of an unread criterion's words an expected result holds when it only repeats it."""
# the reviewer's checks that hold for a draft as for any case; the rest compare cases
_CHECKS = frozenset({"repeated-steps", "thin-step", "vague-expected", "placeholder", "markup",
                     "prompt-echo", "restating", "ungrounded", "exemplar-copy"})


def narrative(story: Story) -> str:
    """Return the story's narrative ("As a ... I want ... so that ..."), or its first sentence."""
    text = " ".join(story.description.split())
    found = _USER_STORY.search(text) or _SENTENCE.match(text)
    return found.group(0).strip()[:NARRATIVE_CHARS] if found else ""


def draftable(story: Story, objective: Objective) -> bool:
    """Whether the model drafts this objective.

    Not a criterion in a language casewright does not read: the specialist writes English,
    and the template with its finding stands.
    """
    criterion = next((c for c in story.criteria if c.criterion_id == objective.criterion_id),
                     None)
    return objective.origin != "scaffold" or criterion is None or \
        foreign(story, criterion) is None


def story_section(story: Story) -> dict[str, str]:
    """Return the shared section of every drafting chat about a story."""
    return {"story": story_text(story.summary, narrative(story))}


def values_of(objective: Objective) -> list[str]:
    """Return the values a case of this objective must use: its configuration's."""
    configuration = objective.configuration
    if configuration is None:
        return []
    texts = [*(s.text for s in configuration.settings), *configuration.preconditions,
             *configuration.actions, configuration.data]
    found = list(dict.fromkeys(value for text in texts for value in quoted_values(text)))
    if configuration.data and len(configuration.data) <= 40:
        found.append(configuration.data)
    whole = [v for v in found if not any(v != other and v in other for other in found)]
    return list(dict.fromkeys(whole))[:MAX_VALUES]


def drafting_task(story: Story, objective: Objective) -> str:
    """Return the task asking for this objective's case, as the specialist learnt it.

    For a criterion the engine could not read the task names no outcome (`UNSTATED`, as a
    third of the training chats do): given the criterion as its outcome, the model only
    says it again.
    """
    outcome = "; ".join(objective.configuration.outcome) if objective.configuration else ""
    return draft_task(_shows(story, objective), drafted_kind(story, objective), outcome,
                      values_of(objective))


def drafted_kind(story: Story, objective: Objective) -> CaseKind:
    """Return the kind of case to draft: the engine's, or for an unread criterion its sense."""
    if objective.configuration is None and _refused(_shows(story, objective)):
        return "negative"
    return objective.kind


def _shows(story: Story, objective: Objective) -> str:
    """Return what the case is for: the criterion as written, as in the specialist's training.

    The objective's intent stands in where the story has no such criterion.
    """
    criterion = next((c for c in story.criteria if c.criterion_id == objective.criterion_id),
                     None)
    return criterion.text if criterion is not None else objective.intent


def drafted(engine: TestCase, draft: Draft, objective: Objective, kind: CaseKind, *,
            repaired: bool = False) -> TestCase:
    """Return the engine's case with the draft's preconditions and steps, labelled."""
    labels = [label for label in engine.labels if label not in (SCAFFOLD_LABEL, ENGINE_LABEL)]
    labels += [MODEL_LABEL] + ([REPAIRED_LABEL] if repaired else []) + \
        ([REVIEW_LABEL] if objective.configuration is None else [])
    return engine.model_copy(update={
        "kind": kind,
        "preconditions": [sentence(p) for p in draft.preconditions if p.strip()],
        "steps": [Step(action=sentence(s.action), data=s.data.strip(),
                       expected=sentence(s.expected) if s.expected.strip() else "")
                  for s in draft.steps],
        "labels": labels})


def grounded_setup(case: TestCase, story: Story, evidence: Evidence) -> TestCase:
    """Return a draft without the preconditions it made up from nothing it was told.

    The small model pads a case with set-ups of its own ("The browser is not paused", "I
    am in a browser"): one none of whose words a source, the case's steps or the UAT
    vocabulary has, in any inflection, is dropped before the checks.
    """
    told = "\n".join([sources_text(story, evidence), case.objective,
                      *(f"{s.action} {s.expected}" for s in case.steps)])
    known = {stem(word) for word in content_words(told) | UAT_VOCABULARY}
    kept = [p for p in case.preconditions if len(p.split()) > 1 and  # "Necessary"
            (not (said := content_words(p)) or any(stem(word) in known for word in said))]
    return case.model_copy(update={"preconditions": distinct(kept)})


def distinct(preconditions: list[str]) -> list[str]:
    """Return set-ups without those another says already, in order.

    The small model says a set-up twice ("User has been created" twice) or once more in
    fewer words ("I am an insolvency practitioner" after "I am logged in as an insolvency
    practitioner"): a precondition whose words (any inflection) another has, denied alike,
    goes; of two that say the same words, the first stays.
    """
    said = [stems(p) for p in preconditions]
    return [p for i, p in enumerate(preconditions) if not any(
        said[i] <= said[j] and (said[i] < said[j] or j < i) and denies([p]) == denies([other])
        for j, other in enumerate(preconditions) if j != i)]


def draft_problems(case: TestCase, objective: Objective, story: Story,
                   evidence: Evidence) -> list[str]:
    """Return why a drafted case cannot stand as the objective's case; empty when it can."""
    problems = []
    text = " ".join([*case.preconditions, *(f"{s.action} {s.data}" for s in case.steps)])
    lowered = text.lower()
    missing = [value for value in values_of(objective) if value.lower() not in lowered]
    if missing:
        problems.append("it does not set up or use " + ", ".join(f'"{v}"' for v in missing))
    if not case.steps[-1].expected:
        problems.append("its last step has no expected result")
    elif any(UNSTATED in step.expected.lower() for step in case.steps):
        problems.append(f'an expected result says "{UNSTATED}": say what the tester sees')
    elif objective.configuration is not None:
        outcome = " ".join(objective.configuration.outcome)
        said = " ".join(s.expected for s in case.steps)
        if denies(objective.configuration.outcome) != denies([s.expected for s in case.steps]):
            problems.append("its expected result must say that "
                            + ("it does not happen" if denies(objective.configuration.outcome)
                               else "it happens"))
        wanted = {stem(word) for word in content_words(outcome)}
        if wanted and len(wanted & {stem(w) for w in content_words(said)}) / len(wanted) < \
                OUTCOME_SAID:
            problems.append(f"its expected results must check: {outcome}")
    elif (refused := _refused(_shows(story, objective))) != refuses(
            [s.expected for s in case.steps]):
        problems.append("its expected result must say that " + (
            "it is refused or does not happen" if refused else "it happens"))
    told = [*case.preconditions, *(t for s in case.steps for t in (s.action, s.expected))]
    if any(_NARRATIVE.match(text) or _WANTS.search(text) for text in told):
        problems.append("it uses the story's narrative as a step")
    elif not all(is_instruction(step.action) for step in case.steps):
        problems.append("an action is not an instruction (say what the tester does)")
    texts = [*case.preconditions, *(t for s in case.steps for t in (s.action, s.expected) if t)]
    if any(stops_short(text) for text in texts):
        problems.append("a sentence stops before its end")
    if (given := result_given(case)) is not None:
        problems.append(f"a precondition already says the result it checks (\"{given}\"): "
                        "set up what is true before the first step")
    if (objective.configuration is None or not objective.configuration.actions) and \
            (acts := criterion_acts(_shows(story, objective))) and \
            not {stem(act) for act in acts} & {stem(w) for s in case.steps
                                               for w in content_words(s.action)}:
        problems.append("its steps must do what the criterion says: " + ", ".join(sorted(acts)))
    if objective.configuration is not None and \
            (missed := missed_acts(case.steps, objective, story)):
        problems.append("its steps must do what the criterion says: " + "; ".join(
            action for action in objective.configuration.actions if _verb(action) in missed))
    if any(enters_nothing(step) for step in case.steps):
        problems.append("a step enters data without saying which: give the value in its data")
    if (objective.configuration is None or objective.restating) and \
            _repeats(case, _shows(story, objective), objective.configuration):
        problems.append("its expected result only repeats the criterion: say what the tester "
                        "sees")
    engine = render(story, objective.configuration, case.case_id, case.priority, []) \
        if objective.configuration is not None else None
    if engine is not None and (opposite := plan_setup(case, engine.preconditions)[1]):
        problems.append("it sets up the opposite of: " + "; ".join(opposite))
    if engine is not None and objective.restating and _steps_within(case, engine):
        problems.append("its steps only say the criterion and its outcome again: say what the "
                        "tester does to get there and what they see")
    if len(case.preconditions) + len(case.steps) < MIN_PARTS:
        problems.append("it is too thin to run: give its set-up, or the steps that lead to "
                        "the result")
    problems += [f.message for f in check_case(case, story, evidence, [])
                 if f.check in _CHECKS]
    return problems


def stops_short(text: str) -> bool:
    """Whether a sentence is cut short: it ends on a word English never ends one with.

    A quote left open cuts it too. What ends a whole sentence is not cut: a quoted value or
    a letter naming something ('for case "A"', "region A") and signing in or out ("The
    user is signed in").
    """
    if text.count('"') % 2:
        return True
    ended = SIGN_IN.sub("done", re.sub(r'"[^"]*"|\b[A-Z]\b', "X", text))
    return bool(_DANGLING.search(ended))


def criterion_acts(criterion: str) -> set[str]:
    """Return the verbs of doing a criterion names, as it writes them, but the attempt itself.

    "Attempt to delete MenuItem that is in a pending order" names "delete": a case of it
    deletes. States ("is accessible") and what is received ("sees") are no act.
    """
    lexicon = words()
    return {token.lower_ for token in parse(_QUOTED.sub(" ", criterion))
            if token.pos_ == "VERB" and token.tag_ != "VBN" and token.dep_ in _MAIN
            and not any(child.dep_ == "neg" for child in token.children)
            and token.lemma_.lower() not in lexicon.stative_verbs | lexicon.receive_verbs |
            _ATTEMPTS}


def completed(case: TestCase, engine: TestCase, objective: Objective,
              story: Story) -> TestCase | None:
    """Return the draft completed from the plan, or None where the plan has nothing to add.

    Where its steps do not do the planned act, the engine's step that does it follows the
    draft's own steps and takes their last result ("I go to the legal agreement page", then
    "Add a valid legal agreement start date -> The valid legal agreement is added"). Where a
    step types data of a known kind and says no value, it types the kind's example.
    """
    steps = [step.model_copy(update={"data": found.value})
             if enters_nothing(step) and (found := entry(_imperative(step.action))) else step
             for step in case.steps]
    if missed := missed_acts(steps, objective, story):
        acts = [step for step in engine.steps if _verb(step.action) in missed][:1]
        if not acts:
            return None
        result = steps[-1].expected
        steps = [*steps[:-1], steps[-1].model_copy(update={"expected": ""}),
                 acts[0].model_copy(update={"expected": result})]
    if steps == case.steps:
        return None
    return case.model_copy(update={"steps": steps, "labels": [*case.labels, COMPLETED_LABEL]})


def _parse_action(action: str) -> Doc:
    """Return the parse of a step's action as a clause ("Open ..." with a subject put in)."""
    return parse(action) if _FIRST_PERSON.match(action) else parse_instruction(action)


def _imperative(action: str) -> str:
    """Return a first-person step as an instruction: "I enter my email" -> "Enter my email"."""
    plain = _FIRST_PERSON.sub("", action)
    return plain[:1].upper() + plain[1:]


def enters_nothing(step: Step) -> bool:
    """Whether a step types into a field without saying what: no data, no value in it.

    "I enter the central grid reference of my site" cannot be run as written; "Enter
    "TQ 123 456" as the grid reference" can, and so can a step whose data holds the value.
    """
    if step.data.strip() or quoted_values(step.action):
        return False
    doc = _parse_action(step.action)
    places = words().ui_nouns  # "Enter the claim page" goes somewhere
    return any(token.lemma_.lower() in _TYPING and token.pos_ == "VERB" and not any(
        child.dep_ == "dobj" and child.lemma_.lower() in places and token.lemma_ == "enter"
        for child in token.children) for token in doc[:4])


def missed_acts(steps: list[Step], objective: Objective, story: Story) -> set[str]:
    """Return the planned acts the criterion names that the steps do not do; empty if done."""
    if objective.configuration is None:
        return set()
    planned = planned_acts(objective.configuration, _shows(story, objective))
    actions = [step.action for step in steps]
    return set() if not planned or does(planned | feature_acts(story), actions) else planned


def planned_acts(configuration: Configuration, criterion: str) -> set[str]:
    """Return the verbs of the configuration's actions that its criterion names, as lemmas.

    An act the engine took from elsewhere (the story's summary) is not asked of a draft.
    """
    named = {token.lemma_.lower() for token in parse(criterion)}
    return {verb for action in configuration.actions
            if (verb := _verb(action)) is not None and verb in named}


def feature_acts(story: Story) -> set[str]:
    """Return the verbs of doing in a story's summary: doing the feature does its criteria.

    "Grant the payment extension" with the plan's values tests "When the agent picks a new
    due date ..." of the story "Agent can grant a payment extension".
    """
    return {token.lemma_.lower() for token in parse(story.summary) if token.pos_ == "VERB"
            and token.lemma_.lower() not in words().stative_verbs | _ATTEMPTS}


def _verb(action: str) -> str | None:
    """Return the lemma of an instruction's verb of doing, if it opens with one."""
    token = parse_instruction(action)[1:2]
    if not token or token[0].pos_ != "VERB" or \
            token[0].lemma_.lower() in words().stative_verbs | _ATTEMPTS:
        return None
    return token[0].lemma_.lower()


def does(planned: set[str], actions: list[str]) -> bool:
    """Whether actions do one of the planned acts: its verb, or one of a kind with it.

    Of a kind: two verbs of looking ("open", "view"), two acts on the screen ("click",
    "press") or two of changing data ("edit", "update"). "Submit" does not open.
    """
    lexicon = words()
    kinds = [lexicon.view_verbs, lexicon.ui_acts, lexicon.act_on_verbs & lexicon.entry_verbs]
    done = {token.lemma_.lower() for action in actions for token in parse(action)}
    return any(verb in done or any(verb in kind and done & kind for kind in kinds)
               for verb in planned)


def plan_setup(case: TestCase, planned: list[str]) -> tuple[list[str], list[str]]:
    """Return the planned preconditions a draft leaves out, and those it sets up the other way.

    The engine's case sets up its configuration: who signs in, what exists, each condition's
    value. A draft says one where a precondition or action holds most of its words (any
    inflection), or any sign-in for a sign-in; said denied the other way ("The loan is
    overdue" for "The loan is not overdue", signed in for "Not signed in") or as another
    role, it contradicts it.
    """
    said = [*case.preconditions, *(step.action for step in case.steps)]
    missing, opposite = [], []
    for wanted in planned:
        if SIGN_IN.search(wanted):
            match = next((text for text in said if SIGN_IN.search(text)), None)
            other = match is not None and (
                bool(SIGNED_OUT.search(wanted)) != bool(SIGNED_OUT.search(match)) or
                _other_role(wanted, match))
        else:
            words = stems(wanted)
            match = max(said, key=lambda text: len(words & stems(text)), default=None)
            if not words or match is None or \
                    len(words & stems(match)) / len(words) < SETUP_SAID:
                match = None
            other = match is not None and denies([wanted]) != denies([match])
        if match is None:
            missing.append(wanted)
        elif other:
            opposite.append(wanted)
    return missing, opposite


def _other_role(planned: str, said: str) -> bool:
    """Whether a draft signs in as another role than the plan's.

    "Signed in as someone who is not a standard user" is contradicted by a standard user
    signed in; "Signed in as a librarian" by anyone whose sign-in does not name a librarian.
    The engine's own default, "a user", is anyone signed in.
    """
    role = _ROLE.search(planned)
    if role is None or role["role"].lower() in {"a user", "an user", "the user"}:
        return False
    if role["not"]:
        return stems(role["not"]) <= stems(said) and not denies([said])
    return not stems(role["role"]) <= stems(said)


def _steps_within(case: TestCase, engine: TestCase) -> bool:
    """Whether a draft's steps say nothing the engine's restating case does not (any form)."""
    said = stems(" ".join(f"{s.action} {s.expected}" for s in engine.steps))
    return all(stems(f"{step.action} {step.expected}") <= said for step in case.steps)


def _repeats(case: TestCase, criterion: str, configuration: Configuration | None) -> bool:
    """Whether an expected result is the criterion said again (most of its words, any form).

    Words of the outcome the configuration names do not count as repeating: "The order is
    canceled" is the outcome of "Cancel order", not the criterion again.
    """
    wanted = {stem(word) for word in content_words(criterion)}
    outcome = {stem(word) for word in content_words(" ".join(configuration.outcome))} \
        if configuration is not None else set()
    for step in case.steps:
        said = wanted & {stem(w) for w in content_words(step.expected)}
        if wanted and len(said) / len(wanted) >= REPEATED and said - outcome:
            return True
    return False


def result_given(case: TestCase) -> str | None:
    """Return a precondition that already says one of the case's results, if any.

    A set-up that holds the outcome ("The category is added" before adding it) leaves
    nothing to check. A result of two or more content words whose every word (any
    inflection) the precondition has, denied alike, counts; results split at ";".
    """
    results = [part for step in case.steps for part in step.expected.split(";")]
    for precondition in case.preconditions:
        has = {stem(word) for word in content_words(precondition)}
        for result in results:
            wanted = {stem(word) for word in content_words(result)}
            if len(wanted) >= 2 and wanted <= has and \
                    denies([precondition]) == denies([result]):
                return precondition
    return None


def denies(results: list[str]) -> bool:
    """Whether results deny an outcome in their main clause ("... when X is not set" does not)."""
    return any(_NEGATION.search(_CONDITION.split(result, maxsplit=1)[0]) for result in results)


def refuses(results: list[str]) -> bool:
    """Whether results deny or refuse an outcome in their main clause ("files are rejected").

    What an unread criterion says and what its draft expects must agree: "metric files of
    an old version are rejected" is not tested by a file that uploads.
    """
    refusal = words().refusal()
    return denies(results) or any(refusal.search(_CONDITION.split(result, maxsplit=1)[0])
                                  for result in results)


def _refused(criterion: str) -> bool:
    """Whether an unread criterion denies or refuses anywhere: its clauses are not known.

    "Claims submitted after the deadline are rejected" refuses, though "after" begins it.
    """
    return bool(_NEGATION.search(criterion) or words().refusal().search(criterion))


def is_instruction(action: str) -> bool:
    """Whether an action says what the tester does: a verb of doing, as "Open ..." or "I ...".

    Not a rule ("Refunds cannot be issued twice"): what may not be done is no step.
    """
    if _MAY_NOT.search(action):
        return False
    doc = _parse_action(action)
    said = [token for token in doc if not token.is_punct]
    return len(said) >= 3 and any(
        token.pos_ == "VERB" and token.tag_ in _ACTIVE and token.lemma_.lower() not in _STATES
        for token in said[1:5])


def echoes(case: TestCase, problems: list[str], story: Story, task: str) -> bool:
    """Whether a repaired draft copies the words of why its first draft was refused.

    Four words in a row of a reason ("set up what is true before the first step") that the
    task and the story did not already say; quoted text, the first draft's own, is left out.
    """
    said = _runs(" ".join([*case.preconditions, *(f"{s.action} {s.expected}"
                                                  for s in case.steps)]))
    told = _runs(_QUOTED.sub(" | ", "; ".join(problems)))
    asked = " ".join([*story_section(story).values(), task])
    return bool(said & (told - _runs(asked)))


def _runs(text: str) -> set[tuple[str, ...]]:
    """Return the runs of ECHO_WORDS words in text, lowercased, not across punctuation."""
    runs: set[tuple[str, ...]] = set()
    for part in re.split(r"[^\w\s'-]+", text.lower()):
        tokens = part.split()
        runs |= {tuple(tokens[i:i + ECHO_WORDS]) for i in range(len(tokens) - ECHO_WORDS + 1)}
    return runs


def repair_task(task: str, problems: list[str]) -> str:
    """Return the task again with why the first draft was refused."""
    return f"{task}\nYour first draft was refused: {'; '.join(problems)}. Write it again."
