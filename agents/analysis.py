"""Criterion analysis: an acceptance criterion as a typed `Behaviour`.

Given/When/Then criteria map across (Given: preconditions, When: actions, Then: effects).
Plain sentences are split at their connectives (if, when, while, once, unless, only if) into
conditions and effects; clauses joined by and/or become separate conditions or effects (the
dependency parse tells joined clauses from joined nouns); the parse finds who acts and turns
it into an instruction. Limits, roles, repeat rules, data formats and vague words are read
from the wording. Every part is a span of the criterion (rule ids dropped), or that span
turned by `language`'s operations, so a case built on it says nothing the criterion does not.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from casewright.agents.behaviour import Ambiguity, Behaviour, Condition, Connective, Effect
from casewright.agents.cause_effect import continued, grouped
from casewright.agents.language import (
    attempted,
    imperative,
    inflect,
    is_person,
    negate,
    parse,
    parse_instruction,
    passive_result,
    persona_parse,
    pipeline,
    plural,
)
from casewright.agents.lexicon import words
from casewright.agents.quantities import find_limits
from casewright.models import AcceptanceCriterion
from casewright.tools.criteria import RULE_ID_FORM

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_RULE_REFS = re.compile(rf"\s*\((?:see\s+)?(?:{RULE_ID_FORM}(?:,\s*|\s+and\s+)?)+\)|"
                        rf",?\s*\b(?:in line with|as per|per|see|under)\s+{RULE_ID_FORM}\b|"
                        rf"\b{RULE_ID_FORM}\b")
_CONNECTIVES = (r"only if|only when|if|when|whenever|while|once|unless|as long as|"
                r"provided that|provided")
_LEADING = re.compile(rf"^(?P<con>{_CONNECTIVES})\s+(?P<cond>.+?)(?:,\s*(?:then\s+)?|\s+then\s+)"
                      r"(?P<rest>.+)$", re.IGNORECASE)
_LEADING_BARE = re.compile(rf"^(?P<con>{_CONNECTIVES})\s+(?P<body>.+)$", re.IGNORECASE)
_TRAILING = re.compile(rf"^(?P<rest>.+?),?\s+(?P<only>only\s+)?(?P<con>{_CONNECTIVES})"
                       r"(?<!once(?= when| if| after))\s+"  # "notified once when ...": one time
                       r"(?P<cond>.+)$", re.IGNORECASE)
_OTHERWISE = re.compile(r"^(otherwise|if not|else)\b[,\s]*", re.IGNORECASE)
_OTHERWISE_PHRASE = re.compile(r"\s*\b(below|above|under|over|outside|beyond) (that|this|it|"
                               r"them)\b", re.IGNORECASE)
_GERUND_IT = re.compile(r"^(?:when\s+)?(?P<doing>[a-z]+ing\b[^,]+),\s*(?:it|this|the system)\s+"
                        r"(?P<verb>[a-z]+s)\s+(?P<what>.+)$", re.IGNORECASE)
_IT_DOES = re.compile(r"^(?:it|this|the system)\s+(?P<verb>[a-z]+s)\s+(?P<what>.+)$",
                      re.IGNORECASE)
_DOING = re.compile(r"^(?P<who>(?:an?|the)\s+[a-z]+)\s+(?P<doing>[a-z]+ing\b.+?)\s+"
                    r"(?P<outcome>(?:gets|receives|sees|is shown|is told|is taken to)\b.*)$",
                    re.IGNORECASE)
_TIMED = re.compile(r"^(?P<rest>.+?),?\s+(?P<con>before|after|upon|on)\s+(?P<cond>[a-z]+ing\b.*)$",
                    re.IGNORECASE)
_TRIGGER = re.compile(r"^(?:on|upon|after)\s+(?P<verb>[a-z]+)\b,?\s+", re.IGNORECASE)
_REPEAT = re.compile(r"\b(first time|second|again|more than once|subsequent\w*|only once|"
                     r"once (?:per|every|in|an? (?:day|week|month|year))\b|"
                     r"per (?:account|customer|user|day|week|month|year)|in a rolling)\b",
                     re.IGNORECASE)
_DEMAND_BEFORE = re.compile(r"^(?P<who>.+?)\s+(?:must|has to|have to|needs to)\s+(?P<first>.+?)\s+"
                            r"before\s+(?:it|they|this)\s+(?:can|may)\s+be\s+(?P<done>\w+)$",
                            re.IGNORECASE)
_EXAMPLES = re.compile(r"\s*\((?P<list>[^()]*,[^()]*)\)")
_REQUIREMENT = re.compile(r"^(?:every|each|all|any|a|an|the)?\s*(?P<noun>[\w &-]+?)\s+"
                          r"(?:needs|need|requires|require|must have|must include)\s+"
                          r"(?P<what>.+)$", re.IGNORECASE)
_BEFORE = re.compile(r"^(?P<who>.+?)\s+(?:must|has to|have to|needs to)\s+(?P<first>.+?)\s+"
                     r"before\s+(?P<then>\w+ing)\b(?P<object>[^:]*)(?::\s*(?P<detail>.*))?$",
                     re.IGNORECASE)
_NOT_ALLOWED = re.compile(r"^(?P<what>.+?)\s+(?:are|is)\s+not\s+(?:allowed|accepted|permitted)"
                          r"$", re.IGNORECASE)
_SHOWN = re.compile(r"\b(shows?|lists?|displays?)\b", re.IGNORECASE)
_EXISTENCE = re.compile(r"\b(?:there (?:is|are)|none|no \w+|exists?)\b")
EXAMPLE_COUNT = 3
"""How many things a total counts in test data: more than one, so plurals and sums show."""
_TOTAL = re.compile(r"\b(?P<lead>(?:a|the) (?:total|count|number) of) (?P<what>[a-z][^,.;]*?)"
                    r"(?=\s+and\s|[,.;]|$)")
_ONTO = frozenset({"to", "on", "onto", "into", "from"})
_AS_SIGNED_OUT = re.compile(r"\s*\bas an? (?:logged|signed)[- ]out (?:user|visitor|person)\b",
                            re.IGNORECASE)
_SIGNED_OUT = re.compile(r"\b(?:not (?:logged|signed) in|(?:logged|signed) out|without "
                         r"(?:logging|signing) in)\b", re.IGNORECASE)
_SEARCH = re.compile(r"^Search (?P<by>for|by) (?P<what>[\w\s-]+?)(?: by .+| from .+)?$")
_SEARCH_USING = re.compile(r"^Search for (?P<what>[\w\s-]+?) (?:using|with|in) .+$")
_STOP_START = re.compile(r"^(?P<how>stop|start|begin)\s+(?P<doing>[a-z]+ing)\s+(?P<rest>.+)$",
                         re.IGNORECASE)
_NAVIGATE = re.compile(r"^(?:Navigate|Go) to (?:the )?(?P<where>.+)$")
_SEES = re.compile(r"^(?P<who>.+?)\s+(?:can |should |must |will )?(?:see|know|tell|be told)s?\s+"
                   r"(?:when|whether|if|that)\s+(?P<what>.+)$", re.IGNORECASE)
_EACH = re.compile(r"\b(?:each|every|all)\s+(?P<noun>(?:[a-z-]+\s){0,3}?[a-z-]+?)(?=\s+(?:with|"
                   r"that|which|on|in|for|and)\b|\s*,|\s*$)", re.IGNORECASE)
_ONLY_ROLE = re.compile(r"\bonly\s+(?:an?\s+|the\s+)?(?P<role>[A-Za-z][A-Za-z &-]{2,60}?)\s+"
                        r"(?:can|may|is allowed|are allowed|is able|are able|has access)\b",
                        re.IGNORECASE)
_VALIDATES = re.compile(r"\b(valid|invalid|format\w*|must be|checked)\b", re.IGNORECASE)
_NOT_COMPLEMENTS = frozenset({"nsubj", "nsubjpass", "aux", "auxpass", "neg", "cc", "conj",
                              "punct", "advmod", "mark"})
_FINITE_TAGS = frozenset({"MD", "VBZ", "VBP", "VBD"})
_ATTEMPT = re.compile(r"^(?P<who>.+?)\s+(?:tries|try|tried|attempts|attempt|attempted)\s+to\s+"
                      r"(?P<act>.+)$", re.IGNORECASE)
INVALID_DATA = re.compile(r"\b(?:(?:an? )?(?:invalid|incorrect|malformed|wrong)|(?P<none>with no))"
                          r"\s+(?P<what>e-?mail address|phone number|date of birth|sort code|"
                          r"[a-z]+(?: code| number| address| name)?)\b"
                          r"(?:\s+(?-i:(?P<value>(?=\S*\d)[A-Z0-9]+(?: [A-Z0-9]+)?)))?",
                          re.IGNORECASE)
"""Data an act names as invalid or missing ('with invalid postcode SW14 9RQ', 'with no
reason code'): its kind, and the value when the criterion gives one."""
_ONCE_ONLY = re.compile(r"\b(?:cannot|can[’']t|can not)\b.*\b(?:twice|again|more than once)\b",
                        re.IGNORECASE)
_PRONOUN = re.compile(r"^(he|she|they|i|we)\b", re.IGNORECASE)


_ASIDE = re.compile(r"\s*\((?:needed|required|because|so that|for|see|e\.g\.|i\.e\.|note)\b"
                    r"[^()]*\)", re.IGNORECASE)


def clean(text: str) -> str:
    """Return a criterion's text without rule references, asides or a final stop.

    An aside in brackets that gives a reason or a reference ("(needed for fraud
    investigations, see Fraud team request FR-118)") is no part of the behaviour.
    """
    text = _RULE_REFS.sub("", text)
    text = _ASIDE.sub("", text)
    for sign, said in ((">=", "at least "), ("<=", "at most "), (">", "more than "),
                        ("<", "fewer than ")):  # "when >5 notifications"
        text = re.sub(rf"(?<![\w>]){re.escape(sign)}\s*(?=\d)", said, text)
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"\s+", " ", text).strip(" .;")
    return text.replace(" ,", ",")


