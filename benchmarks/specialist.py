"""Engine only, base model and specialist side by side, on projects never trained on.

The sets: features of the corpus's held-out projects (benchmarks/corpus/, split "eval":
never trained on; four read only for a verdict on ten cases, and
DFE-Digital/schools-experience, whose drafts were read while fixing the writer, reported
apart as a dev set), the e-petitions dev set and the diaspora set (benchmarks/devsets/).
Each feature is a story whose criteria are the humans' own scenario titles; the humans'
scenarios stand beside them. Three writers run the same stories:
- engine: the test-design engine's wording (agent_draft off);
- base: the bundled model drafts every case (agent_draft on), checked, one repair round;
- specialist: the same with the LoRA adapter trained on the corpus (--adapter).
The reviewer's model critique is off in all three, so the figures are the writer's.

Printed per set and writer: criteria, criteria with a case (and of them those whose only case
is a draft of a criterion the engine could not read, labelled for review: nothing checked its
logic), criteria with only a question,
restating cases, negatives expecting the positive, narrative used as an action, the model's
drafts kept on the first try and after repair (and engine fallbacks), steps and
preconditions per case against the humans', chrF against the human scenario of the same
criterion, and seconds per case. `--show 10` prints that many cases drawn at random (seeded)
from the last writer, as they came out. Run alone: llama.cpp beside other work is 5-15x slower.
`--fresh` (`--split fresh`) measures instead, as a set of their own, the eval projects added
later that no one has read (manifest `"read": false`, records of split "fresh"); `--show` then
prints their cases, and once read they are no longer fresh: mark them `"read": true` in the
manifest and rebuild the corpus, and their records become split "dev", which `--dev`
(`--split dev`) measures as a set of its own.

    python benchmarks/specialist.py --adapter casewright/llm/adapters/specialist.lora.gguf
    python benchmarks/specialist.py --stories 4 --writers engine,specialist --show 10
    python benchmarks/specialist.py --fresh \
        --adapter casewright/llm/adapters/specialist.lora.gguf
    python benchmarks/specialist.py --dev \
        --adapter casewright/llm/adapters/specialist.lora.gguf
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from devset import issue

from casewright import generate, load_settings, load_stories
from casewright.agents.drafting import COMPLETED_LABEL, REPAIRED_LABEL, REVIEW_LABEL
from casewright.approval import ENGINE_LABEL, MODEL_LABEL, SCAFFOLD_LABEL
from casewright.metrics import scorecard
from casewright.models import Suite, TestCase
from casewright.training.corpus import read_corpus, scenario_draft
from casewright.training.evaluation import chrf

HERE = Path(__file__).parent
CORPUS = HERE.parent / ".corpus" / "scenarios.jsonl"
DEVSETS = {"e-petitions": HERE / "devsets" / "e-petitions",
           "diaspora": HERE / "devsets" / "diaspora"}
READ = frozenset({"DFE-Digital/schools-experience"})
"""Eval projects whose drafts were read to fix the writer: reported apart, as a dev set."""
SETS = {"fresh": "corpus fresh projects (never read)",
        "dev": "corpus projects read since they were fresh (split dev)"}
"""The corpus splits measured alone (--split), and their names in the tables."""
_NARRATIVE = re.compile(r"^\s*(as an? |(i )?(want|need|would like|wish) to\b|i want|so that|"
                        r"in order to)", re.IGNORECASE)
"""A step in the narrative's voice: "As a ...", "I want ...", "Want to attach ..."."""
Reference = dict[str, dict[str, list[str]]]
"""Story key -> criterion text -> the human scenario's lines."""


def corpus_set(folder: Path, stories: int, seed: int, *, read: bool = False,
               split: str = "eval") -> tuple[list[str], Reference]:
    """Write a workspace of held-out features; return its keys and the humans' cases.

    `split` "fresh" picks the projects no one has read, "dev" those read since they were
    fresh, each whole; of split "eval", `read` picks the projects whose drafts were read
    while fixing the writer (a dev set now), otherwise the others.
    """
    features: dict[tuple[str, str], list] = defaultdict(list)
    for record in read_corpus(CORPUS, split):
        if split == "eval" and (record.project in READ) != read:
            continue
        if scenario_draft(record) is not None:
            features[(record.project, record.path)].append(record)
    by_project: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for key, records in sorted(features.items()):
        if 2 <= len(records) <= 8:
            by_project[key[0]].append(key)
    rng = random.Random(seed)
    chosen = [key for keys in by_project.values()
              for key in rng.sample(keys, min(stories, len(keys)))]
    (folder / "jira").mkdir(parents=True)
    reference: Reference = {}
    for number, key in enumerate(chosen, start=1):
        records = features[key]
        story_key = f"HO-{number}"
        criteria = [r.scenario for r in records]
        narrative = [line for line in records[0].narrative.splitlines() if line.strip()]
        document = issue(story_key, records[0].feature, narrative, criteria,
                         ("HO", key[0].split("/")[-1]))
        (folder / "jira" / f"{story_key}.json").write_text(json.dumps(document))
        reference[story_key] = {r.scenario: _lines(r) for r in records}
    return [f"HO-{n}" for n in range(1, len(chosen) + 1)], reference


