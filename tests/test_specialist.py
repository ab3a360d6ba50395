"""Which adapter the local model runs with, and how the shipped specialist's hash is checked.

Adapters here are real GGUF files written by casewright's own writer (no LoRA pairs: only
the metadata the check reads); models are files whose names follow casewright's re-encoding.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from casewright.config import load_settings
from casewright.errors import ConfigError
from casewright.llm.adapter import checked_adapter, reencoded_from
from casewright.llm.specialist import adapter_for, bundled_adapter
from casewright.training.gguf_adapter import LoraWeights, write_adapter

SOURCE_SHA = "ab12" * 16


def adapter(tmp_path: Path, base_sha256: str) -> Path:
    weights = LoraWeights(pairs={}, alpha=16.0, n_layers=30, n_head=9, n_head_kv=3,
                          base_sha256=base_sha256)
    return write_adapter(weights, tmp_path / "a.lora.gguf")


def test_the_specialist_rides_with_the_bundled_model_only(tmp_path: Path) -> None:
    own = tmp_path / "team.gguf"
    assert adapter_for(load_settings()) == bundled_adapter()
    assert adapter_for(load_settings(model_adapter=own)) == own
    assert adapter_for(load_settings(model_path=tmp_path / "big.gguf")) is None
    assert adapter_for(load_settings(model_specialist=False)) is None


def test_an_adapter_stamped_with_the_bundled_file_loads_on_its_reencoding(
        tmp_path: Path) -> None:
    model = tmp_path / f"SmolLM2-135M-Instruct-{SOURCE_SHA[:16]}.Q8_0.gguf"
    model.write_bytes(b"GGUF re-encoded here")
    assert reencoded_from(model) == SOURCE_SHA[:16]
    stamped = adapter(tmp_path, SOURCE_SHA)
    assert checked_adapter(stamped, model) == stamped
    other = tmp_path / f"SmolLM2-135M-Instruct-{'cd34' * 4}.Q8_0.gguf"
    other.write_bytes(b"GGUF another source")
    with pytest.raises(ConfigError, match="was trained on a model with sha256 ab12ab12ab12"):
        checked_adapter(stamped, other)


def test_the_shipped_specialist_was_trained_on_the_bundled_model_and_not_on_eval_projects(
        ) -> None:
    import json

    from casewright.llm.adapter import adapter_base_sha256
    from casewright.llm.gguf import bundled_model_path, file_sha256
    from casewright.llm.specialist import FOLDER, MANIFEST_FILE

    shipped = bundled_adapter()
    assert shipped is not None
    assert adapter_base_sha256(shipped) == file_sha256(bundled_model_path())
    manifest = json.loads((FOLDER / MANIFEST_FILE).read_text(encoding="utf-8"))
    corpus = json.loads((Path(__file__).parent.parent / "benchmarks" / "corpus" /
                         "manifest.json").read_text(encoding="utf-8"))
    evaluated = {r["repo"] for r in corpus["repositories"] if r["split"] == "eval"}
    trained = {r["repo"] for r in corpus["repositories"] if r["split"] == "train"}
    # eval projects added since (the fresh ones, never read) were in no split it trained on
    assert set(manifest["held_out_projects"]) <= evaluated
    assert not set(manifest["held_out_projects"]) & trained
    assert manifest["steps"] == sum(stage["steps"] for stage in manifest["stages"]) == \
        manifest["curve"][-1][0]