def _subject_phrase(clause: str) -> str | None:
    doc = parse(clause)
    subject = next((t for t in doc if t.dep_ in {"nsubj", "nsubjpass"}), None)
    return doc[subject.left_edge.i:subject.i + 1].text if subject is not None else None


def split_clauses(text: str) -> tuple[list[str], Literal["and", "or"]]:
    """Split a text where and/or/but join clauses; return the clauses and the joiner.

    "the customer has made 2 payments and isn't on a plan" gives two clauses, the second
    with the first's subject; "the amount, the date and the bill" stays whole: the parse
    joins nouns there, not verbs.
    """
    doc = parse(text)
    cuts: list[tuple[int, int, str | None]] = []  # (start char, next clause start, subject)
    joiner: Literal["and", "or"] = "and"
    for token in doc:
        if token.dep_ != "cc" or token.lower_ not in {"and", "or", "but"}:
            continue
        head = token.head
        conj = next((t for t in head.children if t.dep_ == "conj" and t.i > token.i), None)
        if head.pos_ not in {"VERB", "AUX"} and _opens_clause(doc, token.i):
            cuts.append((_cut_start(doc, token), token.idx + len(token.text), None))
            continue
        if conj is None or head.pos_ not in {"VERB", "AUX"} or conj.pos_ not in {"VERB", "AUX"}:
            continue
        own = any(t.dep_ in {"nsubj", "nsubjpass", "expl"} for t in conj.children)
        complete = any(t.dep_ not in _NOT_COMPLEMENTS and t.i < token.i for t in head.children)
        if not (own or complete or head.tag_ == "VBN"):
            continue  # "close or cancel a case": two verbs sharing one object
        subject = _governing_subject(head)
        carried = None if own or subject is None else \
            doc[subject.left_edge.i:subject.i + 1].text
        cuts.append((_cut_start(doc, token), token.idx + len(token.text), carried))
        joiner = "or" if token.lower_ == "or" else joiner
    clauses, begin, carried_before = [], 0, None
    for start, after, carried in cuts:
        piece = text[begin:start].strip(" ,")
        clauses.append(f"{carried_before} {piece}" if carried_before else piece)
        begin, carried_before = after, carried
    last = text[begin:].strip(" ,")
    clauses.append(f"{carried_before} {last}" if carried_before else last)
    return [c for c in clauses if c], joiner


def _governing_subject(verb: Token) -> Token | None:
    """Return the subject of a verb, or of the verb it hangs from ('reminds X not to promise')."""
    while True:
        subject = next((t for t in verb.children if t.dep_ in {"nsubj", "nsubjpass"}), None)
        if subject is not None or verb.head.i == verb.i:
            return subject
        verb = verb.head


def _cut_start(doc: Doc, token: Token) -> int:
    return doc[token.i - 1].idx if token.i and doc[token.i - 1].text == "," else token.idx


def _opens_clause(doc: Doc, index: int) -> bool:
    """Whether the words after a conjunction the parser joined to a noun are a clause.

    "... queue and a 30 day collections hold is put on the account": a noun phrase (no
    pronoun, no verb) then a finite verb. The small parser joins such clauses to nouns.
    """
    rest = doc[index + 1:]
    finite = next((t for t in rest if t.tag_ in _FINITE_TAGS and t.pos_ in {"AUX", "VERB"}),
                  None)
    if finite is None or finite.i == index + 1:
        return False
    phrase = doc[index + 1:finite.i]
    said = any(t.pos_ in {"VERB", "AUX"} for t in doc[:index])
    return said and phrase[0].pos_ in {"DET", "NUM", "ADV"} and all(
        t.pos_ in {"DET", "NUM", "NOUN", "PROPN", "ADJ", "VERB", "ADP", "ADV"} for t in phrase) \
        and any(t.pos_ in {"NOUN", "PROPN"} for t in phrase)


def _connective(word: str) -> Connective:
    word = word.lower()
    if word in {"only if", "only when", "as long as", "provided that", "provided"}:
        return "only if"
    return "when" if word == "whenever" else word  # type: ignore[return-value]


def _split_sentence(sentence: str) -> tuple[str, str | None, str | None]:
    """Return (main clause, condition clause, connective) of one sentence."""
    if match := _LEADING.match(sentence):
        condition, main = _split_without_comma(match["cond"])
        if main:
            return f"{main}, {match['rest']}", condition, match["con"]
        return match["rest"], match["cond"], match["con"]
    if match := _LEADING_BARE.match(sentence):
        condition, main = _split_without_comma(match["body"])
        if main:
            return main, condition, match["con"]
    if match := _TRAILING.match(sentence):
        connective = ("only " + match["con"]) if match["only"] else match["con"]
        return match["rest"], match["cond"], connective
    if (match := _TIMED.match(sentence)) and not _BEFORE.match(sentence) and (
            match["con"].lower() != "before" or any(t.dep_ == "dobj"
                                                    for t in parse(match["cond"]))):
        # "Charlie is emailed ... before passing the threshold"; "before publishing" names
        # no state to set up, so it stays part of the act
        return match["rest"], match["cond"], match["con"]
    return sentence, None, None


