"""`casewright finetune`: examples in the writer's chat, bad input, adapters checked by hash.

The slow test trains a real LoRA (PEFT on the bundled model dequantised by transformers) for a
few steps on CPU, writes it as a GGUF adapter and has the real llama.cpp apply it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from casewright.config import load_settings
from casewright.errors import ConfigError, InputError
from casewright.llm.adapter import adapter_base_sha256, checked_adapter
from casewright.llm.gguf import bundled_model_path
from casewright.tools.workspace import Workspace, bundled_sample
from casewright.training import finetune as finetune_module
from casewright.training.evaluation import chrf
from casewright.training.examples import (
    MIN_EXAMPLES,
    Example,
    case_examples,
    held_out,
    read_jsonl,
)
from casewright.training.finetune import FinetuneRequest, finetune
from casewright.training.gguf_adapter import LoraWeights, read_adapter, write_adapter


def sample_examples() -> list[Example]:
    """The sample's own test cases that trace to one of its stories, in the writer's chat."""
    sample = Workspace(bundled_sample(), load_settings(bundled_sample()))
    return case_examples(sample, sample.existing_tests())


def test_an_example_is_the_writers_own_chat_with_the_teams_case_as_answer() -> None:
    """System text, story and guide, then the task showing the engine's case; the team's case
    (its preconditions and steps only) is the answer."""
    examples = sample_examples()
    assert {e.case_id for e in examples} == {
        "CC-101-TC01", "CC-101-TC02", "CC-101-TC03", "CC-101-TC04", "CC-102-TC01",
        "CC-201-TC01", "CC-201-TC02", "CC-201-TC03", "CC-201-TC04",
        "CC-202-TC01"}  # the others' stories are elsewhere
    first = next(e for e in examples if e.case_id == "CC-101-TC01")
    assert [m.role for m in first.messages] == ["system", "user", "assistant"]
    assert "<story>" in first.messages[0].content and "CC-101" in first.messages[0].content
    assert first.messages[1].content.startswith("Task: reword this")
    answer = json.loads(first.answer())
    assert set(answer) == {"preconditions", "steps"}
    assert answer["steps"][0]["action"] == "Open account 40231177 and pass ID&V"
    assert first.engine is not None and first.engine.criterion_ids == ["AC1"]


def test_bad_jsonl_lines_and_too_few_examples_are_named(tmp_path: Path) -> None:
    """One line naming the file and line number; the count needed when there are too few."""
    good = json.dumps({"messages": [{"role": "user", "content": "Write a case"},
                                    {"role": "assistant", "content": "{}"}]})
    path = tmp_path / "cases.jsonl"
    path.write_text(f"{good}\n\n{json.dumps({'text': 'hello'})}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"cases.jsonl:3: not a chat record \(messages"):
        read_jsonl(path)
    path.write_text(json.dumps({"messages": [{"role": "user", "content": "a"},
                                             {"role": "user", "content": "b"}]}) + "\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match="cases.jsonl:1: the chat does not end with an "
                                         "assistant answer"):
        read_jsonl(path)
    with pytest.raises(InputError, match=f"4 training examples; fine-tuning needs at least "
                                         f"{MIN_EXAMPLES}"):
        held_out(sample_examples()[:4])
    training, kept_out = held_out(sample_examples()[:4] * 3)
    assert (len(training), len(kept_out)) == (10, 2)


def test_without_the_training_packages_the_command_says_what_to_install(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """No traceback: which packages are missing, and the extra that brings them."""
    monkeypatch.setattr(finetune_module, "find_spec",
                        lambda name: None if name == "peft" else object())
    sample = Workspace(bundled_sample(), load_settings(bundled_sample()))
    with pytest.raises(ConfigError, match="fine-tuning needs peft, not installed") as raised:
        finetune(FinetuneRequest(), sample, sample.settings, lambda line: None)
    assert "casewright[finetune]" in (raised.value.hint or "")


def test_an_adapter_trained_on_another_model_is_refused_by_hash(tmp_path: Path) -> None:
    """The adapter records its base's SHA-256; on any other file it is refused, naming both."""
    rng = np.random.default_rng(0)
    weights = LoraWeights(
        pairs={"model.layers.0.self_attn.q_proj": (rng.normal(size=(2, 576)),
                                                   rng.normal(size=(576, 2)))},
        alpha=4.0, n_layers=30, n_head=9, n_head_kv=3, base_sha256="0" * 64)
    adapter = write_adapter(weights, tmp_path / "other.lora.gguf")
    assert adapter_base_sha256(adapter) == "0" * 64
    with pytest.raises(ConfigError, match=r"'other.lora.gguf' was trained on a model with "
                                          r"sha256 000000000000, not on 'SmolLM2"):
        checked_adapter(adapter, bundled_model_path())
    with pytest.raises(ConfigError, match="no file at"):
        checked_adapter(tmp_path / "missing.gguf", bundled_model_path())


