"""Print what the cases are worth, agent and fixed pipeline side by side, on four story sets.

The sets: the bundled sample (the stories casewright's wording rules were written against),
the same sample with every rule id removed (benchmarks/devsets/brightwater-unnumbered: its
evidence must be found by what the pages say), and two dev sets, read while the engine's
rules were written, so no set here is held out: e-petitions (benchmarks/devsets/e-petitions:
51 public stories whose criteria are the humans' own scenario titles) and diaspora
(benchmarks/devsets/diaspora: 37 public stories of a social network), in two halves: its
odd-numbered stories were read to find what fails, ten cases of its even-numbered ones were
read once and fixes followed. Neither public set has pages. For each: cases, distinct configurations
(a case counts only when it differs from its criterion's other cases), cases that only restate
their criterion, negatives that expect the positive outcome, duplicates of existing tests,
criteria with no case and with a question for the product owner, criteria whose cases
cite evidence, the share of step words found in no source (story,
evidence, glossary), and seconds per story. On the public sets it also sets
the cases beside the humans' scenarios: how many steps, and how many carry test data.

    python benchmarks/quality.py                  # engine wording (the default)
    python benchmarks/quality.py --reword         # the model rewords (measures what it adds)
    python benchmarks/quality.py --dev-stories 12 # a faster look at the public sets
    python benchmarks/quality.py --output out/    # also keep the agent's suites, to read
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from casewright import generate, load_settings, load_stories
from casewright.agents.fixed_pipeline import run_fixed
from casewright.approval import ENGINE_LABEL, MODEL_LABEL, SCAFFOLD_LABEL
from casewright.metrics import scorecard
from casewright.models import Suite
from casewright.quality import step_words, ungrounded_words
from casewright.tools.glossary import workspace_glossary
from casewright.tools.workspace import Workspace, bundled_sample

DEVSET = Path(__file__).parent / "devsets" / "e-petitions"
UNNUMBERED = Path(__file__).parent / "devsets" / "brightwater-unnumbered"
DIASPORA = Path(__file__).parent / "devsets" / "diaspora"
ROWS = (("cases", "cases"), ("distinct configurations", "conditions"),
        ("  negative", "conditions_negative"), ("  boundary", "conditions_boundary"),
        ("restating cases", "restating"), ("negatives expecting the positive",
                                             "negatives_as_positive"),
        ("degenerate cases", "degenerate"), ("duplicates of existing tests", "duplicates"))


def ungrounded(suites: list[Suite], glossary: dict[str, str]) -> tuple[int, float]:
    """Return the distinct step words no source holds, and their share of all step words.

    Both count per case: the sources are the case's story, its suite's evidence and the
    workspace's glossary.
    """
    found, invented, total = set(), 0, 0
    defined = [f"{term} {meaning}" for term, meaning in glossary.items()]
    for suite in suites:
        sources = "\n".join([suite.story.summary, suite.story.description,
                             *(c.text for c in suite.story.criteria),
                             *(f"{s.title} {s.text}" for s in suite.sources), *defined])
        for case in suite.cases:
            words = ungrounded_words(case, sources)
            found |= words
            invented += len(words)
            total += len(step_words(case))
    return len(found), invented / max(total, 1)


def with_evidence(suites: list[Suite]) -> str:
    """Return how many criteria have a case that cites a passage, of how many."""
    criteria = [(suite, c.criterion_id) for suite in suites for c in suite.story.criteria]
    cited = sum(any(case.source_ids for case in suite.cases_for(cid)) for suite, cid in criteria)
    return f"{cited}/{len(criteria)}"


def wording(suites: list[Suite]) -> str:
    """Return how the agent's cases were worded: engine, model, template."""
    labels = [label for suite in suites for case in suite.cases for label in case.labels]
    return (f"engine {labels.count(ENGINE_LABEL)}, model {labels.count(MODEL_LABEL)}, "
            f"template {labels.count(SCAFFOLD_LABEL)}")


def uncovered(suites: list[Suite]) -> int:
    """Return how many criteria got no case (the agent asks a question instead)."""
    return sum(1 for suite in suites for criterion in suite.story.criteria
               if not any(criterion.criterion_id in case.criterion_ids for case in suite.cases))


def asked(suites: list[Suite]) -> int:
    """Return how many criteria carry a question for the product owner."""
    return sum(len({f.criterion_id for f in suite.findings if f.check == "ambiguity"})
               for suite in suites)