def _split_without_comma(body: str) -> tuple[str, str]:
    """Find where the main clause starts in 'If X Y' written without a comma.

    The main clause starts at a noun phrase followed by a finite verb or modal, that is not
    the condition's own subject and does not follow and/or or a preposition.
    """
    doc = parse(body)
    for chunk in doc.noun_chunks:
        if chunk.start < 2 or doc[chunk.start - 1].lower_ in {"and", "or", "but", ",", "than",
                                                               "of", "in", "on", "to", "with"}:
            continue
        after = doc[chunk.end] if chunk.end < len(doc) else None
        before = doc[chunk.start - 1]
        if after is not None and (after.tag_ == "MD" and chunk[0].pos_ == "DET" or (
                after.tag_ in {"VBZ", "VBP", "VBD"} and
                before.pos_ in {"NOUN", "PROPN", "NUM", "ADJ", "ADV", "PART"})):
            return doc[:chunk.start].text, doc[chunk.start:].text
    return body, ""


def _vague(text: str, subject: str) -> list[Ambiguity]:
    found = dict.fromkeys(match.lower() for match in words().vague().findall(text))
    return [Ambiguity(word=word, question=f"What does '{word}' mean for {subject}: what "
                      "measurable result (a time, a count, a message) should the test check?")
            for word in found]


def _person_subject(clause: str) -> str | None:
    doc = persona_parse(clause)
    subject = next((t for t in doc if t.dep_ == "nsubj"), None)
    if subject is None or not is_person(subject):
        return None
    return parse(clause)[subject.left_edge.i:subject.i + 1].text if doc.text != clause \
        else doc[subject.left_edge.i:subject.i + 1].text


def analyse(criterion: AcceptanceCriterion) -> list[Behaviour]:
    """Return the behaviours a criterion describes: one per rule it states.

    A sentence that says what happens otherwise, or the second time, belongs to the rule
    before it; any other sentence (or part after a semicolon) is a rule of its own. A "When"
    with no "Then" ("When searching for X, it returns Y") is read as the sentence it is.
    """
    if criterion.is_gherkin and criterion.then:
        behaviours = [_from_gherkin(criterion)]
    else:
        behaviours = []
        text = clean(criterion.text)
        sentences: list[str] = []
        for part in text.split(";"):
            for said in pipeline()(part.strip()).sents:
                if sentences and sentences[-1].endswith((">", "›", "/")):
                    sentences[-1] += f" {said.text.strip(' .;')}"  # "via Actions > Data ..."
                elif said.text.strip(" .;"):
                    sentences.append(said.text.strip(" .;"))
        for sentence in sentences:
            current = behaviours[-1] if behaviours else None
            if current is not None and current.effects and (
                    _OTHERWISE.match(sentence) or _REPEAT.search(sentence)):
                current.otherwise.append(Effect(text=_OTHERWISE.sub("", sentence)))
                continue
            behaviour = Behaviour(criterion_id=criterion.criterion_id)
            sentence = _implied_subject(sentence)
            _read_sentence(sentence, behaviour)
            behaviours.append(_finished(behaviour, sentence))
            behaviours += _demands(behaviour)
    if not behaviours:
        behaviours = [Behaviour(criterion_id=criterion.criterion_id)]
    text = clean(criterion.text)
    subject = next((b.effects[0].text for b in behaviours if b.effects), criterion.criterion_id)
    behaviours[0].ambiguities[:0] = _vague(text, f"{criterion.criterion_id} "
                                           f"('{_short(subject)}')")
    vague = words().vague()
    for behaviour in behaviours:
        vague_only = behaviour.effects and all(vague.search(e.text) for e in behaviour.effects) \
            or any(vague.fullmatch(c.text.strip()) for c in behaviour.conditions)  # "if apt"
        if behaviour.unparsed and behaviour.effects:  # "Laura wants to sign ...": no outcome
            behaviour.ambiguities.append(Ambiguity(word=text, question=(
                f"{criterion.criterion_id} ('{_short(text)}') {behaviour.unparsed[3:]}: what "
                "should the user see?")))
        elif not behaviour.effects or vague_only:
            behaviour.unparsed = "no observable outcome: the criterion does not say what the " \
                "tester should see"
        elif behaviour.actions and not behaviour.prohibited and all(
                _own_act(e.text) for e in behaviour.effects) or \
                behaviour.actions and len(behaviour.effects) == 1 and not behaviour.prohibited \
                and (_names_an_act(behaviour.effects[0].text) or (
                    not behaviour.conditions and _bare_result(behaviour) and
                    parse(behaviour.actions[0])[0].lemma_.lower() in words().ui_acts)):
            behaviour.unparsed = "it says what to do but not what should happen"
            behaviour.ambiguities.append(Ambiguity(word=text, question=(
                f"{criterion.criterion_id} ('{_short(text)}') says what to do but not what "
                "should happen then: what should the user see?")))
        elif not behaviour.actions and all(
                _states_nothing(e.text) and (not behaviour.conditions or not any(
                    t.pos_ in {"VERB", "AUX"} for t in parse(e.text)))
                for e in behaviour.effects):  # "A moderator user show page if ...": no verb
            behaviour.unparsed = "it names a situation, not a behaviour"
            behaviour.ambiguities.append(Ambiguity(word=text, question=(
                f"{criterion.criterion_id} ('{_short(text)}') names a situation but no "
                "behaviour: what should the user do, and what should they see?")))
    return behaviours


def _demands(behaviour: Behaviour) -> list[Behaviour]:
    """Split off 'and must tick the consent box before it can be saved' as a rule of its own.

    What "it" is comes from the act before it ("add a register entry": the register entry);
    the rule is tested by saving with the box ticked (saved) and not ticked (not saved).
    """
    split = []
    for effect in list(behaviour.effects):
        found = _DEMAND_BEFORE.match(effect.text)
        done = passive_result(imperative(f"{found['who']} {found['first']}") or "") \
            if found else None
        if found is None or done is None:
            continue
        behaviour.effects.remove(effect)
        lead = behaviour.effects[0].text if behaviour.effects else ""
        thing = re.split(r" (?:is|are) ", lead, maxsplit=1)[0].lower() if \
            behaviour.effects and behaviour.effects[0].derived else "it"
        verb = parse(f"it is {found['done']}")[2].lemma_
        result = f"{thing[:1].upper()}{thing[1:]} is {found['done']}"
        split.append(Behaviour(
            criterion_id=behaviour.criterion_id, actor=found["who"],
            actions=[*behaviour.actions[:1], f"Try to {verb} {thing}"],
            preconditions=list(behaviour.preconditions),
            conditions=[Condition(text=done, connective="only if")], exclusive=True,
            effects=[Effect(text=result)],
            otherwise=[Effect(text=f"{negate(result)} until {done[:1].lower()}{done[1:]}")]))
    return split


def _implied_subject(sentence: str) -> str:
    """Give a title with no subject its user: 'can post a message' -> 'The user can post ...'.

    Teams title scenarios by what the user does, leaving out who ("sends an invitation from
    the sidebar"); an instruction ("Reset my password") is left as it is.
    """
    doc = parse(sentence)
    if not doc or any(t.dep_ in {"nsubj", "nsubjpass", "expl", "csubj"} for t in doc):
        return sentence
    lowered = f"{sentence[:1].lower()}{sentence[1:]}"
    said = parse(f"The user {lowered}")
    if doc[0].tag_ == "MD" and doc[1:2].text.lower() not in {"be", "not", ""} or (
            doc[0].lower_.endswith("s") and said[2].tag_ == "VBZ" and said[2].dep_ == "ROOT"):
        return f"The user {lowered}"
    return sentence


