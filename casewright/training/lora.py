"""LoRA training of a GGUF chat model on CPU: a small loop with progress, checkpoints, resume.

transformers dequantises the GGUF to float32 and PEFT adds LoRA layers to the target
projections. Each step trains on one chat, with the loss on the assistant's tokens only, as
the model's own chat template lays them out; the output layer runs on those tokens only.
Every `checkpoint_every` steps the LoRA weights, the optimizer state and the step go to one
file, written then renamed: an interrupted run (Ctrl-C) keeps its last checkpoint, and the
next call with the same folder resumes from it.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from casewright.errors import ConfigError, InputError
from casewright.llm.gguf import file_sha256
from casewright.llm.runtime import machine_threads
from casewright.training.gguf_adapter import LoraWeights

if TYPE_CHECKING:
    import torch
    from transformers import PreTrainedModel, PreTrainedTokenizerBase

Chat = Sequence[Mapping[str, str]]
"""Messages as {"role": "system" | "user" | "assistant", "content": ...}."""

CHECKPOINT = "checkpoint.pt"
LOSS_WINDOW = 50
"""Steps the reported mean loss averages: one step's loss is noisy at batch size 1."""
IGNORE = -100
"""The label of a token the loss skips."""


@dataclass(frozen=True)
class TrainSettings:
    """What shapes the adapter; a checkpoint resumes only under the same values."""

    rank: int = 8
    alpha: float = 16.0
    learning_rate: float = 2e-4
    targets: tuple[str, ...] = ("q_proj", "k_proj", "v_proj", "o_proj")
    max_tokens: int = 2048
    seed: int = 0


@dataclass(frozen=True)
class Progress:
    """One finished step; seconds count from the start of this call, not of the run."""

    step: int
    total: int
    loss: float
    seconds: float
    steps_here: int = 1
    """Steps this call has run (a resumed run started at a later step)."""
    mean_loss: float = float("nan")
    window: int = 1
    """How many recent steps `mean_loss` averages."""


@dataclass(frozen=True)
class TrainResult:
    """Where training stopped: the step reached, its loss, and the checkpoint holding it.

    Seconds count the training of every call of a resumed run, not only the last.
    """

    step: int
    total: int
    loss: float
    seconds: float
    checkpoint: Path
    curve: tuple[tuple[int, float], ...] = ()
    """(step, mean loss of the LOSS_WINDOW steps up to it), over the whole run, resumed or not."""


@dataclass(frozen=True)
class Base:
    """A GGUF model dequantised into transformers, its tokenizer, and the file's SHA-256."""

    model: PreTrainedModel
    tokenizer: PreTrainedTokenizerBase
    sha256: str


