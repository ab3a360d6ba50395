"""The dense embedder: ONNX Runtime gives sentence-transformers' vectors, from a safe cache.

The ONNX export is made once per test session in pytest's cache folder and passed explicitly:
tests/conftest.py gives every test a fresh CASEWRIGHT_HOME, where the embedder would otherwise
export the model again for each test.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from casewright.memory.embedders import OnnxMiniLM
from casewright.memory.onnx_export import cached_onnx, model_folder, weights_hash

pytestmark = pytest.mark.slow

TEXTS = [
    "payment extension limit",
    "BR-1: A payment extension can move the due date by at most 30 calendar days from the "
    "original due date.",
    "Given the caller has passed ID&V When the agent clicks Enter card details Then call "
    "recording pauses",
    "ok",
    " ".join(["The customer must be told of any change to the direct debit amount."] * 40),
]


@pytest.fixture(scope="module")
def onnx_home(pytestconfig: pytest.Config) -> Path:
    return pytestconfig.cache.mkdir("casewright-memory-home")


def test_onnx_vectors_are_the_sentence_transformers_vectors(onnx_home: Path) -> None:
    from sentence_transformers import SentenceTransformer

    onnx = OnnxMiniLM(onnx_home / "cache").embed(TEXTS)
    torch_vectors = SentenceTransformer(str(model_folder()), device="cpu").encode(
        TEXTS, normalize_embeddings=True)
    assert onnx.shape == (5, 384)
    np.testing.assert_allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-5)
    cosines = (onnx * torch_vectors).sum(axis=1)
    assert cosines.min() > 0.999, cosines


def test_an_interrupted_export_leaves_no_cache_behind(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    real_export = torch.onnx.export

    def crash_midway(*args: object, **kwargs: object) -> None:
        Path(str(args[2])).write_bytes(b"half an onnx file")
        raise KeyboardInterrupt

    monkeypatch.setattr(torch.onnx, "export", crash_midway)
    with pytest.raises(KeyboardInterrupt):
        cached_onnx(model_folder(), tmp_path)
    assert list((tmp_path / "onnx").iterdir()) == []

    monkeypatch.setattr(torch.onnx, "export", real_export)
    vector = OnnxMiniLM(tmp_path).embed(["payment extension limit"])
    assert vector.shape == (1, 384)
    exported = f"all-MiniLM-L6-v2-{weights_hash(model_folder())}.onnx"
    assert [path.name for path in (tmp_path / "onnx").iterdir()] == [exported]