def test_an_adapter_reads_back_as_the_weights_it_was_written_from(tmp_path: Path) -> None:
    """`read_adapter` undoes `write_adapter`, the rotary permutation of q and k included, so
    an adapter (the shipped specialist) can be trained further."""
    rng = np.random.default_rng(1)
    pairs = {f"model.layers.{layer}.self_attn.{part}": (rng.normal(size=(2, 576)),
                                                       rng.normal(size=(out, 2)))
             for layer in (0, 3) for part, out in (("q_proj", 576), ("k_proj", 192),
                                                   ("v_proj", 192))}
    weights = LoraWeights(pairs=pairs, alpha=4.0, n_layers=30, n_head=9, n_head_kv=3,
                          base_sha256="ab" * 32)
    back = read_adapter(write_adapter(weights, tmp_path / "a.lora.gguf"), 9, 3)
    assert (back.alpha, back.base_sha256, sorted(back.pairs)) == (4.0, "ab" * 32, sorted(pairs))
    for module, (lora_a, lora_b) in pairs.items():
        np.testing.assert_allclose(back.pairs[module][0], lora_a, rtol=1e-6)
        np.testing.assert_allclose(back.pairs[module][1], lora_b, rtol=1e-6)
    with pytest.raises(InputError, match="is not a LoRA adapter"):
        read_adapter(bundled_model_path(), 9, 3)
    (tmp_path / "cut.gguf").write_bytes(bundled_model_path().read_bytes()[:1 << 20])
    with pytest.raises(InputError, match="cannot read the adapter"):
        read_adapter(tmp_path / "cut.gguf", 9, 3)


