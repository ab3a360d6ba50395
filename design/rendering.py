"""Rendering: a configuration as a test case a tester can run without reading the story.

Preconditions set each condition to its value in plain words; actions are instructions in
the criterion's own words; the test data are the configuration's values; the expected
results are this configuration's outcome. The wording is the engine's floor: the writer may
ask the model to reword it, and keeps the model's version only when it says the same.
"""

from __future__ import annotations

import re

from casewright.design.behaviour import Configuration
from casewright.design.clauses import split_clauses
from casewright.design.language import (
    as_state,
    attempted,
    imperative,
    is_person,
    parse,
    parse_instruction,
)
from casewright.design.lexicon import words
from casewright.design.outcomes import outcome_of
from casewright.design.repeats import traced_ids
from casewright.models import Priority, Step, Story, TestCase
from casewright.tools.criteria import without_reference
from casewright.wording import headline, sentence

_LEADING_DETERMINER = re.compile(r"^(no|any|each|every|a|an|one)\s+", re.IGNORECASE)
_KEPT_IN = re.compile(r"\b(?:is|are) (?:logged|recorded|noted|stored|listed) (?:in|on) "
                      r"(?:the |their |its )?(?P<where>[\w -]+?)$", re.IGNORECASE)
_SHOWN = re.compile(r"\b(shows?|shown|displays?|displayed|appears?|visible|available|offered|"
                    r"hidden)\b", re.IGNORECASE)

_HOLDS = frozenset({"accept", "hold", "allow", "take", "store", "fit", "contain"})
"""What a field or box does with what is typed into it."""
TYPED = "Type the test data into"


def observe_action(outcome: str) -> str:
    """Return the instruction that makes an outcome observable.

    A screen that shows something is opened ("Open the Charges tab"); something that
    appears is looked for ("Look for the Payment plan option"); what a person is sent is
    checked where they receive it; what a field accepts is typed into it; anything else is
    checked by name.
    """
    if where := _KEPT_IN.search(outcome):  # "... is logged in the account history"
        return f"Open the {where['where']}"
    doc = parse(outcome)
    subject = next((t for t in doc if t.dep_ in {"nsubj", "nsubjpass"}), None)
    if subject is None:
        return "Check the result on screen"
    chunk = doc[subject.left_edge.i:subject.right_edge.i + 1]
    if any(t.pos_ in {"VERB", "AUX"} for t in chunk) or len(chunk) > 8:
        chunk = next((c for c in doc.noun_chunks if c.start <= subject.i < c.end),
                     doc[subject.left_edge.i:subject.i + 1])
    name = _LEADING_DETERMINER.sub("the ", chunk.text.split(" (")[0])
    if name.lower() in words().pronouns:
        name = "the user"
    if name[:4] == "The " or (chunk.start == 0 and doc[0].pos_ != "PROPN" and
                              name[1:2].islower() and " " in name):  # "Fraudulent domains"
        name = name[:1].lower() + name[1:]
    if not name.lower().startswith("the ") and not name[:1].isupper():
        name = f"the {name}"
    if is_person(subject):
        return f"Check what {name} receives" if subject.dep_ == "nsubjpass" or \
            subject.head.lemma_ in {"get", "receive"} else "Check what the screen shows"
    verb = subject.head
    if subject.lower_ == "screen":
        return "Check what the screen shows"
    if verb.lemma_ in {"show", "list", "display"} and any(t.dep_ == "dobj" for t in verb.children):
        return f"Open {name}"
    if _SHOWN.search(outcome):
        return f"Look for {name}"
    if subject.lemma_.lower() in words().ui_nouns and verb.lemma_ in _HOLDS:
        return f"{TYPED} {name}"  # "the postcode field accepts 8 characters"
    return f"{'Open' if subject.lemma_.lower() in words().ui_nouns else 'Check'} {name}"


SIGNED_OUT = re.compile(r"\b(?:not|never) (?:yet )?(?:signed|logged) in\b|\b(?:signed|logged)[ -]"
                         r"out\b|\b(?:anonymous|unauthenticated)\b", re.IGNORECASE)
