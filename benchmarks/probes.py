"""Print how often the engine's reading of a criterion changes when its wording does.

The probe set (benchmarks/probes/criteria.json) holds criteria of the bundled sample (the
stories the engine's rules were written against) and of the dev sets e-petitions and diaspora
(read while the rules were written: dev sets, not held out). Each criterion has variants that
mean the same, written and checked by hand: its role swapped for one from another domain
("librarian", "dispatcher", ...), a verb or a noun swapped for a synonym, its clauses
reordered ("X when Y" <-> "When Y, X"). A variant keeps its reading when `analyse()` finds the
same behaviours in it: actor, preconditions, conditions and their connectives, actions,
effects and their polarity, limits, roles, and whether it is testable at all, once the
swapped words are mapped back to the criterion's own.

The last row counts the wordings (criterion and variants) of the criteria in which someone
acts (the actor labelled by hand) that get an action: one whose actor the engine cannot find
gets no step to run.

    python benchmarks/probes.py            # the table
    python benchmarks/probes.py --changes  # also what changed in each changed reading
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, get_args

from lemminflect import getAllLemmas

from casewright.design.behaviour import Behaviour
from casewright.design.reading import analyse
from casewright.models import AcceptanceCriterion
from casewright.quality import words

PROBES = Path(__file__).parent / "probes" / "criteria.json"
Kind = Literal["role", "verb", "noun", "reorder"]
KINDS: tuple[Kind, ...] = get_args(Kind)
Reading = dict[str, object]
_NOISE = frozenset({"a", "an", "the", "be"})
"""Words a swap may change around it ('an agent' -> 'a librarian', 'arrears are' -> 'debt is')."""
_LEMMA_ORDER = ("VERB", "NOUN", "AUX", "ADJ")


@dataclass(frozen=True)
class Variant:
    """A criterion said another way: which kind of change, the text, the words swapped."""

    kind: Kind
    text: str
    swaps: tuple[tuple[str, str], ...]
    """(the variant's word, the criterion's word) pairs, to map the reading back."""


@dataclass(frozen=True)
class Probe:
    """A criterion of the sample or a dev set, and its variants."""

    probe_id: str
    set_name: str
    text: str
    actor: str | None
    variants: tuple[Variant, ...]


def load_probes(path: Path = PROBES) -> list[Probe]:
    """Return the probe set, each variant checked for a known kind."""
    probes = []
    for row in json.loads(path.read_text(encoding="utf-8"))["criteria"]:
        variants = []
        for variant in row["variants"]:
            if variant["kind"] not in KINDS:
                raise ValueError(f"{row['id']!r}: unknown kind {variant['kind']!r}")
            variants.append(Variant(variant["kind"], variant["text"], tuple(
                (mine, theirs) for mine, theirs in variant.get("swap", []))))
        probes.append(Probe(row["id"], row["set"], row["text"], row.get("actor"),
                            tuple(variants)))
    return probes


def _lemma(word: str) -> str:
    """Return a word's dictionary form, a verb's first: 'withdrawn' -> 'withdraw'."""
    lemmas = getAllLemmas(word)
    return next((lemmas[pos][0] for pos in _LEMMA_ORDER if pos in lemmas), word)


def _normal(text: str | None, swaps: Iterable[tuple[str, str]] = ()) -> str:
    """Return a text as lemmas, without articles or 'be', with swapped words mapped back."""
    def lemmas(said: str) -> str:
        return " ".join(lemma for lemma in map(_lemma, words(said)) if lemma not in _NOISE)

    normal = lemmas(text or "")
    for mine, theirs in swaps:
        normal = re.sub(rf"\b{re.escape(lemmas(mine))}\b", lemmas(theirs), normal)
    return normal


def behaviours(text: str) -> list[Behaviour]:
    """Return the engine's reading of a criterion."""
    return analyse(AcceptanceCriterion(criterion_id="AC1", text=text))


def reading(read: list[Behaviour], swaps: Iterable[tuple[str, str]] = ()) -> list[Reading]:
    """Return a reading normalised so that paraphrases compare: words, not their order."""
    swaps = tuple(swaps)

    def said(texts: Iterable[str]) -> tuple[str, ...]:
        return tuple(_normal(t, swaps) for t in texts)

    return [{"actor": _normal(b.actor, swaps), "preconditions": said(b.preconditions),
             "conditions": tuple(sorted((_normal(c.text, swaps), c.connective)
                                        for c in b.conditions)),
             "combination": (b.combination, b.exclusive), "actions": said(b.actions),
             "alternatives": said(b.alternatives),
             "effects": tuple((_normal(e.text, swaps), e.always) for e in b.effects),
             "otherwise": said(e.text for e in b.otherwise), "prohibited": b.prohibited,
             "limits": tuple((q.value, q.upper, q.comparison, _normal(q.unit, swaps))
                             for q in b.limits),
             "roles": (said(b.allowed_roles), said(b.refused_roles)),
             "testable": b.unparsed is None} for b in read]


def changes(base: list[Reading], variant: list[Reading]) -> list[str]:
    """Return what differs between two readings, one line per part."""
    if len(base) != len(variant):
        return [f"behaviours: {len(base)} -> {len(variant)}"]
    return [f"{part}: {one[part]!r} -> {other[part]!r}" for one, other in zip(base, variant,
                                                                           strict=True)
            for part in one if one[part] != other[part]]


def main() -> None:
    """Print, per kind of change, how many variants keep their criterion's reading."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", action="store_true", help="print each changed reading")
    options = parser.parse_args()
    probes = load_probes()
    kept: dict[Kind, list[bool]] = {kind: [] for kind in KINDS}
    acting: list[bool] = []
    for probe in probes:
        base = behaviours(probe.text)
        read = [(variant, behaviours(variant.text)) for variant in probe.variants]
        if probe.actor is not None:  # someone acts: each wording should give a step to run
            acting += [any(b.actions or b.alternatives for b in said)
                       for said in [base, *(said for _, said in read)]]
        for variant, said in read:
            changed = changes(reading(base), reading(said, variant.swaps))
            kept[variant.kind].append(not changed)
            if options.changes and changed:
                print(f"{probe.probe_id} {variant.kind}: {variant.text!r}")
                print("".join(f"  {line}\n" for line in changed))
    sets = Counter(probe.set_name for probe in probes)
    print(f"\n{len(probes)} criteria ({', '.join(f'{n} {name}' for name, n in sets.items())}),"
          f" {sum(len(p.variants) for p in probes)} variants")
    print(f"{'change':28} {'variants':>8} {'kept':>6} {'share':>6}")
    for kind in KINDS:
        print(f"{kind:28} {len(kept[kind]):>8} {sum(kept[kind]):>6} "
              f"{sum(kept[kind]) / max(len(kept[kind]), 1):>6.0%}")
    every = [same for kind in KINDS for same in kept[kind]]
    print(f"{'all':28} {len(every):>8} {sum(every):>6} {sum(every) / max(len(every), 1):>6.0%}")
    print(f"{'someone acts: gets an action':28} {len(acting):>8} {sum(acting):>6} "
          f"{sum(acting) / max(len(acting), 1):>6.0%}")


if __name__ == "__main__":
    main()