def test_a_model_transformers_cannot_read_is_one_line(tmp_path: Path) -> None:
    """A GGUF of an architecture transformers does not support: a ConfigError naming why."""
    import gguf

    from casewright.training.lora import load_base

    writer = gguf.GGUFWriter(tmp_path / "mamba.gguf", "mamba")
    writer.add_tensor("token_embd.weight", np.zeros((4, 4), np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    with pytest.raises(ConfigError, match="transformers cannot load 'mamba.gguf' for training"):
        load_base(tmp_path / "mamba.gguf", threads=1)


def test_chrf_scores_character_overlap() -> None:
    """Identical text scores 100, nothing in common 0, a near copy in between."""
    assert chrf("Open the account", "Open the account") == pytest.approx(100.0)
    assert chrf("xyz", "abc") == 0.0
    assert 50 < chrf("Open the account page", "Open the account") < 100


@pytest.mark.slow
def test_a_tiny_finetune_is_an_adapter_llama_cpp_applies_and_provenance_names(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three steps of real LoRA training on the sample's examples (as JSONL too), then the
    adapter file is written, llama.cpp loads it, the model's next-token logits on a training
    prompt move, and a suite's provenance names the adapter and its hash."""
    from casewright.assembly import model_provenance
    from casewright.llm import load_chat_model
    from casewright.llm.chat_model import chat_tokens

    jsonl = tmp_path / "more.jsonl"
    examples = sample_examples()
    jsonl.write_text("".join(json.dumps({"messages": e.chat()}) + "\n" for e in examples),
                     encoding="utf-8")
    sample = Workspace(bundled_sample(), load_settings(bundled_sample()))
    lines: list[str] = []
    result = finetune(FinetuneRequest(jsonl=[jsonl], max_steps=3, evaluate=False,
                                      output=tmp_path / "team.lora.gguf"),
                      sample, sample.settings, lines.append)
    assert result.adapter.is_file() and result.steps == 3
    assert any(line.startswith("step 3/3: loss") for line in lines)
    again = finetune(FinetuneRequest(jsonl=[jsonl], max_steps=3, evaluate=False,
                                     output=tmp_path / "team.lora.gguf"),
                     sample, sample.settings, lambda _: None)
    assert (again.steps, again.loss) == (3, result.loss), "finished in an earlier call"
    assert again.seconds == result.seconds > 0, "seconds count every call's training"

    def last_logits(adapter: Path | None) -> np.ndarray:
        settings = sample.settings.model_copy(update={"model_adapter": adapter,
                                                      "model_context": 2048})
        model = load_chat_model(settings)
        llama = model.loaded().llama  # type: ignore[attr-defined]
        llama.reset()
        llama.eval(chat_tokens(llama, examples[0].prompt())[:1500])
        return np.ctypeslib.as_array(llama._ctx.get_logits(), shape=(llama.n_vocab(),)).copy()

    moved = np.abs(last_logits(result.adapter) - last_logits(None)).max()
    assert moved > 1e-3
    tuned = load_chat_model(sample.settings.model_copy(update={"model_adapter": result.adapter}))
    provenance = model_provenance(tuned, sample.settings)
    assert provenance["model_adapter"] == "team.lora.gguf"
    assert isinstance(provenance["model_adapter_sha256"], str)


@pytest.mark.slow
def test_the_shipped_specialist_is_trained_further_from_its_own_weights(tmp_path: Path) -> None:
    """`--start-from` the shipped adapter: one step moves its weights a little (a fresh
    adapter's B starts at zero), and the manifest names the adapter it started from."""
    from casewright.llm.specialist import bundled_adapter

    sample = Workspace(bundled_sample(), load_settings(bundled_sample()))
    runs = {}
    shipped_path = bundled_adapter()
    assert shipped_path is not None
    for name, start in (("fresh", None), ("further", shipped_path)):
        result = finetune(FinetuneRequest(max_steps=1, evaluate=False, start=start,
                                          output=tmp_path / f"{name}.lora.gguf"),
                          sample, sample.settings, lambda _: None)
        runs[name] = result
    assert runs["further"].started_from.startswith("specialist.lora.gguf (")
    assert runs["fresh"].started_from == ""
    further = read_adapter(runs["further"].adapter, 9, 3)
    shipped = read_adapter(shipped_path, 9, 3)
    moved = max(float(np.abs(further.pairs[m][1] - shipped.pairs[m][1]).max())
                for m in shipped.pairs)
    assert 0 < moved < 0.05, "one step moves the shipped weights a little, not from zero"


@pytest.mark.slow
def test_the_bundled_sample_finetunes_out_of_the_box(tmp_path: Path) -> None:
    """The README's first try: `casewright finetune --max-steps 4 -o a.gguf` in an empty
    folder (so on the bundled sample) with a fresh home exits 0 and writes the adapter."""
    result = subprocess.run([sys.executable, "-m", "casewright", "finetune", "--max-steps", "4",
                             "-o", "a.gguf"], cwd=tmp_path, capture_output=True, text=True,
                            timeout=1200, check=False,
                            env={**os.environ, "CASEWRIGHT_HOME": str(tmp_path / "home")})
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "a.gguf").stat().st_size > 0
    assert "adapter: a.gguf" in result.stdout, result.stdout
    assert "trained: 4 steps on 8 examples" in result.stdout
