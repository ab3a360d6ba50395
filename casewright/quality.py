"""Checks on written test cases, shared by the reviewer node and the quality metrics.

Each check is deterministic and cheap, so the reviewer can run all of them before asking a
model anything, and `casewright compare` can score any suite with the very same rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from casewright.models import AcceptanceCriterion, Story, TestCase

_WORD = re.compile(r"[a-z0-9£%]+(?:['&.][a-z0-9]+)*")
STOPWORDS = frozenset("""
a about above after again all also am an and any are as at be been before being below between
both but by can could did do does doing down during each few for from further had has have
having he her here hers him his how i if in into is it its itself just me more most my no nor
not now of off on once only or other our out over own same she should so some such than that
the their them then there these they this those through to too under until up very was we
were what when where which while who whom why will with would you your given and but then
""".split())
UAT_VOCABULARY = frozenset("""
open opens opened click clicks clicked select selects selected choose
enter enters entered type types typed fill submit submits submitted save saves saved press
tick sign signs signed log logs logged navigate navigates go goes return returns refresh
scroll view views viewed try tries attempt attempts
check checks checked verify verifies verified look looks see sees seen observe observes read
show shows shown display displays displayed appear appears visible
screen screens page pages field fields button buttons tab tabs menu link links form forms
message messages error errors warning list lists option options dropdown popup modal tooltip
checkbox box window dialog icon
test step steps data value values expected result results outcome pass passed fail failed
user users valid invalid
today tomorrow yesterday monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
""".split())
"""Words any UAT case may use with no source: how a tester acts and looks, and what on.

