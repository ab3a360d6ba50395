"""Benchmark: the agent against the fixed pipeline on a whole sample epic, on this machine.

Prints, per story and in total: seconds for each pipeline, tokens the model generated, the
decode-bound limit (generated tokens / the decode rate measured here first) and the agent's
time as a ratio of it, then the compare table. Two decode rates are measured: free text, and
JSON under the writer's grammar (what the agent decodes; llama.cpp's grammar sampling costs
per token), so the ratio against the second is the overhead of everything but decoding.
Run: python benchmarks/agent.py [--epic CC-1]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from langchain_core.callbacks import get_usage_metadata_callback

from casewright.agent_session import agent_session
from casewright.agents.fixed_pipeline import run_fixed
from casewright.agents.writer import CaseDraft
from casewright.compare import score_both, table_rows
from casewright.config import load_settings
from casewright.exports import get_exporter
from casewright.llm import load_chat_model
from casewright.tools.workspace import Workspace, bundled_sample

DECODE_TOKENS = 128


def decode_rate(settings) -> float:
    """Return tokens per second of free decoding after a short prompt (the model loaded)."""
    model = load_chat_model(settings).bind(max_tokens=DECODE_TOKENS)
    model.invoke("Say hello.")
    started = time.perf_counter()
    reply = model.invoke("Write a long list of test steps for a payment screen.")
    return reply.usage_metadata["output_tokens"] / (time.perf_counter() - started)


def grammar_decode_rate(settings) -> float:
    """Return tokens per second of decoding a CaseDraft under its grammar, short prompt."""
    model = load_chat_model(settings).with_structured_output(CaseDraft)
    with get_usage_metadata_callback() as usage:
        started = time.perf_counter()
        model.invoke("Write a UAT test case for a payment screen as JSON.")
        seconds = time.perf_counter() - started
    return sum(u["output_tokens"] for u in usage.usage_metadata.values()) / seconds


def main() -> None:
    """Run both pipelines on the epic and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epic", default="CC-1")
    parser.add_argument("--output", type=Path, help="Also write the agent's suites (JSON) here.")
    arguments = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="casewright-bench-"))
    settings = load_settings(bundled_sample(), home=home)
    workspace = Workspace(bundled_sample(), settings, approved=home / "approved")
    stories = workspace.jira.epic_stories(arguments.epic)
    rate, grammar_rate = decode_rate(settings), grammar_decode_rate(settings)
    print(f"decode rate: {rate:.1f} tok/s free text ({DECODE_TOKENS} tokens), "
          f"{grammar_rate:.1f} tok/s under the CaseDraft grammar")
    fixed, agent, rows = [], [], []
    with agent_session(workspace, settings, home / "state", lambda line: None) as write:
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
                         agent_seconds, generated, generated / rate))
    print(f"\n{'story':<8} {'criteria':>8} {'cases':>6} {'fixed s':>8} {'agent s':>8} "
          f"{'tokens':>7} {'decode s':>9} {'ratio':>6}")
    for key, criteria, cases, fixed_s, agent_s, tokens, bound in rows:
        print(f"{key:<8} {criteria:>8} {cases:>6} {fixed_s:>8.3f} {agent_s:>8.1f} {tokens:>7} "
              f"{bound:>9.1f} {agent_s / bound:>6.2f}")
    total_agent = sum(row[4] for row in rows)
    total_bound = sum(row[6] for row in rows)
    print(f"{'total':<8} {sum(r[1] for r in rows):>8} {sum(r[2] for r in rows):>6} "
          f"{sum(r[3] for r in rows):>8.3f} {total_agent:>8.1f} {sum(r[5] for r in rows):>7} "
          f"{total_bound:>9.1f} {total_agent / total_bound:>6.2f}")
    grammar_bound = sum(row[5] for row in rows) / grammar_rate
    print(f"ratio to the decode-bound limit at the grammar rate: "
          f"{total_agent / grammar_bound:.2f} ({grammar_bound:.1f} s of decoding)")
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
