"""llama.cpp with and without its extra buffer types, side by side (prints figures; not a test).

llama.cpp repacks weights into extra CPU buffer types unless told not to; on AMX CPUs that
crashes (casewright.llm.cpu). This measures what turning them off costs where both work:
the bundled model (Q8_0, as casewright runs it) is loaded both ways in one process and the
same calls alternate between the two, so a noisy machine slows both alike. Per round: decode
of a 160-token free reply (prompt cached), and a cold evaluation of a ~600-token prompt.

Run alone (two llama.cpp workloads on 2 cores slow each other several times over):
    python benchmarks/extra_buffers.py [--rounds 5] [--threads N]
"""

from __future__ import annotations

import argparse
import statistics
import time

import llama_cpp

from casewright.config import load_settings
from casewright.llm import LlamaCppChatModel
from casewright.llm.cpu import system_info, uses_amx
from casewright.llm.factory import local_model_path
from casewright.llm.runtime import machine_threads

WRITE = "Describe, in a long paragraph, how a tester checks that a payment extension is saved."
PADDING = " ".join(f"Rule BR-{n}: an extension of {n} days needs a reason code." for n in range(40))


def decode_rate(model: LlamaCppChatModel) -> float:
    """Return decode tokens/s for a reply whose prompt is already cached."""
    model.invoke(WRITE, max_tokens=160)
    started = time.perf_counter()
    reply = model.invoke(WRITE, max_tokens=160)
    return reply.usage_metadata["output_tokens"] / (time.perf_counter() - started)


def prompt_rate(model: LlamaCppChatModel, salt: int) -> float:
    """Return llama.cpp's prompt-eval tokens/s for a cold ~600-token prompt."""
    context = model.loaded().llama.ctx
    llama_cpp.llama_perf_context_reset(context)
    model.invoke(f"Case {salt}. {PADDING}\nName the first rule.", max_tokens=4)
    counters = llama_cpp.llama_perf_context(context)
    return float(counters.n_p_eval / (counters.t_p_eval_ms / 1000))


def main() -> None:
    """Measure both settings, alternating, and print medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=machine_threads())
    args = parser.parse_args()
    path = local_model_path(load_settings())
    if uses_amx(system_info()):
        raise SystemExit("llama.cpp uses AMX here: extra buffers would crash it; no comparison")
    models = {setting: LlamaCppChatModel(model_path=path, n_threads=args.threads,
                                         extra_buffers=setting == "on", n_ctx=2048)
              for setting in ("on", "off")}
    figures: dict[str, dict[str, list[float]]] = {s: {"decode": [], "prompt": []} for s in models}
    for model in models.values():
        model.loaded()
    for round_number in range(args.rounds):
        for setting, model in models.items():
            figures[setting]["decode"].append(decode_rate(model))
            figures[setting]["prompt"].append(prompt_rate(model, round_number))
    print(f"model    {path.name}, {args.threads} threads, {args.rounds} rounds alternating")
    print(f"cpu      {system_info().strip()}")
    for measure in ("decode", "prompt"):
        on = statistics.median(figures["on"][measure])
        off = statistics.median(figures["off"][measure])
        print(f"{measure:<8} on {on:7.1f} tok/s   off {off:7.1f} tok/s   off/on {off / on:5.2f}")


if __name__ == "__main__":
    main()
