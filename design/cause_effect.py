"""Cause-effect trees: how a criterion's conditions combine into its effect, as CiRA builds them.

CiRA (Fischbach, Frattini et al., "CiRA: causality detection in requirement artifacts";
JulianFrattini/cira, `src/data/graph.py`) reads a conditional sentence into a graph: the
conditions are leaves, junctions join them by and or or, and any edge may be negated. Here a
leaf (`Event`) is a condition of a `Behaviour`, by index. `evaluate` gives the effect for one
setting of the leaves. `covering` expands a tree recursively into CiRA's minimal set, not every
setting: 2**n settings grow fast and most of them show nothing a neighbour does not, while this
set shows every leaf flipping the outcome (MC/DC-like), which is n+1 rows for n conditions under
one junctor, as the decision table had before there were trees.

`grouped` reads the grouping a sentence writes: "either ... or" and "both ... and" bind
tightest, then and before or (CiRA's precedence), and a comma before a joiner splits loosest:
"A and B, or C" is (A and B) or C; "A or B, and C" is (A or B) and C.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import product
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from casewright.design.language import parse

Junctor = Literal["and", "or"]
_GAP = re.compile(r"\s*(?P<comma>,)?\s*(?P<joiner>and|or|but)\s*", re.IGNORECASE)
_MARKER = re.compile(r"\b(?:either|both)\s+$", re.IGNORECASE)
_OPENS = frozenset({"DET", "PRON", "PROPN", "AUX", "VERB"})
_CONTINUED = re.compile(r"^(?P<more>(?:and|or|but)\s+[^,]+),\s*(?:then\s+)?(?P<main>.+)$",
                        re.IGNORECASE)
_MARKED: dict[str, Junctor] = {"either": "or", "both": "and"}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Event(_Model):
    """A leaf: one condition of the behaviour."""

    condition: int = Field(description="Index of the condition in `Behaviour.conditions`.")


class Junction(_Model):
    """Conditions joined by and (all must hold) or by or (one is enough)."""

    junctor: Junctor
    causes: list[Cause]


class Cause(_Model):
    """An edge into a junction or into the effect; negated, its node must not hold."""

    node: Event | Junction
    negated: bool = False


Junction.model_rebuild()


def joined(count: int, junctor: Junctor) -> Cause:
    """Return the first `count` conditions joined by one junctor."""
    return Cause(node=Junction(junctor=junctor, causes=[
        Cause(node=Event(condition=i)) for i in range(count)]))


def leaves(cause: Cause) -> Iterator[int]:
    """Yield the condition indices of a tree's leaves, left to right."""
    if isinstance(cause.node, Event):
        yield cause.node.condition
    else:
        for inner in cause.node.causes:
            yield from leaves(inner)


def evaluate(cause: Cause, values: Sequence[bool]) -> bool:
    """Return whether a cause holds when each condition `i` has the value `values[i]`."""
    node = cause.node
    if isinstance(node, Event):
        held = values[node.condition]
    else:
        results = [evaluate(inner, values) for inner in node.causes]
        held = all(results) if node.junctor == "and" else any(results)
    return held != cause.negated


def configurations(cause: Cause, holds: bool) -> list[dict[int, bool]]:
    """Return CiRA's minimal settings of the leaves that make a cause take the value `holds`.

    A junction that must take the value its inputs give when they all agree (and: true, or:
    false) sets them all so; otherwise each input in turn decides it, the others set the
    other way. The settings of a junction's inputs combine as their product.
    """
    wanted = holds != cause.negated
    node = cause.node
    if isinstance(node, Event):
        return [{node.condition: wanted}]
    if wanted == (node.junctor == "and"):
        return _product([configurations(inner, wanted) for inner in node.causes])
    return [row for deciding in range(len(node.causes)) for row in _product([
        configurations(inner, wanted if i == deciding else not wanted)
        for i, inner in enumerate(node.causes)])]


def _product(parts: list[list[dict[int, bool]]]) -> list[dict[int, bool]]:
    return [{k: v for row in rows for k, v in row.items()} for rows in product(*parts)]


def covering(cause: Cause) -> list[tuple[dict[int, bool], bool]]:
    """Return the minimal covering set: (setting, whether the effect holds), agreeing row first.

    For conditions joined by and that is all true (effect), then each one false; by or, all
    false (no effect), then each one true.
    """
    node = cause.node
    first = (node.junctor == "and" if isinstance(node, Junction) else True) != cause.negated
    return [(row, holds) for holds in (first, not first) for row in configurations(cause, holds)]


