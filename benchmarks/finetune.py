"""Print what fine-tuning costs on 2 cores and what it changes, on held-out human-written cases.

The examples are the writer's own chat (`casewright.training.examples`): the engine's case for
a criterion in the task, a person's case as the answer. Two sources:
- the bundled sample's test cases that trace to its stories (4);
- the e-petitions dev set: each human Cucumber scenario (MIT, `reference.json`) as a case for
  the criterion its title became (Given -> preconditions, When -> actions, Then -> expected).
A fifth are held out (seeded). The bundled model answers the held-out prompts, a LoRA trains on
the rest for `--max-steps` steps, and the model answers again with the adapter. Printed:
training examples per second, minutes for 300 examples, and the before/after table.

    python benchmarks/finetune.py                    # 40 steps, 10 held-out answers each side
    python benchmarks/finetune.py --max-steps 300 --eval 30
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

from casewright.config import load_settings
from casewright.llm.factory import local_model_path
from casewright.models import Step, TestCase
from casewright.tools.workspace import Workspace, bundled_sample
from casewright.training import lora
from casewright.training.evaluation import TABLE_HEAD
from casewright.training.examples import Example, case_examples, held_out
from casewright.training.finetune import held_out_scores
from casewright.training.gguf_adapter import write_adapter

DEVSET = Path(__file__).parent / "devsets" / "e-petitions"
_KEYWORD = re.compile(r"^(Given|When|Then|And|But)\s+")


def scenario_case(key: str, number: int, steps: list[str]) -> TestCase:
    """Return a human scenario as a case of criterion AC<number> of story `key`."""
    preconditions: list[str] = []
    actions: list[Step] = []
    section = "Given"
    for line in steps:
        keyword = _KEYWORD.match(line)
        section = keyword[1] if keyword and keyword[1] in {"Given", "When", "Then"} else section
        text = _KEYWORD.sub("", line).strip()
        if section == "Given":
            preconditions.append(text)
        elif section == "When" or not actions:
            actions.append(Step(action=text, expected=""))
        else:
            last = actions[-1]
            expected = f"{last.expected}; {text}" if last.expected else text
            actions[-1] = last.model_copy(update={"expected": expected})
    return TestCase(case_id=f"{key}-H{number:02d}", title=steps[0][:60], objective="",
                    steps=actions or [Step(action="Open the service", expected="")],
                    preconditions=preconditions, story_key=key,
                    criterion_ids=[f"AC{number}"])


def dev_examples() -> list[Example]:
    """Return the dev set's human scenarios as examples."""
    workspace = Workspace(DEVSET, load_settings(DEVSET))
    reference = json.loads((DEVSET / "reference.json").read_text(encoding="utf-8"))
    cases = [scenario_case(key, number, scenario["steps"])
             for key, feature in reference.items()
             for number, scenario in enumerate(feature["scenarios"], start=1)
             if scenario["steps"]]
    return case_examples(workspace, cases)


def main() -> None:
    """Train on the examples and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-steps", type=int, default=40, help="training steps")
    parser.add_argument("--eval", type=int, default=10, help="held-out answers each side")
    options = parser.parse_args()
    sample = Workspace(bundled_sample(), load_settings(bundled_sample()))
    examples = case_examples(sample, sample.existing_tests()) + dev_examples()
    training, kept_out = held_out(examples)
    kept_out = kept_out[:options.eval]
    settings = sample.settings
    base_path = local_model_path(settings)
    print(f"examples: {len(examples)} ({len(training)} training, {len(kept_out)} held out "
          "answered)", file=sys.stderr)

    def say(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    before = held_out_scores(settings, base_path, None, kept_out, "before", say)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        base = lora.load_base(base_path)
        loaded = time.perf_counter() - started
        result = lora.train(base, [e.chat() for e in training], Path(folder),
                            max_steps=options.max_steps, checkpoint_every=options.max_steps,
                            on_progress=lambda p: say(f"step {p.step}/{p.total} loss "
                                                      f"{p.loss:.3f} {p.seconds:.0f} s"))
        adapter = write_adapter(lora.checkpoint_weights(Path(folder)),
                                Path(folder) / "bench.lora.gguf")
        after = held_out_scores(settings, base_path, adapter, kept_out, "after", say)
    rate = result.step / result.seconds
    print(f"base model loaded into transformers in {loaded:.1f} s")
    print(f"training: {result.step} steps (one example each) in {result.seconds:.0f} s: "
          f"{rate:.3f} examples/s; 300 examples (one epoch) take {300 / rate / 60:.0f} min; "
          f"final loss {result.loss:.3f}")
    print(TABLE_HEAD)
    print(before.row("bundled SmolLM2-135M"))
    print(after.row(f"+ adapter ({result.step} steps)"))


if __name__ == "__main__":
    main()