def _lines(record) -> list[str]:
    draft = scenario_draft(record)
    assert draft is not None
    return [*draft.preconditions, *(f"{s.action} {s.data} {s.expected}" for s in draft.steps)]


def devset(name: str, stories: int, seed: int) -> tuple[Path, list[str], Reference]:
    """Return a dev set's folder, a seeded sample of its keys, and the humans' scenarios."""
    folder = DEVSETS[name]
    saved = json.loads((folder / "reference.json").read_text(encoding="utf-8"))
    keys = sorted(story.key for story in load_stories(workspace=folder))
    keys = sorted(random.Random(seed).sample(keys, min(stories, len(keys))))
    reference = {key: {s["title"]: s["steps"] for s in saved[key]["scenarios"]} for key in keys}
    return folder, keys, reference


def run(folder: Path, keys: list[str], writer: str, adapter: Path | None) -> tuple[list[Suite],
                                                                                  float]:
    """Run one writer on the stories; return the suites and the seconds they took."""
    with tempfile.TemporaryDirectory() as home:
        settings = load_settings(folder, home=Path(home), agent_draft=writer != "engine",
                                 agent_critique=False, model_specialist=False,
                                 model_adapter=adapter if writer == "specialist" else None)
        stories = load_stories(keys, workspace=folder, settings=settings)
        began = time.perf_counter()
        suites = generate(stories, workspace=folder, settings=settings)
        return suites, time.perf_counter() - began


def report(name: str, writer: str, suites: list[Suite], seconds: float,
           reference: Reference) -> dict[str, str]:
    """Return one writer's column of figures for a set."""
    cases = [case for suite in suites for case in suite.cases]
    criteria = [(suite, c) for suite in suites for c in suite.story.criteria]
    covered = sum(1 for suite, c in criteria
                  if any(c.criterion_id in case.criterion_ids for case in suite.cases))
    questions = sum(1 for suite, c in criteria
                    if not any(c.criterion_id in case.criterion_ids for case in suite.cases)
                    and any(f.criterion_id == c.criterion_id and f.check == "ambiguity"
                            for f in suite.findings))
    for_review = sum(1 for suite, c in criteria
                     if (own := [case for case in suite.cases
                                 if c.criterion_id in case.criterion_ids])
                     and all(REVIEW_LABEL in case.labels for case in own))
    card = scorecard(writer, suites, existing=[], known_rule_ids=set()).summary()
    drafted = [case for case in cases if MODEL_LABEL in case.labels]
    repaired = [case for case in drafted if REPAIRED_LABEL in case.labels]
    fallback = [case for case in cases if ENGINE_LABEL in case.labels or
                SCAFFOLD_LABEL in case.labels]
    ours = [len(case.steps) + len(case.preconditions) for case in cases]
    humans = [len(lines) for story in reference.values() for lines in story.values()]
    scores = [score for suite in suites for case in suite.cases
              if (score := _chrf(case, suite, reference)) is not None]
    narrative = sum(1 for case in cases if any(_NARRATIVE.match(s.action) for s in case.steps))
    return {
        "criteria": str(len(criteria)),
        "criteria with a case": f"{covered} ({covered / max(len(criteria), 1):.0%})",
        "of them, only a draft for review": str(for_review),
        "criteria with only a question": str(questions),
        "cases": str(len(cases)),
        "restating cases": str(card["restating"]),
        "negatives expecting the positive": str(card["negatives_as_positive"]),
        "narrative as an action": str(narrative),
        "model drafts kept, first try": str(len(drafted) - len(repaired)),
        "model drafts kept after repair": str(len(repaired)),
        "of the drafts, completed by the plan": str(
            sum(1 for case in drafted if COMPLETED_LABEL in case.labels)),
        "engine or template fallbacks": str(len(fallback)),
        "model share of cases": f"{len(drafted) / max(len(cases), 1):.0%}",
        "steps+preconditions per case": f"{statistics.mean(ours or [0]):.1f} "
                                        f"(humans {statistics.mean(humans or [0]):.1f})",
        "chrF against the humans": f"{statistics.mean(scores or [0]):.1f}",
        "seconds per case": f"{seconds / max(len(cases), 1):.2f}",
    }