def resting(cause: Cause, parent: Junctor = "and") -> dict[int, bool]:
    """Return each leaf's value that decides nothing alone: true under and, false under or.

    Both as the leaf's own edge takes it: under a negated edge, the other way.
    """
    node = cause.node
    if isinstance(node, Event):
        return {node.condition: (parent == "and") != cause.negated}
    return {k: v for inner in node.causes for k, v in resting(inner, node.junctor).items()}


def continued(main: str, condition: str | None) -> tuple[str, str | None]:
    """Give back to a leading condition the clauses its first comma cut off.

    "If A and B, or C, then D" splits at the first comma into "A and B" and "or C, then D":
    a main clause that opens with a joiner is the condition going on.
    """
    while condition is not None and (more := _CONTINUED.match(main)):
        main, condition = more["main"], f"{condition}, {more['more']}"
    return main, condition


def grouped(text: str, clauses: list[str], first: int, *,
            negated: bool = False) -> tuple[list[str], Cause | None]:
    """Return the clauses without their grouping words, and the tree the sentence writes.

    `clauses` are the parts of `text` that `split_clauses` cut at and/or/but, to become the
    conditions from index `first`. Where one junctor joins them all, or a gap between two
    holds more than a joiner, they come back as they are, with no tree: the behaviour's
    `combination` says it all. `negated` ("unless", whose clauses are stated negated): the
    tree of the clauses as written, negated, each leaf negated back.
    """
    marked = [_marker(clause) for clause in clauses]
    plain = [clause for clause, _ in marked]
    gaps = _gaps(text, plain)
    if gaps is None or len({junctor for _, junctor in gaps}) < 2:
        return clauses, None
    junctors = [junctor for _, junctor in gaps]
    ranks = [(0 if comma else 2) + (junctor == "and") for comma, junctor in gaps]
    for start, (_, marker) in enumerate(marked):  # "either A or B": bound tightest
        index = start
        while marker and index < len(gaps) and gaps[index] == (False, marker):
            ranks[index] += 4
            index += 1
    tree = _split(list(range(first, first + len(plain))), junctors, ranks, negated)
    return plain, tree.model_copy(update={"negated": negated})


def _marker(clause: str) -> tuple[str, Junctor | None]:
    """Return a clause without its leading 'either' or 'both', and the junctor it calls for.

    Only where it opens the clause or follows its subject, before a determiner, a name, a
    pronoun or a verb: "both accounts are closed" keeps its "both".
    """
    doc = parse(clause)
    verb = next((t.i for t in doc if t.pos_ in {"VERB", "AUX"}), len(doc))
    for token in doc[:verb + 1]:
        after = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if token.lower_ in _MARKED and after is not None and after.pos_ in _OPENS:
            return f"{doc[:token.i].text_with_ws}{doc[token.i + 1:].text}", \
                _MARKED[token.lower_]
    return clause, None


def _gaps(text: str, clauses: list[str]) -> list[tuple[bool, Junctor]] | None:
    """Return (comma before it, junctor) of each joiner between the clauses found in `text`.

    A clause may carry a subject the text gives once ("A has X and is Y"): it is found by its
    longest tail the text holds. None where a clause is not found or a gap holds more.
    """
    gaps: list[tuple[bool, Junctor]] = []
    position = 0
    for index, clause in enumerate(clauses):
        words = clause.split()
        at = next(((found, " ".join(words[skip:])) for skip in range(len(words))
                   if (found := text.find(" ".join(words[skip:]), position)) >= 0), None)
        if at is None:
            return None
        if index:
            joiner = _GAP.fullmatch(_MARKER.sub("", text[position:at[0]]))
            if joiner is None:
                return None
            gaps.append((bool(joiner["comma"]), "or" if joiner["joiner"].lower() == "or"
                         else "and"))
        position = at[0] + len(at[1])
    return gaps


def _split(indices: list[int], junctors: list[Junctor], ranks: list[int],
           negated: bool) -> Cause:
    """Return the tree of clauses `indices`, split first at their loosest joiners."""
    if len(indices) == 1:
        return Cause(node=Event(condition=indices[0]), negated=negated)
    loosest = min(ranks)
    cuts = [i for i, rank in enumerate(ranks) if rank == loosest]
    causes, begin = [], 0
    for cut in [*cuts, len(indices) - 1]:
        inner = _split(indices[begin:cut + 1], junctors[begin:cut], ranks[begin:cut], negated)
        same = isinstance(inner.node, Junction) and inner.node.junctor == junctors[cuts[0]]
        causes += inner.node.causes if same and isinstance(inner.node, Junction) else [inner]
        begin = cut + 1
    return Cause(node=Junction(junctor=junctors[cuts[0]], causes=causes))
