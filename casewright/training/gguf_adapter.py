"""LoRA weights as a llama.cpp GGUF adapter, stamped with the base model's hash; and read back.

The layout follows llama.cpp's `convert_lora_to_gguf.py`: `general.type` "adapter",
`adapter.type` "lora", `adapter.lora.alpha`, and per weight `<gguf name>.lora_a` (rank x in)
and `<gguf name>.lora_b` (out x rank), in F32. llama.cpp's converter permutes the rows of
q and k for its rotary embedding (transformers undoes that when it loads a GGUF), so the
adapter's q and k `lora_b` rows get the same permutation.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import gguf
import numpy as np

from casewright.errors import InputError
from casewright.llm.adapter import BASE_SHA256_KEY

ARCHITECTURE = "llama"


@dataclass(frozen=True)
class LoraWeights:
    """A trained LoRA in transformers' naming, with what the GGUF file needs besides.

    `pairs` maps a module name such as "model.layers.0.self_attn.q_proj" to (A, B) with
    A of shape (rank, in) and B of shape (out, rank); the module's update is
    alpha / rank * B @ A.
    """

    pairs: dict[str, tuple[np.ndarray, np.ndarray]]
    alpha: float
    n_layers: int
    n_head: int
    n_head_kv: int
    base_sha256: str


def write_adapter(weights: LoraWeights, path: Path) -> Path:
    """Write weights as a GGUF LoRA adapter at path, atomically, and return path."""
    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.LLAMA, weights.n_layers)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = gguf.GGUFWriter(partial, ARCHITECTURE)
    try:
        writer.add_type(gguf.GGUFType.ADAPTER)
        writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
        writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, weights.alpha)
        writer.add_string(BASE_SHA256_KEY, weights.base_sha256)
        for module, (lora_a, lora_b) in sorted(weights.pairs.items()):
            name = names.get_name(module)
            if name is None:
                raise ValueError(f"no GGUF tensor for the LoRA module {module!r}")
            if name.endswith(".attn_q"):
                lora_b = _rope_permute(lora_b, weights.n_head)
            elif name.endswith(".attn_k"):
                lora_b = _rope_permute(lora_b, weights.n_head_kv)
            writer.add_tensor(f"{name}.weight.lora_a", np.ascontiguousarray(lora_a, np.float32))
            writer.add_tensor(f"{name}.weight.lora_b", np.ascontiguousarray(lora_b, np.float32))
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def read_adapter(path: Path, n_head: int, n_head_kv: int) -> LoraWeights:
    """Return the LoRA of a GGUF adapter in transformers' naming (`write_adapter` undone).

    Raises:
        InputError: the file is no LoRA adapter of a llama-architecture model.
    """
    try:
        reader = gguf.GGUFReader(path)
    except (OSError, ValueError, IndexError) as error:  # IndexError: a file cut short
        raise InputError(f"cannot read the adapter '{path}' ({error})",
                         hint="name a .gguf LoRA adapter that casewright finetune wrote") from None
    fields = {name: field.contents() for name, field in reader.fields.items()}
    if fields.get(gguf.Keys.Adapter.TYPE) != "lora":
        raise InputError(f"'{path}' is not a LoRA adapter",
                         hint="name a .gguf LoRA adapter that casewright finetune wrote")
    n_layers = 1 + max(int(t.name.split(".")[1]) for t in reader.tensors
                       if t.name.startswith("blk."))
    modules = {gguf_name: module for module in _modules(n_layers)
               if (gguf_name := gguf.get_tensor_name_map(gguf.MODEL_ARCH.LLAMA, n_layers)
                   .get_name(module)) is not None}
    halves: dict[str, dict[str, np.ndarray]] = {}
    for tensor in reader.tensors:
        name, _, half = tensor.name.rpartition(".weight.lora_")
        module = modules.get(name)
        if module is None:
            raise InputError(f"'{path}' holds a tensor casewright does not train: {tensor.name}",
                             hint="name a .gguf LoRA adapter that casewright finetune wrote")
        rows = np.array(tensor.data, dtype=np.float32)
        if half == "b" and name.endswith((".attn_q", ".attn_k")):
            rows = _rope_unpermute(rows, n_head if name.endswith(".attn_q") else n_head_kv)
        halves.setdefault(module, {})[half] = rows
    return LoraWeights(pairs={m: (ab["a"], ab["b"]) for m, ab in halves.items()},
                       alpha=float(fields[gguf.Keys.Adapter.LORA_ALPHA]), n_layers=n_layers,
                       n_head=n_head, n_head_kv=n_head_kv,
                       base_sha256=str(fields.get(BASE_SHA256_KEY, "")))


def _modules(n_layers: int) -> list[str]:
    """Return the transformers names of the modules a LoRA of the attention may target."""
    return [f"model.layers.{layer}.{part}" for layer in range(n_layers)
            for part in ("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
                         "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj")]


def _rope_permute(rows: np.ndarray, n_head: int) -> np.ndarray:
    """Reorder rows as llama.cpp's converter does q/k: per head, interleave the two halves."""
    return (rows.reshape(n_head, 2, rows.shape[0] // n_head // 2, *rows.shape[1:])
            .swapaxes(1, 2).reshape(rows.shape))


def _rope_unpermute(rows: np.ndarray, n_head: int) -> np.ndarray:
    """Undo `_rope_permute`."""
    return (rows.reshape(n_head, rows.shape[0] // n_head // 2, 2, *rows.shape[1:])
            .swapaxes(1, 2).reshape(rows.shape))