"""Someone not signed in, as a role or a set-up says it."""
_SIGNED_IN = re.compile(r"\b(?:signed|logged)[ -]in\b|\bauthenticated\b", re.IGNORECASE)
SIGN_IN = re.compile(r"\b(?:sign(?:ed|s)?|log(?:ged|s)?)[ -]?(?:in|on|out)\b|\banonymous\b",
                     re.IGNORECASE)
"""Any signing in or out said: a set-up or step that says who is signed in."""


def _actor_precondition(actor: str | None) -> list[str]:
    if not actor:
        return []
    role = re.sub(r"^(an?|the)\s+", "", actor.strip(), flags=re.IGNORECASE)
    if SIGNED_OUT.search(role):  # "a not signed in user", "an anonymous visitor"
        return ["Not signed in"]
    if role.lower() in words().pronouns or (role.istitle() and " " not in role
                                            and role.lower().rstrip("s") not in words().roles):
        return []  # a persona's name ("Charlie") or a pronoun: the story says who that is
    if role.lower().startswith("someone"):
        return [f"Signed in as {role}"]
    if role.lower().endswith("team"):
        return [f"Signed in as a member of the {role}"]
    return [f"Signed in as {one_of(role)}"]


def one_of(role: str) -> str:
    """Return one person of a role, with its article: "admins", "only admins" -> "an admin"."""
    role = re.sub(r"^(?:only\s+)?(?:(?:an?|the)\s+)?", "", role.strip(), flags=re.IGNORECASE)
    parts = role.split()
    article = "an" if re.match(r"[aeio]|u(?![a-z][aeiou])", role.lower()) else "a"
    if len(parts) > 1 and parts[1] in {"with", "without", "who", "whose", "in", "on"}:
        head = parts[0][:-1] if parts[0].endswith("s") and not parts[0].endswith("ss") \
            else parts[0]  # "users with the X role", "Suppliers with a verified profile"
        return f"{article} {' '.join([head.lower() if head[1:].islower() else head, *parts[1:]])}"
    role = role[:-1] if role.endswith("s") and not role.endswith("ss") else role
    return f"{article} {role.lower() if role[1:].islower() else role}"


_ON_PAGE = re.compile(r"^I am on\b|\bon the\b.+\b(?:page|screen)\b", re.IGNORECASE)
"""A precondition that already puts the tester somewhere: the story's page is not added."""
_THE_PAGE = re.compile(r"\b([Tt])he (?:page|screen)\b")
"""A page a step names without naming which: the story's own, where it is named after one."""
_WISH = re.compile(r"^(?:I\s+)?(?:want|need|would like|wish)\s+to\s+", re.IGNORECASE)
"""A summary in the narrative's voice: what follows is the act."""


def story_action(story: Story) -> str | None:
    """Return the story's own feature as an instruction, when its summary reads as one.

    "Agent can grant a payment extension" -> "Grant a payment extension"; "Set up a payment
    plan for customers in arrears" stays as it is; "Want to attach documents" attaches them;
    "Admin hub page" is opened.
    """
    summary = without_reference(story.summary)  # "GF-1159 Preview event objectives"
    summary = summary.split(":")[0].strip().rstrip(".")  # "View a petition: In order..."
    summary = _WISH.sub("", summary)  # "Want to attach documents": attach them
    summary = summary[:1].upper() + summary[1:]
    doc = parse(summary)
    if not doc or summary.endswith("?"):  # ": In order to ...", "What is your income?"
        return None
    if page := _page(summary):  # "Admin hub page"
        return f"Open the {page}"
    subject = next((t for t in doc if t.dep_ == "nsubj"), None)
    if subject is not None and subject.head.dep_ == "ROOT" and subject.i <= 2 and \
            (action := imperative(summary)):
        return action
    lowered = parse(summary[:1].lower() + summary[1:])  # capitalised, "Update" reads as a noun
    if "VB" in {doc[0].tag_, lowered[0].tag_} and len(doc) <= 12 and \
            len(split_clauses(summary)[0]) == 1 and not any(t.text == "," for t in doc):
        return summary  # one instruction, whatever nouns "and" joins in it
    return None