def _names_an_act(text: str) -> bool:
    """Whether a clause only names an act ('Accessing admin'), with no finite verb."""
    doc = parse(text)
    return doc[0].tag_ == "VBG" and not any(t.tag_ in _FINITE_TAGS for t in doc)


def _own_act(text: str) -> bool:
    """Whether a clause is something a person does ('Laura changes it'), not an outcome."""
    doc = parse(text)
    subject = next((t for t in doc if t.dep_ == "nsubj" and t.head.dep_ == "ROOT"), None)
    if subject is None or not is_person(subject) or subject.head.tag_ not in {"VBZ", "VBP"}:
        return False
    verb = subject.head
    made = verb.lemma_ == "get" and any(t.pos_ in {"ADJ", "ADV"} and t.i > verb.i + 1
                                        for t in verb.children)  # "gets her email wrong"
    return (made or verb.lemma_ not in words().receive_verbs | {"be", "have"}) and \
        imperative(text) is not None


def _bare_result(behaviour: Behaviour) -> bool:
    """Whether the only outcome is the action itself, done ('The link is clicked')."""
    result = passive_result(behaviour.actions[0])
    return result is None or behaviour.effects[0].text == result


def _states_nothing(text: str) -> bool:
    """Whether a clause names no behaviour.

    It has no verb, only says that something exists ('There are X'), or only what someone
    is ('Laura is the 21st sponsor').
    """
    doc = parse(text)
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    return not any(t.pos_ in {"VERB", "AUX"} for t in doc) or (
        doc[0].lower_ == "there" and doc[1:2].text.lower() in {"is", "are", "was", "were"}) or (
        root is not None and root.lemma_ == "be" and any(
            t.dep_ == "nsubj" and is_person(t) for t in root.children))


def _read_sentence(sentence: str, behaviour: Behaviour) -> None:
    if match := _SEES.match(sentence):  # "I can see when there are petitions ..."
        what = match["what"]
        behaviour.conditions.append(Condition(text=what, connective="when"))
        behaviour.effects.append(Effect(text=f"The screen shows that {what}"))
        behaviour.exclusive = True
        return
    main, condition, connective = _split_sentence(sentence)
    main, condition = continued(main, condition)
    main = re.sub(r"^(the system|system)\s+(shall|should|must|will)\s+", "", main, flags=re.I)
    if ", only " in main:
        main, other = main.split(", only ", 1)
        behaviour.allowed_roles.append(re.sub(r"\s+(can|may)$", "", other).strip())
    trigger = _TRIGGER.match(main)
    if trigger and parse(f"they {trigger['verb']}")[1].pos_ == "VERB":
        main = main[trigger.end():]
        subject = _subject_phrase(main)
        verb = parse(trigger["verb"])[0].lemma_
        behaviour.actions.append(f"{verb.capitalize()} {subject.lower() if subject else ''}"
                                 .strip())
    if not condition and _rule_sentence(main, behaviour):
        return
    effects, _ = split_clauses(main)
    if condition and parse(condition)[0].tag_ == "VBG":
        # "when viewing a debated petition", "while sponsoring": what the actor is doing;
        # "... and a message has been enabled" after it is a condition again
        doing, *rest = split_clauses(condition)[0]
        done = parse(doing)
        act = f"{done[0].lemma_.capitalize()}{done[0].whitespace_}{done[1:].text}".strip()
        timed = (connective or "").lower()
        if timed == "before" and (result := passive_result(act)):
            # "before passing the threshold": a state to vary, not an act
            behaviour.conditions.append(Condition(text=negate(result), connective="before"))
        elif timed in {"after", "upon", "on"} and (done_first := imperative(main)) and \
                parse(done_first)[0].lemma_.lower() not in words().receive_verbs:
            # "Suzie signs a petition after validating her email": done first, then the act
            behaviour.preconditions.append(passive_result(act) or f"{act} is done")
        else:
            behaviour.actions.append(act)
        condition = " and ".join(rest) or None
    if condition:
        clauses, joiner = split_clauses(condition)
        clauses = _keep_otherwise(clauses, effects, behaviour)
        kind = _connective(connective or "if")
        clauses, behaviour.cause = grouped(condition, clauses, len(behaviour.conditions),
                                           negated=kind == "unless")
        behaviour.combination = joiner
        behaviour.exclusive = behaviour.exclusive or kind in {"only if", "unless"}
        for clause in clauses:
            clause = negate(clause) if kind == "unless" else clause
            behaviour.conditions.append(Condition(
                text=clause, connective=kind, quantity=next(iter(find_limits(clause)), None)))
    for effect in _keep_otherwise(effects, effects, behaviour):
        if (it := _IT_DOES.match(effect)) and behaviour.actions:  # "..., it returns all Y"
            effect = _what_it_does(it["verb"], it["what"])
        if re.search(r"\bonly\b", effect) and condition:
            behaviour.exclusive = True
            effect = re.sub(r"\s*\bonly\b", "", effect).strip()
        always = bool(re.search(r"\b(still|also|even)\b", effect))
        behaviour.effects.append(Effect(text=effect, always=always))


def _rule_sentence(main: str, behaviour: Behaviour) -> bool:
    """Read the rule shapes that hide their condition; return whether one matched.

    "X must A before B-ing": doing B succeeds only once A is done. "Every X needs Y": an X
    is accepted only with Y. "X under £10 are not allowed": the limit is the condition.
    """
    if match := _BEFORE.match(main):
        first = imperative(f"{match['who']} {match['first']}")
        done = (passive_result(first) or f"The step '{first[:1].lower()}{first[1:]}' is done") \
            if first else None
        if done:
            detail = f": {match['detail']}" if match["detail"] else ""
            verb = parse(f"they are {match['then']}")[2].lemma_
            behaviour.actor = _person_subject(f"{match['who']} {match['first']}")
            behaviour.conditions.append(Condition(text=f"{done}{detail}", connective="before"))
            behaviour.actions.append(f"Try to {verb}{match['object'].rstrip()}")
            doing = inflect(verb, "VBG").capitalize()
            behaviour.effects.append(Effect(text=f"{doing} goes ahead"))
            behaviour.otherwise.append(Effect(text=f"{doing} is refused until "
                                              f"{done[:1].lower()}{done[1:]}"))
            behaviour.exclusive = True
            return True
    examples = _EXAMPLES.search(main)  # "Temporary need codes (bereavement, ...)"
    clauses, _ = split_clauses(_EXAMPLES.sub("", main) if examples else main)
    if required := _requirement(clauses[0]):
        noun, what = required
        doc = parse(noun)
        rest = [c if parse(c)[0].pos_ not in {"AUX", "VERB"} else f"{noun} {c}"
                for c in clauses[1:]]
        if doc[0].tag_ == "VBG":  # "Removing an entry needs a reason"
            action = f"{doc[0].lemma_.capitalize()} {doc[1:].text}".strip()
            done = passive_result(action) or f"{noun} is done"
            behaviour.conditions.append(Condition(text=f"{what} is given",
                                                  connective="only if"))
            behaviour.actions.append(action)
            behaviour.effects += [Effect(text=done), *(Effect(text=c) for c in rest)]
            behaviour.otherwise.append(Effect(text=negate(done)))
            behaviour.exclusive = True
            return True
        if doc[-1].pos_ in {"NOUN", "PROPN"}:
            noun = _singular(noun)
            behaviour.conditions.append(Condition(
                text=f"the {noun} has {what}", connective="only if",
                quantity=next(iter(find_limits(what)), None)))
            example = f" ({examples['list'].split(',')[0].strip()})" if examples else ""
            behaviour.actions.append(f"Submit the {noun}{example}")
            behaviour.effects.append(Effect(text=f"The {noun} is accepted"))
            behaviour.effects += [Effect(text=c) for c in rest]
            behaviour.otherwise.append(Effect(text=f"The {noun} is refused"))
            behaviour.exclusive = True
            return True
    if (match := _NOT_ALLOWED.match(main)) and (limits := find_limits(match["what"])):
        behaviour.conditions.append(Condition(text=match["what"], connective="if",
                                              quantity=limits[0]))
        behaviour.effects.append(Effect(text="The value is not allowed"))
        behaviour.otherwise.append(Effect(text="The value is allowed"))
        behaviour.prohibited = behaviour.exclusive = True
        return True
    return False