def load_base(path: Path, threads: int | None = None) -> Base:
    """Load a llama-architecture GGUF into transformers as float32; set torch's threads."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.set_num_threads(threads or machine_threads())
    try:
        tokenizer = AutoTokenizer.from_pretrained(path.parent, gguf_file=path.name)
        model = AutoModelForCausalLM.from_pretrained(path.parent, gguf_file=path.name,
                                                     dtype=torch.float32)
    except (ValueError, KeyError, OSError) as error:  # an architecture it cannot read
        raise ConfigError(f"transformers cannot load '{path.name}' for training ({error})",
                          hint="fine-tune the bundled model, or a llama-architecture GGUF"
                          ) from None
    if model.config.model_type != "llama":
        raise ConfigError(f"'{path}' is a {model.config.model_type} model; fine-tuning "
                          "supports llama-architecture GGUF files only",
                          hint="fine-tune the bundled model")
    return Base(model=model, tokenizer=tokenizer, sha256=file_sha256(path))


def encode_chat(tokenizer: PreTrainedTokenizerBase, chat: Chat,
                max_tokens: int) -> tuple[list[int], list[int]]:
    """Return a chat's token ids and labels: IGNORE but on the assistant turns' tokens."""
    ids: list[int] = []
    labels: list[int] = []
    for end, message in enumerate(chat):
        if message["role"] != "assistant":
            continue
        prompt = _tokens(tokenizer, chat[:end], generation_prompt=True)
        full = _tokens(tokenizer, chat[:end + 1], generation_prompt=False)
        if prompt[:len(ids)] != ids or full[:len(prompt)] != prompt:
            raise ConfigError("the model's chat template does not tokenize a chat as the "
                              "sum of its turns", hint="fine-tune the bundled model")
        labels += [IGNORE] * (len(prompt) - len(ids)) + full[len(prompt):]
        ids = full
    if all(label == IGNORE for label in labels[:max_tokens]):
        raise InputError(f"a training chat has no assistant tokens in its first {max_tokens}",
                         hint="end each chat with an assistant message, or shorten it")
    return ids[:max_tokens], labels[:max_tokens]


def train(base: Base, chats: Sequence[Chat], out_dir: Path,
          settings: TrainSettings = TrainSettings(), *, epochs: int = 1,
          max_steps: int | None = None, checkpoint_every: int = 50,
          on_progress: Callable[[Progress], None] | None = None,
          start: LoraWeights | None = None) -> TrainResult:
    """Train a LoRA on chats, one per step, resuming from out_dir's checkpoint if it has one.

    Runs max_steps steps if given, else epochs passes over the chats, each pass in its own
    seeded order. The LoRA layers are added to base.model in place and stay active. A new
    run starts from `start`'s weights if given (an adapter trained further), else from
    PEFT's initialisation.

    Raises:
        InputError: no chats, or one without assistant tokens.
        ConfigError: out_dir's checkpoint was made with other settings, chats or base model.
    """
    import torch
    from peft import LoraConfig, inject_adapter_in_model

    if not chats:
        raise InputError("no training chats", hint="give at least one chat")
    encode_chat(base.tokenizer, chats[0], settings.max_tokens)  # a bad template fails first
    total = max_steps if max_steps is not None else epochs * len(chats)
    torch.manual_seed(settings.seed)
    model = base.model.requires_grad_(False)
    inject_adapter_in_model(LoraConfig(
        # peft annotates lora_alpha as int but only divides it by r: a float alpha works
        r=settings.rank, lora_alpha=settings.alpha,  # type: ignore[arg-type]
        target_modules=list(settings.targets), lora_dropout=0.0), model)
    params = {name: p for name, p in model.named_parameters() if ".lora_" in name}
    optimizer = torch.optim.AdamW(params.values(), lr=settings.learning_rate, weight_decay=0.0)
    config = model.config
    identity = json.dumps({"settings": asdict(settings), "base_sha256": base.sha256,
                           "chats": _digest(chats), "n_layers": config.num_hidden_layers,
                           "n_head": config.num_attention_heads,
                           "n_head_kv": config.num_key_value_heads,
                           **({"start": _weights_digest(start)} if start else {})})
    checkpoint = out_dir / CHECKPOINT
    if start is not None:
        _load_start(start, params, settings)
    step, curve, earlier, loss = _resume(checkpoint, identity, params, optimizer)
    first = step
    model.train()
    started, order, epoch, seconds = time.monotonic(), [], -1, earlier
    recent: deque[float] = deque(maxlen=LOSS_WINDOW)
    while step < total:
        if step // len(chats) != epoch:
            epoch = step // len(chats)
            seeded = torch.Generator().manual_seed(settings.seed + epoch)
            order = torch.randperm(len(chats), generator=seeded).tolist()
        # encoded when its step comes: a corpus of any size costs no time or memory up front
        ids, labels = encode_chat(base.tokenizer, chats[order[step % len(chats)]],
                                  settings.max_tokens)
        loss_tensor = _assistant_loss(model, ids, labels)
        torch.autograd.backward(loss_tensor)
        torch.nn.utils.clip_grad_norm_(params.values(), 1.0)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        step, loss = step + 1, loss_tensor.item()
        seconds = earlier + time.monotonic() - started
        recent.append(loss)
        if step % LOSS_WINDOW == 0:
            curve.append((step, sum(recent) / len(recent)))
        if step % checkpoint_every == 0 or step == total:
            _save(checkpoint, {"step": step, "identity": identity, "optimizer":
                               optimizer.state_dict(), "lora": _detached(params),
                               "curve": curve, "loss": loss, "seconds": seconds})
        if on_progress is not None:
            on_progress(Progress(step, total, loss, time.monotonic() - started, step - first,
                                 sum(recent) / len(recent), len(recent)))
    return TrainResult(step, total, loss, seconds, checkpoint, tuple(curve))


def checkpoint_weights(out_dir: Path) -> LoraWeights:
    """Return the LoRA saved in out_dir's checkpoint, ready for `write_adapter`."""
    import torch

    saved = torch.load(out_dir / CHECKPOINT, weights_only=True)
    identity = json.loads(saved["identity"])
    halves: dict[str, dict[str, np.ndarray]] = {}
    for name, tensor in saved["lora"].items():
        module, rest = name.split(".lora_", 1)
        halves.setdefault(module, {})[rest[0]] = tensor.numpy()
    return LoraWeights(pairs={module: (ab["A"], ab["B"]) for module, ab in halves.items()},
                       alpha=identity["settings"]["alpha"], n_layers=identity["n_layers"],
                       n_head=identity["n_head"], n_head_kv=identity["n_head_kv"],
                       base_sha256=identity["base_sha256"])