def story_start(story: Story, preconditions: list[str], steps: list[Step]) -> str | None:
    """Return the page a story is named after as a case's precondition, or None.

    "Taxpayer details page" -> "I am on the taxpayer details page"; a summary that asks
    the user something is the page that asks it, one question to a page ("What is your
    child's date of birth?" -> 'I am on the "What is your child's date of birth?" page').
    None where the case already says where it starts: a precondition puts the tester on a
    page, or a step opens or names the story's page.
    """
    page = _story_page_name(story)
    if page is None or any(_ON_PAGE.search(p) for p in preconditions) or \
            any(page in step.action for step in steps):
        return None
    return f"I am on the {page}"


def _story_page_name(story: Story) -> str | None:
    """Return the page a story is named after: 'taxpayer details page', '"What ...?" page'."""
    summary = without_reference(story.summary).strip()
    if summary.endswith("?") and len(summary.split()) >= 3:
        return f'"{summary}" page'
    return _page(summary.split(":")[0].strip().rstrip("."))


def on_story_page(steps: list[Step], story: Story) -> list[Step]:
    """Return steps with "the page" they name said as the page the story is named after.

    "Page load" of the story "Taxpayer details page" loads the taxpayer details page: it is
    the only page the story names.
    """
    page = _story_page_name(story)
    if page is None:
        return steps

    def named(text: str) -> str:
        return _THE_PAGE.sub(lambda m: f"{m[1]}he {page}", text)
    return [step.model_copy(update={"action": named(step.action), "expected": named(step.expected)})
            for step in steps]


def _page(summary: str) -> str | None:
    """Return the page a summary of only nouns names ("Admin hub page"), as running text."""
    doc = parse(summary)
    if not doc or doc[-1].lemma_.lower() not in words().ui_nouns or not all(
            t.pos_ in {"NOUN", "PROPN", "ADJ"} for t in doc):
        return None
    return f"{summary[:1].lower() if summary[1:2].islower() else summary[:1]}{summary[1:]}"


def _with_object(action: str, story: Story | None) -> str:
    """Give a bare verb ('Validate', 'Try to sign') the object the story uses it with."""
    if story is None or " " in attempted(action).strip():
        return action
    lemma = parse_instruction(action)[1].lemma_
    texts = [t for t in (story.summary, *(c.text for c in story.criteria))
             if lemma.rstrip("e") in t.lower()]  # "validate" in "validating"
    for doc in map(parse, texts):
        for token in doc:
            target = next((t for t in token.children if t.dep_ == "dobj"), None)
            if token.lemma_ == lemma and target is not None and target.pos_ == "NOUN":
                return f"{action} {doc[target.left_edge.i:target.i + 1].text}"
    return action


def _opened_first(actions: list[str], preconditions: list[str]) -> list[str]:
    """Return 'Open the petition' when the first action acts on a petition the set-up made.

    "There is a petition that has been taken down" then "Take down the petition": the tester
    opens it first, as the team's own scenarios do ("When I view the petition").
    """
    if not actions:
        return []
    doc = parse_instruction(actions[0])
    acts = len(doc) > 1 and (doc[1].lemma_.lower() in words().act_on_verbs or
                             any(t.dep_ == "prt" for t in doc[1].children))  # "take down"
    target = next((t for t in doc if doc[t.left_edge.i].lower_ == "the" and not any(
        c.dep_ == "poss" for c in t.children) and (
        t.dep_ == "dobj" and t.head.i == 1 and acts or  # "take down the petition"
        t.dep_ == "pobj" and t.head.head.i == 1 and t.head.lower_ in {"to", "on", "from"})),
        None)  # "add tags to the open petition"
    if target is None or is_person(target) or target.lemma_.lower() in words().roles:
        return []  # "block the user": where a person is opened differs by product
    thing = doc[target.left_edge.i + 1:target.i + 1].text
    made = any(re.match(rf"^(?:there (?:is|are) (?:an?|some) |an? )?{re.escape(thing)}\b", p,
                        re.IGNORECASE) or re.search(rf"\b{re.escape(thing)} exists?$", p)
               for p in preconditions)
    return [f"Open the {thing}"] if made else []