def _chrf(case: TestCase, suite: Suite, reference: Reference) -> float | None:
    criterion = next((c for c in suite.story.criteria if c.criterion_id in case.criterion_ids),
                     None)
    human = reference.get(suite.story.key, {}).get(criterion.text if criterion else "")
    if not human:
        return None
    ours = " ".join([*case.preconditions, *(f"{s.action} {s.data} {s.expected}"
                                             for s in case.steps)])
    return chrf(ours, " ".join(human))


def show(suites: list[Suite], count: int, seed: int) -> None:
    """Print cases drawn at random, as they came out."""
    cases = [(suite, case) for suite in suites for case in suite.cases]
    for suite, case in random.Random(seed).sample(cases, min(count, len(cases))):
        criterion = next(c for c in suite.story.criteria if c.criterion_id in case.criterion_ids)
        print(f"\n{case.case_id} ({case.kind}; {', '.join(case.labels)}) "
              f"for {criterion.criterion_id}: {criterion.text}")
        for precondition in case.preconditions:
            print(f"  pre: {precondition}")
        for step in case.steps:
            data = f" [data: {step.data}]" if step.data else ""
            print(f"  - {step.action}{data} -> {step.expected or '(no result of its own)'}")


def main() -> None:
    """Measure every writer on every set and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--adapter", type=Path, help="the specialist's LoRA adapter (GGUF)")
    parser.add_argument("--writers", default="engine,base,specialist")
    parser.add_argument("--stories", type=int, default=2, help="stories per project (seeded)")
    parser.add_argument("--seed", type=int, default=25)
    parser.add_argument("--show", type=int, default=0, help="cases to print from the last writer")
    alone = parser.add_mutually_exclusive_group()
    alone.add_argument("--split", choices=sorted(SETS),
                       help="measure only the corpus projects of this split, as a set of their "
                       'own: "fresh" no one has read (--show reads their cases, and then they '
                       'count as read), "dev" those read since they were fresh')
    alone.add_argument("--fresh", dest="split", action="store_const", const="fresh",
                       help="the same as --split fresh")
    alone.add_argument("--dev", dest="split", action="store_const", const="dev",
                       help="the same as --split dev")
    options = parser.parse_args()
    writers = [w for w in options.writers.split(",") if w != "specialist" or options.adapter]
    shown: list[Suite] = []
    with tempfile.TemporaryDirectory() as scratch:
        held, read = Path(scratch) / "held-out", Path(scratch) / "read"
        sets = [("corpus held-out projects (read for a verdict)", held,
                 *corpus_set(held, options.stories, options.seed, read=False)),
                ("corpus project read while fixing (dev)", read,
                 *corpus_set(read, options.stories * 2, options.seed, read=True))]
        sets += [(name, *devset(name, options.stories * 2, options.seed)) for name in DEVSETS]
        if options.split:
            alone = Path(scratch) / options.split
            sets = [(SETS[options.split], alone,
                     *corpus_set(alone, options.stories, options.seed, split=options.split))]
            if not sets[0][2]:
                parser.error(f"{CORPUS} has no story of split {options.split!r}: add never-read "
                             'projects to benchmarks/corpus/manifest.json ("read": false) and '
                             "rebuild it (benchmarks/corpus/README.md)")
        for name, folder, keys, reference in sets:
            columns = {}
            for writer in writers:
                suites, seconds = run(folder, keys, writer, options.adapter)
                columns[writer] = report(name, writer, suites, seconds, reference)
                if name.startswith("corpus held-out") or name in SETS.values():
                    shown = suites
            print(f"\n{name}: {len(keys)} stories")
            print(f"{'':34}" + "".join(f"{w:>22}" for w in writers))
            for row in next(iter(columns.values())):
                print(f"{row:34}" + "".join(f"{columns[w][row]:>22}" for w in writers))
    if options.show:
        show(shown, options.show, options.seed)


if __name__ == "__main__":
    main()