They are the verbs of working a screen (open, click, enter, sign in, try), of observing
(check, look, shown, visible), the parts of a user interface (page, field, button, message,
error), the words of a test itself (step, data, expected result, pass, user, valid) and
calendar words, which are test data as numbers are. Nothing else is exempt: no domain word
("account", "email", "approval"), and no word only the engine's templates say ("completes",
"refused", "saying", "wrong", "stated", "limit", "someone", "member"), so a case that claims
what its story never said ("The step completes without an error", "is refused with a message
saying what is wrong") counts as ungrounded whoever wrote it.
"""
_PLACEHOLDER = re.compile(
    r"\b(tbd|tbc|todo|fixme|lorem|ipsum|xxx+|placeholder|n/a|etc)\b|<[^>]*>|\{[^}]*\}|\[[^\]]*\]",
    re.IGNORECASE)
_FIELD_NAME = re.compile(r'"(?:[a-z]+(?:_[a-z]+)+|user ?name|password|e-?mail|name|value|text|'
                         r'string|number)"', re.IGNORECASE)
"""A quoted value that is its field's name ("user_name", "password"), not data to type in."""
_MARKUP = re.compile(r'[{}]|"\s*[:,]\s*"')
"""JSON left in a text: the model closed a string too late and wrote its syntax into it."""
_PROMPT_ECHO = re.compile(
    r"\b(test cases?|(this|the) task|task description|json|exemplars?|previous case|"
    r"write (one|a)\b|(positive|negative|boundary) test)", re.IGNORECASE)
"""Words of the writer's instructions that a case copying them, not testing, contains."""
_VAGUE = re.compile(r"^(it |the system |system )?(works|ok|okay|passes|is correct|as expected|"
                    r"correctly|successfully|fine|done)\.?$", re.IGNORECASE)
_LETTERS = re.compile(r"^[a-z]+(?:'[a-z]+)?$")
_ID_OR_NUMBER = re.compile(r"^((?=[a-z]*\d)[a-z\d]+|[£\d][\d.,%]*)$")
"""An id, a code or a number ('cc101', 'sw1a', '£12.00'): test data, not a claim."""
_ENDING = re.compile(r"(?:ing|ed|es|e|s)$")
_GHERKIN = frozenset({"given", "when", "then"})
DUPLICATE_SIMILARITY = 0.7
STEP_COPY_SIMILARITY = 0.6
UNGROUNDED_SHARE = 0.34
KEY_TERM_SHARE = 0.3
KEY_TERMS_ENOUGH = 3


def words(text: str) -> list[str]:
    """Return the lower-case words of a text."""
    return _WORD.findall(text.lower())


def said_words(text: str) -> list[str]:
    """Return the words made of letters only: what a sentence says, without ids or numbers."""
    return [word for word in words(text) if _LETTERS.match(word)]


def content_words(text: str) -> set[str]:
    """Return the words that carry meaning: no stop words, no one-letter words."""
    return {word for word in words(text) if word not in STOPWORDS and len(word) > 1}


def stem(word: str) -> str:
    """Return a word without its inflection: 'created', 'creates', 'creating' -> 'creat'."""
    return _ENDING.sub("", word) if len(word) > 4 else word


def case_text(case: TestCase) -> str:
    """Return everything a tester reads in a case, as one text."""
    parts = [case.title, case.objective, *case.preconditions]
    parts += [f"{step.action} {step.data} {step.expected}" for step in case.steps]
    return "\n".join(parts)


def _step_text(case: TestCase) -> str:
    return " ".join(f"{s.action} {s.data} {s.expected}" for s in case.steps)


def similarity(first: str, second: str) -> float:
    """Return the Jaccard similarity of two texts' content words (0 to 1)."""
    one, two = content_words(first), content_words(second)
    return len(one & two) / len(one | two) if one | two else 0.0


def key_terms(criterion: AcceptanceCriterion) -> list[str]:
    """Return a criterion's content words in the order it says them, each once."""
    return [word for word in dict.fromkeys(words(criterion.text))
            if word not in STOPWORDS | _GHERKIN and len(word) > 1]


def names_key_terms(case: TestCase, criterion: AcceptanceCriterion) -> bool:
    """Whether a case names enough of a criterion's key terms to count as testing it.

    Only what the tester reads and does counts (preconditions and steps), not the title
    or objective, which code copies from the criterion. Enough is 30% of the criterion's
    content words, or three of them for a long criterion. A term counts in any inflection
    ("deleting" for "delete") and written apart ("menu item" for "MenuItem").
    """
    terms = {stem(term) for term in key_terms(criterion)}
    if not terms:
        return True
    said = words(" ".join([*case.preconditions, _step_text(case)]))
    found = terms & {stem(word) for word in [*said, *map("".join, pairwise(said))]}
    return len(found) >= max(1, min(KEY_TERMS_ENOUGH, round(KEY_TERM_SHARE * len(terms))))


@dataclass(frozen=True)
class Problem:
    """Something wrong with one case: which check failed and why."""

    check: str
    message: str


def degenerate_problems(case: TestCase, story: Story, exemplars: Sequence[TestCase] = (),
                        model_written: bool = True) -> list[Problem]:
    """Return what makes a case degenerate: repeats, placeholders, vague or copied text.

    The checks for a model's failures (JSON left in the text, the prompt's own words, an
    exemplar's steps copied) run only on model-written cases: the engine and the templates
    take their words from the criterion, which may well say "JSON".
    """
    problems: list[Problem] = []
    actions = [" ".join(words(step.action)) for step in case.steps]
    expected = [" ".join(words(step.expected)) for step in case.steps]
    results = [e for e in expected if e]  # a step may only lead to the next, as testers write
    if len(set(actions)) < len(actions) or len(set(results)) < len(results):
        problems.append(Problem("repeated-steps", "two steps repeat the same text"))
    if any(a and a == e for a, e in zip(actions, expected, strict=True)):
        problems.append(Problem("repeated-steps", "a step expects what it does"))
    if any(len(a.split()) < 2 for a in actions) or not expected[-1]:
        problems.append(Problem("thin-step", "a step's action is a single word or the last "
                                "step's expected result is missing"))
    if any(_VAGUE.match(step.expected.strip()) or len(said_words(step.expected)) < 3
           for step in case.steps if step.expected.strip()):
        problems.append(Problem("vague-expected", "an expected result is not observable"))
    criteria = " ".join(c.text for c in story.criteria).lower()
    if any(m[0].lower() not in criteria for m in _PLACEHOLDER.finditer(_step_text(case))):
        problems.append(Problem("placeholder", "steps hold placeholder text"))  # not quoted
    if not model_written:
        return problems
    if any(m[0].lower() not in criteria
           for m in _FIELD_NAME.finditer(" ".join([*case.preconditions, _step_text(case)]))):
        problems.append(Problem("placeholder", "a quoted value is a field's name, not data: "
                                "give a real value"))
    if _MARKUP.search(" ".join([*case.preconditions, _step_text(case)])):
        problems.append(Problem("markup", "steps hold JSON syntax, not words"))
    if _PROMPT_ECHO.search(" ".join([*case.preconditions, _step_text(case)])):
        problems.append(Problem("prompt-echo", "steps repeat the instructions instead of "
                                "testing the story"))
    if case.title.strip().upper() in {story.key, ""}:
        problems.append(Problem("bad-title", "the title is only the issue key"))
    for exemplar in exemplars:
        if copies_steps(case, exemplar):
            problems.append(Problem("exemplar-copy", f"steps copy exemplar {exemplar.case_id}"))
            break
    return problems


def copies_steps(case: TestCase, exemplar: TestCase) -> bool:
    """Whether a case copies an exemplar: a step repeated nearly word for word, or the whole."""
    if similarity(_step_text(case), _step_text(exemplar)) >= DUPLICATE_SIMILARITY:
        return True
    theirs = [f"{s.action} {s.expected}" for s in exemplar.steps]
    return any(similarity(f"{step.action} {step.expected}", other) >= STEP_COPY_SIMILARITY
               for step in case.steps for other in theirs)


def duplicate_of(case: TestCase, existing: Iterable[TestCase]) -> TestCase | None:
    """Return the existing test this case repeats, if any."""
    text = case_text(case)
    for other in existing:
        if other.case_id != case.case_id and similarity(text, case_text(other)) >= \
                DUPLICATE_SIMILARITY:
            return other
    return None


def step_words(case: TestCase) -> set[str]:
    """Return the content words of a case's steps (actions, data, expected results)."""
    return content_words(_step_text(case))


def ungrounded_words(case: TestCase, sources: str) -> set[str]:
    """Return the content words of a case's steps that no source or UAT word has.

    Any inflection counts: 'downloaded' is grounded by 'Downloading'.
    """
    known = {stem(word) for word in content_words(sources) | UAT_VOCABULARY}
    return {word for word in content_words(_step_text(case))
            if stem(word) not in known and not _ID_OR_NUMBER.match(word)}


def is_ungrounded(case: TestCase, sources: str) -> bool:
    """Whether too many of a case's step words were invented (appear in no source)."""
    step_words = content_words(_step_text(case))
    return bool(step_words) and len(ungrounded_words(case, sources)) / len(step_words) > \
        UNGROUNDED_SHARE


RESTATE_SHARE = 0.8
"""Share of a criterion's key terms an expected result must hold to be the criterion again."""
_GENERIC_ACTION = re.compile(r"^(check|look for|look at|verify|carry out|observe|confirm|"
                             r"open the record or screen)\b", re.IGNORECASE)
_SIGNED_IN = re.compile(r"^signed in as\b", re.IGNORECASE)
_ON_A_PAGE = re.compile(r"^I am on the\b", re.IGNORECASE)
"""Where a case starts: like who signs in, no set-up of the criterion's own."""


def _normal(text: str) -> str:
    return " ".join(words(text))


def restates(case: TestCase, criterion: AcceptanceCriterion) -> bool:
    """Whether a case only restates its criterion, adding nothing a tester could run.

    It does when it has no test data, no precondition beyond the criterion's own Given
    clauses, and no step that both does something concrete and expects something other
    than the criterion said again: "Carry out the behaviour described in AC1: ..." ->
    "The system behaves as AC1 states: ...", or "Check X" -> the criterion.
    """
    given = {_normal(clause) for clause in criterion.given}
    own = [p for p in case.preconditions if _normal(p) not in given
           and (case.kind == "role" or not _SIGNED_IN.match(p))  # who signs in is a role's set-up
           and not _ON_A_PAGE.match(p)]
    if own or any(step.data.strip() for step in case.steps):
        return False
    terms = {stem(term) for term in key_terms(criterion)}  # "managing" is "managed" again
    for step in case.steps:
        said = {stem(word) for word in content_words(step.expected)}
        said_again = len(terms & said) / len(terms) >= RESTATE_SHARE if terms else True
        if not (said_again or _GENERIC_ACTION.match(step.action)):
            return False
    return True


def signature(case: TestCase) -> tuple[frozenset[str], ...]:
    """Return what tells a case's configuration apart: set-up, actions, data and results.

    Actions count: two triggers of one outcome ("authorised or declined") are two
    configurations of the criterion, each a case.
    """
    return (frozenset(_normal(p) for p in case.preconditions if not _SIGNED_IN.match(p)),
            frozenset(_normal(s.action) for s in case.steps),
            frozenset(_normal(s.data) for s in case.steps if s.data.strip()),
            frozenset(_normal(s.expected) for s in case.steps))


def distinct_cases(cases: Sequence[TestCase]) -> list[TestCase]:
    """Return the cases that differ from every other case of their criterion.

    Two cases of one criterion with the same preconditions, actions, data and expected results
    test one configuration: neither counts as a condition covered.
    """
    kept = []
    for case in cases:
        twins = [other for other in cases if other is not case
                 and set(other.criterion_ids) & set(case.criterion_ids)
                 and signature(other) == signature(case)]
        if not twins:
            kept.append(case)
    return kept


def expected_outcomes(case: TestCase) -> frozenset[str]:
    """Return a case's expected results, normalised."""
    return frozenset(_normal(step.expected) for step in case.steps)


def negatives_asserting_positive(cases: Sequence[TestCase]) -> list[TestCase]:
    """Return the negative cases whose expected results are those of a positive case.

    A negative case must assert the refusal or the other outcome: one that expects what
    the criterion's positive case expects tests nothing new.
    """
    positives: dict[str, list[frozenset[str]]] = {}
    for case in cases:
        if case.kind == "positive":
            for cid in case.criterion_ids:
                positives.setdefault(cid, []).append(expected_outcomes(case))
    return [case for case in cases if case.kind == "negative" and any(
        expected_outcomes(case) <= outcome for cid in case.criterion_ids
        for outcome in positives.get(cid, []))]


BORROWED_ENOUGH = 2
"""Distinct exemplar-only words (or numbers) that mark a case as drifted to another subject."""


def borrowed_words(case: TestCase, own: str, exemplars: Iterable[TestCase]) -> set[str]:
    """Return the words and numbers a case took from exemplars, not from its own sources.

    `own` is what the case may draw on: its story, its criterion, that criterion's rules.
    A word is borrowed when an exemplar has it and `own` does not in any inflection
    ("created" is the story's own "creating"); the UAT vocabulary every case uses is never
    borrowed. Numbers count: an exemplar's account number or date in a
    case is the exemplar's data, not the story's.
    """
    theirs: set[str] = set()
    for exemplar in exemplars:
        theirs |= set(words(" ".join([*exemplar.preconditions, _step_text(exemplar)])))
    mine = set(words(" ".join([*case.preconditions, _step_text(case)])))
    known = {stem(word) for word in {*words(own), *UAT_VOCABULARY, *STOPWORDS}}
    return {word for word in mine & theirs if stem(word) not in known and len(word) > 1}