def steps_for(configuration: Configuration, story: Story | None = None) -> list[Step]:
    """Return the steps: each action, then a check of every outcome not yet observed.

    An action before the last expects what it leaves behind ("Payment extension is
    selected"); outcomes observed the same way share one check step. A criterion that
    names no action, and whose outcome is not something to look for before acting, starts
    with the story's own feature ("Set up a payment plan ..."); one about what a field
    accepts types the test data into it.
    """
    outcomes = [sentence(text) for text in configuration.outcome]
    actions = [sentence(_with_object(action, story)) for action in configuration.actions]
    if not actions and outcomes and (typed := observe_action(outcomes[0])).startswith(TYPED):
        actions = [typed]  # what a field accepts: typing into it is the act
    if not actions and story is not None and outcomes and (
            not observe_action(outcomes[0]).startswith("Look for") or
            re.search(r"\b(never|not)\b", outcomes[0])) and (feature := story_action(story)):
        if words().refusal().search(outcomes[0]) and not re.search(r"\bnot\b", outcomes[0]):
            actions = [f"Try to {feature[:1].lower()}{feature[1:]}"]  # "User is blocked ..."
        elif re.search(r"\b(never|not)\b", outcomes[0]) and not observe_action(
                outcomes[0]).endswith(" receives"):  # begin it; it may not complete
            actions = [f"Start to {feature[:1].lower()}{feature[1:]}"]
            outcomes = ["The step completes without an error", *outcomes]
        else:
            actions = [feature]
            outcomes = [outcome_of(feature) or "The step completes without an error",
                        *outcomes]
    opened = _opened_first(actions, configuration.preconditions)
    actions = [*opened, *actions]
    steps: list[Step] = []
    for number, action in enumerate(actions):
        last = number == len(actions) - 1
        expected = outcomes[0] if last and outcomes else \
            outcome_of(action) or "The step completes without an error"
        steps.append(Step(action=action, expected=expected,
                          data=configuration.data if number == len(opened) else ""))
    checks: dict[str, list[str]] = {}
    for outcome in outcomes[1:] if actions else outcomes:
        checks.setdefault(observe_action(outcome), []).append(outcome)
    for action, seen in checks.items():
        steps.append(Step(action=action, data=configuration.data if not steps else "",
                          expected="; ".join(seen)))
    return steps


def title(configuration: Configuration) -> str:
    """Return the case title: criterion, kind, and what sets the configuration apart."""
    return f"{configuration.criterion_id} {configuration.kind}: " \
        f"{headline(configuration.label, 90)}"


def objective(configuration: Configuration) -> str:
    """Return what the case proves, in one sentence."""
    given = "; ".join(s.text[:1].lower() + s.text[1:] for s in configuration.settings)
    who = f"as {configuration.actor}, " if configuration.technique == "roles" and \
        configuration.actor else ""
    outcome = "; ".join(o[:1].lower() + o[1:] for o in configuration.outcome)
    data = f"with {configuration.data}, " if configuration.data and not given else ""
    prefix = f"When {given}, " if given else ""
    return sentence(f"{prefix}{who}{data}{outcome}")


def _story_sign_in(story: Story, said: list[str]) -> list[str]:
    """Return whether the story's user is signed in, where its summary alone says so.

    "Footer links - signed out", "Basket when logged in": every case of the story starts
    so, unless its own set-up or steps already sign someone in or out.
    """
    if any(SIGN_IN.search(text) for text in said):
        return []
    if SIGNED_OUT.search(story.summary):
        return ["Not signed in"]
    return ["Signed in as a user"] if _SIGNED_IN.search(story.summary) else []


def render(story: Story, configuration: Configuration, case_id: str, priority: Priority,
           rule_ids: list[str]) -> TestCase:
    """Return the case for one configuration, with code-set id, title, kind and traces."""
    preconditions = [*_actor_precondition(configuration.actor),
                     *(sentence(p) for p in configuration.preconditions),
                     *(sentence(as_state(s.text)) for s in configuration.settings)]
    preconditions[:0] = _story_sign_in(story, [*preconditions, *configuration.actions])
    steps = on_story_page(steps_for(configuration, story), story)
    if page := story_start(story, preconditions, steps):
        preconditions.insert(len(preconditions) - len(configuration.preconditions) -
                             len(configuration.settings), page)
    return TestCase(
        case_id=case_id, title=title(configuration), objective=objective(configuration),
        kind=configuration.kind, priority=priority,
        preconditions=list(dict.fromkeys(preconditions)),
        steps=steps, story_key=story.key,
        criterion_ids=traced_ids(story, configuration.criterion_id), rule_ids=rule_ids,
        labels=["casewright", "agent", configuration.technique.replace(" ", "-")])