def _assistant_loss(model: PreTrainedModel, ids: list[int], labels: list[int]) -> torch.Tensor:
    """Return the mean next-token loss on the labelled tokens, computing only their logits."""
    import torch

    hidden = model.model(input_ids=torch.tensor([ids]), use_cache=False).last_hidden_state[0]
    targets = torch.tensor(labels[1:])
    scored = targets != IGNORE
    logits = model.lm_head(hidden[:-1][scored])
    return torch.nn.functional.cross_entropy(logits, targets[scored])


def _tokens(tokenizer: PreTrainedTokenizerBase, chat: Chat, *,
            generation_prompt: bool) -> list[int]:
    text = tokenizer.apply_chat_template([dict(m) for m in chat], tokenize=False,
                                         add_generation_prompt=generation_prompt)
    tokens: list[int] = tokenizer.encode(text, add_special_tokens=False)
    return tokens


def _digest(chats: Sequence[Chat]) -> str:
    text = json.dumps([[dict(m) for m in chat] for chat in chats], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _load_start(start: LoraWeights, params: Mapping[str, torch.Tensor],
                settings: TrainSettings) -> None:
    """Copy a trained adapter's A and B into the fresh LoRA parameters."""
    import torch

    if start.alpha != settings.alpha or any(a.shape[0] != settings.rank
                                            for a, _ in start.pairs.values()):
        raise ConfigError(f"the adapter to start from has rank {_rank(start)} and alpha "
                          f"{start.alpha:g}; this run's are {settings.rank} and "
                          f"{settings.alpha:g}", hint=f"train with --rank {_rank(start)}")
    filled = set()
    with torch.no_grad():
        for name, param in params.items():
            module, rest = name.split(".lora_", 1)
            if module in start.pairs:
                param.copy_(torch.from_numpy(start.pairs[module][0 if rest[0] == "A" else 1]))
                filled.add(module)
    if filled != set(start.pairs):
        raise ConfigError("the adapter to start from targets other modules than this run "
                          f"({len(start.pairs)} against {len(filled)})",
                          hint="start from an adapter casewright finetune wrote for this model")


def _rank(weights: LoraWeights) -> int:
    return int(next(iter(weights.pairs.values()))[0].shape[0])


def _weights_digest(weights: LoraWeights) -> str:
    digest = hashlib.sha256()
    for module, (lora_a, lora_b) in sorted(weights.pairs.items()):
        digest.update(module.encode())
        digest.update(lora_a.tobytes())
        digest.update(lora_b.tobytes())
    return digest.hexdigest()


def _detached(params: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    return {name: p.detach().clone() for name, p in params.items()}


def _resume(checkpoint: Path, identity: str, params: Mapping[str, torch.Tensor],
            optimizer: torch.optim.Optimizer) -> tuple[int, list[tuple[int, float]], float,
                                                       float]:
    """Load checkpoint into params and optimizer if it exists.

    Returns its step, loss curve, training seconds so far and last loss (NaN where unknown).
    """
    import torch

    if not checkpoint.is_file():
        return 0, [], 0.0, float("nan")
    saved = torch.load(checkpoint, weights_only=True)
    if saved["identity"] != identity:
        raise ConfigError(f"'{checkpoint}' was trained with other settings, chats or base model",
                          hint="use another output folder, or delete the checkpoint to start "
                          "over")
    with torch.no_grad():
        for name, value in saved["lora"].items():
            params[name].copy_(value)
    optimizer.load_state_dict(saved["optimizer"])
    return (int(saved["step"]), [(int(a), float(b)) for a, b in saved.get("curve", [])],
            float(saved.get("seconds", 0.0)), float(saved.get("loss", float("nan"))))


def _save(checkpoint: Path, state: dict[str, Any]) -> None:
    """Write state to checkpoint through a temporary file, so a Ctrl-C leaves the old one."""
    import torch

    partial = checkpoint.with_name(f".{checkpoint.name}.{os.getpid()}.partial")
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    try:
        torch.save(state, partial)
        partial.replace(checkpoint)
    finally:
        partial.unlink(missing_ok=True)