def measure(name: str, folder: Path, keys: list[str], reword: bool,
            output: Path | None = None) -> list[Suite]:
    """Run both pipelines on one story set and print the table; return the agent's suites."""
    with tempfile.TemporaryDirectory() as home:
        settings = load_settings(folder, home=Path(home), agent_reword=reword)
        workspace = Workspace(folder, settings)
        stories = load_stories(keys, workspace=folder, settings=settings)
        began = time.perf_counter()
        fixed = [run_fixed(story, settings) for story in stories]
        fixed_seconds = (time.perf_counter() - began) / max(len(stories), 1)
        began = time.perf_counter()
        agent = generate(stories, workspace=folder, settings=settings)
        agent_seconds = (time.perf_counter() - began) / max(len(stories), 1)
        existing = workspace.existing_tests()
        rules = {rule.rule_id for page in workspace.confluence.list_pages()
                 for rule in page.rules}
        glossary = workspace_glossary(workspace.confluence)
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
        for suite in agent:
            (output / f"{suite.story.key}.json").write_text(suite.model_dump_json(indent=1),
                                                            encoding="utf-8")
    left = scorecard("fixed", fixed, existing=existing, known_rule_ids=rules).summary()
    right = scorecard("agent", agent, existing=existing, known_rule_ids=rules).summary()
    criteria = sum(len(story.criteria) for story in stories)
    print(f"\n{name}: {len(stories)} stories, {criteria} criteria (agent: {wording(agent)})")
    print(f"{'metric':34} {'fixed':>8} {'agent':>8}")
    for label, key in ROWS:
        print(f"{label:34} {left[key]:>8} {right[key]:>8}")
    (fixed_words, fixed_share), (agent_words, agent_share) = (
        ungrounded(fixed, glossary), ungrounded(agent, glossary))
    print(f"{'criteria with no case':34} {uncovered(fixed):>8} {uncovered(agent):>8}")
    print(f"{'criteria with a question':34} {asked(fixed):>8} {asked(agent):>8}")
    print(f"{'criteria citing evidence':34} {with_evidence(fixed):>8} {with_evidence(agent):>8}")
    print(f"{'ungrounded words (distinct)':34} {fixed_words:>8} {agent_words:>8}")
    print(f"{'ungrounded share of step words':34} {fixed_share:>8.3f} {agent_share:>8.3f}")
    print(f"{'seconds per story':34} {fixed_seconds:>8.2f} {agent_seconds:>8.2f}")
    return agent


def beside_the_humans(agent: list[Suite], folder: Path) -> None:
    """Print a public set's cases beside the humans' scenarios for the same criteria."""
    reference = json.loads((folder / "reference.json").read_text(encoding="utf-8"))
    human_steps, human_data, ours, our_data = [], 0, [], 0
    for suite in agent:
        scenarios = reference[suite.story.key]["scenarios"]
        for scenario in scenarios:
            steps = scenario["steps"]
            human_steps.append(len(steps))
            human_data += any('"' in step or "|" in step for step in steps)
        for case in suite.cases:
            ours.append(len(case.steps) + len(case.preconditions))
            our_data += any(step.data for step in case.steps) or bool(case.preconditions)
    print(f"\nbeside the humans' scenarios: {len(human_steps)} scenarios, "
          f"{sum(human_steps) / len(human_steps):.1f} steps each, {human_data} with quoted or "
          f"tabled data; casewright: {len(ours)} cases, {sum(ours) / max(len(ours), 1):.1f} "
          f"steps and preconditions each, {our_data} with data or set-up of their own")


def main() -> None:
    """Measure the sample, the sample without rule ids and the two dev sets."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reword", action="store_true", help="let the model reword cases")
    parser.add_argument("--dev-stories", type=int, help="dev-set stories to take (seeded)")
    parser.add_argument("--output", type=Path, help="write the agent's suites (JSON) here")
    options = parser.parse_args()
    sample_keys = [s.key for s in load_stories(epic="CC-1")] + \
        [s.key for s in load_stories(epic="CC-2")]
    measure("bundled sample", bundled_sample(), sample_keys, options.reword, options.output)
    measure("sample without rule ids", UNNUMBERED, sample_keys, options.reword)
    dev = [story.key for story in load_stories(workspace=DEVSET)]
    diaspora = [story.key for story in load_stories(workspace=DIASPORA)]
    for name, folder, keys in (
            ("e-petitions dev set", DEVSET, dev),
            ("diaspora dev set, odd stories (read)", DIASPORA, [k for k in diaspora if _odd(k)]),
            ("diaspora dev set, even stories (ten cases read)", DIASPORA,
             [k for k in diaspora if not _odd(k)])):
        if options.dev_stories:
            keys = sorted(random.Random(7).sample(keys, min(options.dev_stories, len(keys))))
        beside_the_humans(measure(name, folder, keys, options.reword, options.output), folder)


def _odd(key: str) -> bool:
    """Whether a diaspora story is in the half read to find what fails (the other, once)."""
    return int(key.rsplit("-", 1)[1]) % 2 == 1


if __name__ == "__main__":
    main()