def _requirement(clause: str) -> tuple[str, str] | None:
    """Return what needs something and what it needs: 'Every bill needs a due date'.

    The parse finds the subject where the words before 'need' hold 'need' themselves
    ("Temporary need codes need an end date ..."); a gerund subject is read as written.
    """
    match = _REQUIREMENT.match(clause)
    if match is None:
        return None
    noun = match["noun"].strip()
    doc = parse(noun)
    if doc[0].tag_ == "VBG" or doc[-1].pos_ in {"NOUN", "PROPN"}:
        return noun, match["what"]
    whole = parse(clause)
    root = whole[:].root
    subject = next((t for t in root.children if t.dep_ == "nsubj"), None)
    if root.lemma_ not in {"need", "require"} or subject is None:
        return None
    start = subject.left_edge.i + (whole[subject.left_edge.i].dep_ == "det")
    return whole[start:subject.i + 1].text, whole[root.i + 1:].text


def _singular(noun: str) -> str:
    """Return a noun phrase with its head in the singular: 'Temporary need codes' -> '... code'."""
    doc = parse(noun)
    head = doc[-1]
    word = head.lemma_ if head.tag_ in {"NNS", "NNPS"} else head.text
    text = f"{doc[:-1].text_with_ws}{word}"
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _keep_otherwise(clauses: list[str], effects: list[str], behaviour: Behaviour) -> list[str]:
    """Move clauses that state the other branch ('is not offered below that') to otherwise."""
    kept = []
    for clause in clauses:
        if _OTHERWISE_PHRASE.search(clause) and effects:
            subject = _subject_phrase(effects[0]) or ""
            rest = _OTHERWISE_PHRASE.sub("", clause).strip()
            own = _subject_phrase(rest)
            if own and rest.startswith(own) and own != subject:
                rest = rest[len(own):].strip()
            if subject and not rest.lower().startswith(subject.lower()):
                rest = f"{subject} {rest}"
            behaviour.otherwise.append(Effect(text=rest))
            behaviour.exclusive = True
        else:
            kept.append(clause)
    return kept


def instruction(clause: str) -> str:
    """Return what the tester does to make a When clause happen.

    A person's act becomes an instruction ("the agent clicks X" -> "Click X"); a passive
    event its active form ("the payment is declined" -> "Decline the payment"); anything
    else is waited for ("Wait until the payment screen is still open").
    """
    if action := imperative(clause):
        return action
    if passive := re.match(r"^(?P<subj>.+?)\s+(?:(?:is|are|gets|get)\s+)?(?P<verb>\w+ed)\b"
                           r"(?P<rest>.*)$", clause):
        verb = parse(f"they {passive['verb']}")[1].lemma_
        subject = passive["subj"]
        return f"{verb.capitalize()} {subject[:1].lower()}{subject[1:]}{passive['rest']}"
    return f"Wait {'while' if ' still ' in f' {clause} ' else 'until'} {clause}"


def _from_gherkin(criterion: AcceptanceCriterion) -> Behaviour:
    behaviour = Behaviour(criterion_id=criterion.criterion_id)
    for given in (clean(c) for c in criterion.given):
        for clause in split_clauses(given)[0]:
            limits = find_limits(clause)
            if limits:
                behaviour.conditions.append(Condition(text=clause, connective="given",
                                                      quantity=limits[0]))
            else:
                behaviour.preconditions.append(clause)
    for when in (clean(c) for c in criterion.when):
        clauses, joiner = split_clauses(when)
        behaviour.actor = behaviour.actor or _person_subject(clauses[0])
        if joiner == "or" and len(clauses) > 1:
            behaviour.alternatives = [instruction(clause) for clause in clauses]
            behaviour.actions.append(behaviour.alternatives[0])
        else:
            behaviour.actions += [instruction(clause) for clause in clauses]
    behaviour.effects = [Effect(text=clause) for then in criterion.then
                         for clause in split_clauses(clean(then))[0]]
    return _finished(behaviour, clean(criterion.text))


def _what_it_does(verb: str, what: str) -> str:
    """Return 'it returns all Y' as what the tester sees: 'All Y are returned'."""
    said = parse(what)
    first = next((t for t in said if t.pos_ in {"NOUN", "PROPN"}), None)
    several = first is not None and first.tag_ in {"NNS", "NNPS"}
    outcome = f"{what} {'are' if several else 'is'} " \
        f"{inflect(parse(f'it {verb}')[1].lemma_, 'VBN')}"
    return outcome[:1].upper() + outcome[1:]


def _gerund_subject(behaviour: Behaviour) -> bool:
    """Read 'Saving the form creates a case in the queue': save the form, a case is created.

    The act is the gerund that is the sentence's subject; what it does to its object is the
    outcome, put in the passive with the rest of the sentence kept.
    """
    text = behaviour.effects[0].text
    if said := _GERUND_IT.match(text):  # "Searching for X, it returns all Y"
        doing = parse(said["doing"])
        behaviour.actions = [f"{doing[0].lemma_.capitalize()}{doing[0].whitespace_}"
                             f"{doing[1:].text}".strip()]
        behaviour.effects[0] = Effect(text=_what_it_does(said["verb"], said["what"]))
        return True
    doc = parse(text)
    verb = doc[0].head if doc and doc[0].tag_ == "VBG" and doc[0].dep_ == "csubj" else None
    target = next((t for t in verb.children if t.dep_ == "dobj"), None) if verb else None
    if verb is None or target is None or verb.tag_ not in {"VBZ", "VBP"}:
        return False
    act = doc[:verb.i].text
    thing = doc[target.left_edge.i:target.i + 1].text
    several = target.tag_ in {"NNS", "NNPS"}
    rest = doc[target.i + 1:].text
    behaviour.actions = [f"{doc[0].lemma_.capitalize()}{act[len(doc[0].text):]}".strip()]
    outcome = f"{thing} {'are' if several else 'is'} {inflect(verb.lemma_, 'VBN')} {rest}"
    behaviour.effects[0] = Effect(text=(outcome[:1].upper() + outcome[1:]).strip())
    return True


