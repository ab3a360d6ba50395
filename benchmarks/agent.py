"""Benchmark: the agent against the fixed pipeline on a whole sample epic, on this machine.

Prints, per story and in total: seconds for each pipeline, tokens the model generated, the
decode-bound limit (generated tokens / a measured decode rate) and the agent's time as a ratio
of it, then the compare table. Three decode rates are measured before and after the run (this
machine is noisy; the limit uses their mean): free text after a short prompt (the plain
limit), free text after a prompt as long as the writer's (every writer call decodes with the
story, its rules and exemplars in context, and attention over them costs per token), and JSON
under the writer's grammar. The ratio against the second is what prompt evaluation and
everything else add to the decoding the agent cannot avoid; the writer decodes a round's
cases together (casewright.llm.batching), which can bring it below 1. The model rewords the
engine's cases here (agent_reword on), since that is the model's work being measured.
Run: python benchmarks/agent.py [--epic CC-1] [--stories CC-101,CC-102]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from langchain_core.callbacks import get_usage_metadata_callback

from casewright.agents.fixed_pipeline import run_fixed
from casewright.agents.writer import CaseDraft
from casewright.assembly import open_agent
from casewright.compare import score_both, table_rows
from casewright.config import load_settings
from casewright.exports import get_exporter
from casewright.llm import load_chat_model
from casewright.tools.workspace import Workspace, bundled_sample

DECODE_TOKENS = 128
CONTEXT_TOKENS = 1500
"""About the length of a writer prompt: story, rules, two exemplars, guide, task."""
REPEATS = 3


def decode_rate(settings, context: str = "") -> float:
    """Return tokens per second of free decoding, after a short prompt or after context.

    The prompt is evaluated by a first one-token call, so the timed call only decodes.
    """
    model = load_chat_model(settings)
    prompt = f"{context}\n\nWrite a long list of test steps for a payment screen."
    model.bind(max_tokens=1).invoke(prompt)
    started = time.perf_counter()
    reply = model.bind(max_tokens=DECODE_TOKENS).invoke(prompt)
    return reply.usage_metadata["output_tokens"] / (time.perf_counter() - started)


def writer_sized_context(workspace: Workspace, settings) -> str:
    """Return the sample's rule pages, cut to about CONTEXT_TOKENS tokens of the model."""
    text = "\n".join(page.text for page in workspace.confluence.list_pages())
    llama = load_chat_model(settings).loaded().llama
    return llama.detokenize(llama.tokenize(text.encode())[:CONTEXT_TOKENS]).decode(
        errors="ignore")


def grammar_decode_rate(settings) -> float:
    """Return tokens per second of decoding a CaseDraft under its grammar, short prompt."""
    model = load_chat_model(settings).with_structured_output(CaseDraft)
    with get_usage_metadata_callback() as usage:
        started = time.perf_counter()
        model.invoke("Write a UAT test case for a payment screen as JSON.")
        seconds = time.perf_counter() - started
    return sum(u["output_tokens"] for u in usage.usage_metadata.values()) / seconds


class Rates(NamedTuple):
    """Decode rates in tokens per second: each the median of REPEATS measurements."""

    short: float
    context: float
    grammar: float

    def line(self, when: str) -> str:
        """Return the rates as one printed line."""
        return (f"decode rate {when} ({DECODE_TOKENS} tokens): {self.short:.1f} tok/s free text "
                f"after a short prompt, {self.context:.1f} after {CONTEXT_TOKENS} tokens of "
                f"context, {self.grammar:.1f} under the CaseDraft grammar")


def measure_rates(settings, context: str) -> Rates:
    """Measure the three decode rates, REPEATS times each, and keep the medians."""
    return Rates(*(statistics.median(measure() for _ in range(REPEATS)) for measure in (
        lambda: decode_rate(settings), lambda: decode_rate(settings, context),
        lambda: grammar_decode_rate(settings))))


def main() -> None:
    """Run both pipelines on the stories and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epic", default="CC-1")
    parser.add_argument("--stories", help="Comma-separated story keys instead of the epic.")
    parser.add_argument("--output", type=Path, help="Also write the agent's suites (JSON) here.")
    arguments = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="casewright-bench-"))
    settings = load_settings(bundled_sample(), home=home, agent_reword=True)
    workspace = Workspace(bundled_sample(), settings, approved=home / "approved")
    stories = ([workspace.jira.get_story(key) for key in arguments.stories.split(",")]
               if arguments.stories else workspace.jira.epic_stories(arguments.epic))
    context = writer_sized_context(workspace, settings)
    before = measure_rates(settings, context)
    print(before.line("before"))
    fixed, agent, rows = [], [], []
    with open_agent(workspace, settings, home / "state", lambda line: None) as write:
        for story in stories:
            began = time.perf_counter()
            fixed.append(run_fixed(story, settings))
            fixed_seconds = time.perf_counter() - began
            with get_usage_metadata_callback() as usage:
                began = time.perf_counter()
                agent.append(write(story, "bench")[0])
                agent_seconds = time.perf_counter() - began
            generated = sum(u["output_tokens"] for u in usage.usage_metadata.values())
            rows.append((story.key, len(story.criteria), len(agent[-1].cases), fixed_seconds,
                         agent_seconds, generated))
    after = measure_rates(settings, context)
    print(after.line("after "))
    rates = Rates(*((one + two) / 2 for one, two in zip(before, after, strict=True)))
    print(f"\n{'story':<8} {'criteria':>8} {'cases':>6} {'fixed s':>8} {'agent s':>8} "
          f"{'tokens':>7} {'decode s':>9} {'ratio':>6} {'in ctx':>7}")
    total = ("total", *(sum(row[i] for row in rows) for i in range(1, 6)))
    for key, criteria, cases, fixed_s, agent_s, tokens in [*rows, total]:
        tokens = max(tokens, 1)  # a story of vague criteria asks the model nothing
        print(f"{key:<8} {criteria:>8} {cases:>6} {fixed_s:>8.3f} {agent_s:>8.1f} {tokens:>7} "
              f"{tokens / rates.short:>9.1f} {agent_s / (tokens / rates.short):>6.2f} "
              f"{agent_s / (tokens / rates.context):>7.2f}")
    print("ratio: agent seconds / (tokens / the mean free rate after a short prompt); in ctx: "
          "the same at the rate after a writer-sized prompt; under the grammar: "
          f"{total[4] / (max(total[5], 1) / rates.grammar):.2f}")
    if arguments.output is not None:
        arguments.output.mkdir(parents=True, exist_ok=True)
        exporter = get_exporter("json")
        for suite in agent:
            (arguments.output / f"{suite.story.key}.json").write_text(exporter.render(suite))
    fixed_card, agent_card = score_both(fixed, agent, workspace)
    print(f"\n{'metric':<30} {'fixed':>8} {'agent':>8}")
    for label, left, right in table_rows(fixed_card, agent_card):
        print(f"{label:<30} {left:>8} {right:>8}")


if __name__ == "__main__":
    main()