def _gerund_effect(behaviour: Behaviour) -> bool:
    """Turn a criterion named by its act ('Downloading the data', 'Search for X') into steps."""
    if _gerund_subject(behaviour):
        return True
    first = behaviour.effects[0].text
    if _person_subject(first) == first.split(" ", 1)[0]:
        return False  # "Suzie signs ...", which the parser reads as nouns
    refused = bool(re.match(r"^(not|never|cannot)\s+", first, re.IGNORECASE))
    doc = parse(re.sub(r"^(not|never|cannot)\s+", "", first, flags=re.IGNORECASE))
    lowered = parse(doc.text[:1].lower() + doc.text[1:]) if doc else doc
    if lowered and lowered[0].tag_ in {"VB", "VBP"} and lowered[0].dep_ == "ROOT" and not any(
            t.dep_ == "nsubj" for t in lowered):
        doc = parse(f"{inflect(lowered[0].lemma_, 'VBG')} {doc[1:].text}")  # an instruction
    elif lowered and lowered[0].tag_ == "NN" and len(lowered) > 1 and not any(
            t.tag_ in _FINITE_TAGS for t in lowered) and parse(
            f"they {lowered.text}")[1].tag_ == "VBP":  # "Search for X", tagged as a noun
        doc = parse(f"{inflect(parse(f'they {lowered[0].text}')[1].lemma_, 'VBG')} "
                    f"{doc[1:].text}")
    if not doc or doc[0].tag_ != "VBG":
        return False
    action = f"{doc[0].lemma_.capitalize()}{doc[0].whitespace_}{doc[1:].text}".strip()
    tried = re.match(r"^(?:Attempt|Try) to (?P<act>.+)$", action)
    result = outcome_of((tried["act"][:1].upper() + tried["act"][1:]) if tried else action)
    if not refused and (bad := INVALID_DATA.search(action)):
        behaviour.actions = [f"Try to {tried['act']}" if tried else action]
        _refused_data(behaviour, bad, result)  # "Attempt to reset password with invalid email"
        return True
    if tried:
        result = None  # what an attempt leads to is not said
    if result is None:  # "Accessing admin": what should happen is not said
        behaviour.actions = [action]
        behaviour.effects[0] = Effect(text=doc.text)
        return True
    behaviour.actions = [action]
    behaviour.effects[0] = Effect(text=negate(result) if refused else result,
                                  derived=not refused)
    behaviour.prohibited = refused
    return True


def outcome_of(action: str) -> str | None:
    """Return the result an action leaves: what a search or a view shows, else its passive."""
    if match := _SEARCH_USING.match(action) or _SEARCH.match(action):
        return f"Results matching the {match['what']} are shown" if \
            match.re is _SEARCH and match["by"] == "by" else f"Matching {plural(match['what'])} " \
            "are shown"
    if match := _NAVIGATE.match(action):
        return f"{match['where']} is shown"
    if match := _STOP_START.match(action):  # "Stop following a tag": it is no longer followed
        verb = parse(f"they are {match['doing']}")[2].lemma_
        done = passive_result(f"{verb.capitalize()} {match['rest']}")
        return done.replace(" is ", " is no longer ", 1).replace(" are ", " are no longer ", 1) \
            if done and match["how"].lower() == "stop" else done
    result = passive_result(action)
    verb = parse(action)[0].lemma_.lower() if action else ""
    if result and verb in words().view_verbs:
        result = re.sub(r" (is|are) \w+( as .*)?$", r" \1 shown\2", result)
    return result


def data_state(behaviour: Behaviour) -> None:
    """Move what a viewed thing must be into a precondition: the test data's state.

    "View a petition which will not be debated" becomes the precondition "There is a
    petition which will not be debated" and the action "View the petition"; "Search for
    rejected petitions" needs "There are rejected petitions" to find.
    """
    if len(behaviour.actions) != 1:
        return
    if found := _SEARCH_USING.match(behaviour.actions[0]) or _SEARCH.match(behaviour.actions[0]):
        what = found["what"]
        if found.re is _SEARCH_USING or found["by"] == "for":
            behaviour.preconditions.append(f"There are {plural(what)} to find")
        return
    doc = parse(behaviour.actions[0])
    target = next((t for t in doc if t.dep_ == "dobj" and t.head.i == 0), None)
    modifiers = [t for t in target.children if t.dep_ in {"relcl", "acl", "prep"}
                 and t.i > target.i] if target is not None else []
    if target is None or not modifiers or doc[0].lemma_.lower() not in words().view_verbs:
        return
    core = doc[target.left_edge.i:target.i + 1]
    named = [t.text for t in core if t.dep_ != "det"]
    several = target.tag_ in {"NNS", "NNPS"}
    article = "are" if several else "is an" if named[0][:1].lower() in "aeio" else "is a"
    behaviour.preconditions.append(f"There {article} {' '.join(named)} "
                                   f"{doc[modifiers[0].left_edge.i:target.right_edge.i + 1]}")
    behaviour.actions = [f"{doc[:target.left_edge.i].text} the {' '.join(named)}"]
    behaviour.effects[0] = Effect(text=f"The {' '.join(named)} {'are' if several else 'is'} "
                                       "shown")


def target_exists(behaviour: Behaviour, person: str | None = None) -> None:
    """Set up what the action views or acts on: 'View an archived petition' needs one.

    'Try to delete the creator's signature' needs 'The creator's signature exists', and 'Add
    tags to an open petition' needs 'There is an open petition'. Nothing
    is added where the set-up already names the thing, for a screen, or for a bare name.
    """
    if len(behaviour.actions) != 1:
        return
    action = attempted(behaviour.actions[0])
    doc = parse_instruction(action)
    verb = doc[1].lemma_.lower() if len(doc) > 1 else ""
    target = next((t for t in doc if t.dep_ == "dobj" and t.head.i == 1), None)
    phrasal = any(t.dep_ == "prt" for t in doc[1].children) if len(doc) > 1 else False
    if target is None or verb not in words().view_verbs | words().act_on_verbs and not phrasal:
        target = next((t for t in doc if t.dep_ == "pobj" and t.head.head.i == 1 and  # "add
                       t.head.lower_ in _ONTO and doc[t.left_edge.i].lower_ in {"a", "an"}),
                      None)  # tags to an open petition": the petition is there first
    if target is None or target.lemma_.lower() in words().ui_nouns or \
            target.pos_ not in {"NOUN", "PROPN"}:
        return
    said = " ".join([*behaviour.preconditions, *(c.text for c in behaviour.conditions)]).lower()
    if target.lemma_.lower() in said or target.text.lower() in said or _EXISTENCE.search(said):
        return  # the set-up already says what there is ("when there are none to anonymize")
    first = doc[target.left_edge.i]
    core = doc[target.left_edge.i:target.i + 1].text
    if any(t.dep_ == "poss" for t in target.children):  # "the creator's signature"
        owner = next(t for t in target.children if t.dep_ == "poss")
        if owner.lower_ in {"my", "your", "our"}:
            return  # the tester's own ("change my password"): there as they sign in
        if owner.tag_ == "PRP$" and person and not _PRONOUN.match(person):  # "her signature"
            core = f"{person}'s {doc[owner.i + 1:target.i + 1].text}"
        text = f"{core} exists"
    elif first.lower_ in {"a", "an"}:  # "an archived petition": then view the one set up
        clauses = [t for t in target.children if t.dep_ in {"relcl", "acl"} and t.i > target.i]
        text = f"There is {doc[target.left_edge.i:clauses[0].right_edge.i + 1].text}" if clauses \
            else f"There is {core}"  # "a petition that has been taken down"
        behaviour.actions = [re.sub(rf"\b{re.escape(first.text)} (?={re.escape(core[2:].strip())})",
                                    "the ", behaviour.actions[0], count=1)]
        if clauses:
            behaviour.actions = [behaviour.actions[0].replace(
                f" {doc[clauses[0].left_edge.i:clauses[0].right_edge.i + 1].text}", "", 1)]
    elif target.tag_ in {"NNS", "NNPS"} and first.dep_ != "det":  # "signatures by email"
        text = f"There are {core} to {verb}"
    elif target.tag_ == "NN" and first.dep_ == "amod":  # "sign closed petition"
        text = f"There is {'an' if core[:1].lower() in 'aeio' else 'a'} {core}"
        behaviour.actions = [behaviour.actions[0].replace(core, f"the {core}", 1)]
    else:
        return
    behaviour.preconditions.append(text[:1].upper() + text[1:])


def _first_to_act(behaviour: Behaviour) -> None:
    """Read 'First person sponsors a petition' as a state, not a role: nobody has yet."""
    found = re.match(r"^(?:the\s+)?first\s+(?P<who>[a-z]+)$", behaviour.actor or "",
                     re.IGNORECASE)
    if found is None or len(behaviour.actions) != 1:
        return
    doc = parse_instruction(behaviour.actions[0])
    if len(doc) < 3 or doc[1].pos_ != "VERB":
        return
    behaviour.actor = None
    behaviour.preconditions.append(f"No one has {inflect(doc[1].lemma_, 'VBN')} "
                                   f"{doc[2:].text} yet")


def _signed_out(behaviour: Behaviour) -> None:
    """Refuse an act done signed out when no outcome is stated: access control, by default.

    "Accessing the job admin when not logged in" -> signed out, try to access the job admin:
    it is not accessed (and, signed in, it is). A criterion that states an outcome keeps it.
    """
    if len(behaviour.actions) != 1 or behaviour.prohibited or len(behaviour.effects) != 1:
        return
    action, effect = behaviour.actions[0], behaviour.effects[0]
    out = _SIGNED_OUT.search(action)
    bare = re.sub(r"\s+", " ", _SIGNED_OUT.sub("", _AS_SIGNED_OUT.sub("", action))).strip()
    if not (out or any(_SIGNED_OUT.search(c.text) for c in behaviour.conditions)) or not (
            effect.derived or effect.text in {outcome_of(action), outcome_of(bare)}):
        return
    if re.search(r"\bpublic\b", action, re.IGNORECASE):  # what is public is there for anyone
        if out:  # "seeing public posts as a logged out user"
            behaviour.preconditions.append("The user is not signed in")
            behaviour.actions = [bare]
            behaviour.effects = [Effect(text=outcome_of(bare) or effect.text, derived=True)]
        return
    if out:  # "View the admin hub without signing in": the set-up, not the act
        behaviour.conditions.append(Condition(text="the user is not signed in",
                                              connective="when"))
        action = bare
    behaviour.effects = [Effect(text=negate(outcome_of(action) or effect.text))]
    behaviour.actions = [f"Try to {action[:1].lower()}{action[1:]}"]
    behaviour.prohibited = True


def _counted(behaviour: Behaviour) -> None:
    """Give a total something to count: 'a total of petitions needing moderation' shows 3."""
    for effect in behaviour.effects:
        found = _TOTAL.search(effect.text)
        if found and parse(found["what"])[0].tag_ in {"NNS", "NNPS"}:
            behaviour.preconditions.append(f"There are {EXAMPLE_COUNT} {found['what']}")
            effect.text = effect.text.replace(found[0], f"{found['lead']} {EXAMPLE_COUNT} "
                                              f"{found['what']}", 1)
            return


def _received(text: str) -> bool:
    """Whether a sentence says what a person gets or receives ('Suzie receives an email')."""
    doc = parse(text)
    subject = next((t for t in doc if t.dep_ == "nsubj" and t.head.dep_ == "ROOT"), None)
    return subject is not None and is_person(subject) and \
        subject.head.lemma_ in {"get", "receive"}


def _person_effect(behaviour: Behaviour) -> None:
    """Turn 'Agent can waive a fee' into an action and its result; note refusals."""
    if _gerund_effect(behaviour):
        return
    first = behaviour.effects[0].text
    doing = _DOING.match(first)
    if doing and doing["doing"].split()[0].lower() != "being" and _person_subject(first):
        # "A user doing a search for X gets an error"
        act = parse(doing["doing"])
        behaviour.actor = doing["who"]
        behaviour.actions = [f"{act[0].lemma_.capitalize()}{act[0].whitespace_}{act[1:].text}"]
        behaviour.effects[0] = Effect(text=f"{doing['who']} {doing['outcome']}")
        return
    actor = _person_subject(first)
    tried = re.search(r"\b(?:tries|try|attempts?) to (?P<act>.+)$", first)
    if actor is not None and tried and (bad := INVALID_DATA.search(tried["act"])):
        attempt = tried["act"]  # "Charlie tries to submit an invalid petition": refused
        behaviour.actor, behaviour.actions = actor, [f"Try to {attempt}"]
        _refused_data(behaviour, bad, outcome_of(attempt[:1].upper() + attempt[1:]))
        return
    if actor is not None and re.search(r"\b(tries|try|wants|want) to\b", first):
        behaviour.unparsed = "it says what is tried, not what should happen"
        return
    if actor is not None and (hidden := _not_seen(first)):  # "Moderators should not see X"
        behaviour.actor, behaviour.effects[0] = actor, Effect(text=hidden)
        return
    if actor is None or parse(first)[0:].root.lemma_ in words().receive_verbs:
        if passive := re.match(r"^(?P<subj>.+?)\s+(?P<can>can|may|cannot|can[’']t|can not)\s+"
                               r"(?:still\s+)?be\s+(?P<verb>\w+)(?P<rest>.*)$", first):
            doc = parse(passive["verb"])
            subject = passive["subj"]
            action = f"{doc[0].lemma_.capitalize()} {subject[:1].lower()}{subject[1:]}" \
                f"{passive['rest']}"
            if passive["can"] in {"can", "may"}:
                behaviour.actions.append(action)
            else:  # "The creator's signature can't be deleted": try, and it is not
                several = parse(subject)[:].root.tag_ in {"NNS", "NNPS"}
                behaviour.actions.append(f"Try to {action[:1].lower()}{action[1:]}")
                behaviour.prohibited = True
                behaviour.effects[0] = Effect(text=f"{subject} {'are' if several else 'is'} "
                                              f"not {passive['verb']}{passive['rest']}")
        return
    prohibited = bool(re.search(r"\b(cannot|can[’']t|can not|must not|mustn[’']t|may not|never|"
                                r"should not|shouldn[’']t)\b",
                                first, re.IGNORECASE))
    action = imperative(negate(first) if prohibited else first) or ""
    if not action:
        return
    if prohibited or len(action.split()) == 1:
        action = f"Try to {action[:1].lower()}{action[1:]}"  # "Laura cannot sign"
    behaviour.actor, behaviour.actions = actor, [action]
    behaviour.prohibited = prohibited
    plain = attempted(action)
    result = outcome_of(plain)
    if not prohibited and (bad := INVALID_DATA.search(plain)):
        _refused_data(behaviour, bad, result)
    elif result:  # the criterion is the act itself: what it leaves is what the tester checks
        behaviour.effects[0] = Effect(text=negate(result) if prohibited else result,
                                      derived=not prohibited)
        behaviour.prohibited = prohibited
        if prohibited and behaviour.allowed_roles:
            behaviour.refused_roles.append(actor)


def _not_seen(text: str) -> str | None:
    """Return 'X is not shown' for 'Y should not see X' (what a person must not see)."""
    doc = parse(text)
    root = doc[:].root
    thing = next((t for t in root.children if t.dep_ == "dobj"), None)
    if root.lemma_ != "see" or thing is None or not any(
            t.dep_ == "neg" for t in root.children):
        return None
    several = thing.tag_ in {"NNS", "NNPS"}
    said = doc[thing.left_edge.i:thing.right_edge.i + 1].text
    return f"{said[:1].upper()}{said[1:]} {'are' if several else 'is'} not shown"


def _refused_data(behaviour: Behaviour, bad: re.Match[str], result: str | None) -> None:
    """Expect an act done with invalid data to be refused, and ask what the user is told.

    "Suzie signs a petition with an invalid name" states no outcome; the usual one is a
    refusal that says what is wrong, which the product owner confirms (some services accept
    and flag instead).
    """
    what = bad["what"]
    refused = f"A message says the {what} is missing" if bad["none"] else \
        f"The {what} is refused with a message saying what is wrong"
    behaviour.effects = [Effect(text=refused), *([Effect(text=negate(result))] if result else [])]
    behaviour.prohibited = True
    behaviour.ambiguities.append(Ambiguity(word=bad[0], question=(
        f"{behaviour.criterion_id} does not say what happens with {bad[0]}: its case expects "
        f"'{'; '.join(e.text for e in behaviour.effects)}'. Which message should the user "
        "see, or is it accepted?")))


def _attempt_as_action(behaviour: Behaviour) -> None:
    """Make a condition that is the actor's attempt ("if she tries to sign") the action.

    Trying is what the tester does, not a condition to vary: negated, it would set up "does
    not try to sign" and then sign.
    """
    if behaviour.actions:
        return
    for condition in behaviour.conditions:
        if attempt := _ATTEMPT.match(condition.text):
            behaviour.conditions.remove(condition)
            behaviour.actions.append(f"Try to {attempt['act']}")
            behaviour.actor = behaviour.actor or attempt["who"]
            return


def _instructions_as_steps(behaviour: Behaviour) -> None:
    """Make a later clause that is an instruction ('... and go to its profile') a step."""
    if not behaviour.actions:
        return
    for effect in list(behaviour.effects[1:]):
        doc = parse(effect.text[:1].lower() + effect.text[1:])
        if doc and doc[0].tag_ == "VB" and doc[0].dep_ == "ROOT" and not any(
                t.dep_ in {"nsubj", "nsubjpass"} for t in doc):
            behaviour.effects.remove(effect)
            action = f"{effect.text[:1].upper()}{effect.text[1:]}"
            behaviour.actions.append(action)
            result = outcome_of(action) or f"{action} is done"
            behaviour.effects = [Effect(text=result[:1].upper() + result[1:], derived=True),
                                 *(e for e in behaviour.effects if not e.derived)]


def _not_twice(behaviour: Behaviour) -> None:
    """Read '..., but cannot report it twice' as a repeat rule on the act: once, not again."""
    if len(behaviour.actions) != 1 or len(behaviour.effects) < 2:
        return
    verb = parse_instruction(behaviour.actions[0])
    for effect in behaviour.effects[1:]:
        said = parse(effect.text)
        if _ONCE_ONLY.search(effect.text) and len(verb) > 1 and \
                said[:].root.lemma_ == verb[1].lemma_:
            behaviour.effects.remove(effect)
            behaviour.repeat = "twice"
            return


def _none_named(behaviour: Behaviour) -> None:
    """Name what 'none' counts: 'if there are none to anonymize' -> 'no petitions to ...'."""
    result = passive_result(attempted(behaviour.actions[0])) if behaviour.actions else None
    thing = re.split(r" (?:is|are) ", result, maxsplit=1)[0] if result else ""
    for condition in behaviour.conditions:
        if thing and re.match(r"^there (?:is|are) none\b", condition.text, re.IGNORECASE):
            condition.text = re.sub(r"\bnone\b", f"no {thing.removeprefix('The ')}",
                                    condition.text, count=1)


def _act_as_trigger(behaviour: Behaviour) -> None:
    """Make the act that shows a person something the action, not a condition to vary.

    "Laura sees notice that she has already signed when she validates more than once": the
    tester validates (twice), then looks; "Laura does not validate" is nothing to test.
    """
    if behaviour.actions or len(behaviour.conditions) != 1 or not behaviour.effects:
        return
    condition = behaviour.conditions[0]
    seer = _person_subject(behaviour.effects[0].text)
    effect = parse(behaviour.effects[0].text)
    told = any(t.dep_ == "nsubjpass" and is_person(t) for t in effect)  # "Charlie is notified"
    who = _person_subject(condition.text)
    if condition.connective not in {"when", "if", "once", "after"} or who is None or not (
            told or seer is not None and effect[:].root.lemma_ in words().receive_verbs):
        return
    text = condition.text
    times = condition.quantity is not None and condition.quantity.unit == "times"
    if times and condition.quantity is not None:
        text = text.replace(condition.quantity.text, "").strip()
    subject = next((t for t in persona_parse(text) if t.dep_ == "nsubj"), None)
    if subject is None or subject.head.tag_ not in {"VBZ", "VBP", "VBD"} or any(
            t.dep_ in {"aux", "neg"} for t in subject.head.children):
        return  # "when she has signed", "when he is not a citizen": a state to vary
    action = imperative(text)
    if action is None or (condition.quantity is not None and not times):
        return
    behaviour.actions, behaviour.conditions, behaviour.actor = [action], [], who
    if times and condition.quantity is not None and condition.quantity.value == 1:
        behaviour.repeat = "more than once"


def _finished(behaviour: Behaviour, text: str) -> Behaviour:
    """Fill in the actor, the action, limits, roles, repeat rules and formats."""
    if not behaviour.actions and behaviour.effects:
        _person_effect(behaviour)
        if not behaviour.prohibited:
            data_state(behaviour)
    person = behaviour.actor or next(
        (p for e in behaviour.effects[:1] if (p := _person_subject(e.text))), None)
    if person and not _PRONOUN.match(person):
        for condition in behaviour.conditions:
            condition.text = _PRONOUN.sub(person, condition.text)
    _attempt_as_action(behaviour)
    _act_as_trigger(behaviour)
    _none_named(behaviour)
    _not_twice(behaviour)
    _instructions_as_steps(behaviour)
    _signed_out(behaviour)
    target_exists(behaviour, behaviour.actor or person)
    _first_to_act(behaviour)
    _counted(behaviour)
    behaviour.untriggered = not behaviour.actions and not behaviour.conditions and \
        bool(behaviour.effects) and _received(behaviour.effects[0].text)
    in_conditions = {c.quantity.text for c in behaviour.conditions if c.quantity}
    behaviour.limits = [q for action in behaviour.actions for q in find_limits(action)
                        if q.text not in in_conditions and not q.text.startswith("within")]
    if not behaviour.actions and not behaviour.conditions:
        behaviour.limits += [q for e in behaviour.effects for q in find_limits(e.text)
                             if not q.text.startswith("within")]
    for effect in behaviour.effects[:1]:
        if (each := _EACH.search(effect.text)) and _SHOWN.search(effect.text):
            behaviour.preconditions.append(f"There are {EXAMPLE_COUNT} {plural(each['noun'])}")
    if match := _ONLY_ROLE.search(text):
        behaviour.allowed_roles.append(match["role"].strip())
    roles = {re.sub(r"^(an?|the)\s+", "", r, flags=re.I).lower(): r
             for r in reversed(behaviour.allowed_roles)}
    behaviour.allowed_roles = list(reversed(list(roles.values())))
    if match := _REPEAT.search(text):
        behaviour.repeat = match[0]
    if _VALIDATES.search(text) and not any(INVALID_DATA.search(a) for a in behaviour.actions):
        found = words().formats().findall(text)
        behaviour.formats = list(dict.fromkeys(m.lower() for m in found))
    return behaviour


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "..."
