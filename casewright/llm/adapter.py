"""LoRA adapters for the local model: GGUF files `casewright finetune` writes, checked by hash.

An adapter records the SHA-256 of the GGUF file it was trained on (`casewright.base_sha256`);
llama.cpp would apply it to any model of the same shape, so casewright refuses it on another.
"""

from __future__ import annotations

import re
from pathlib import Path

from casewright.errors import ConfigError
from casewright.llm.gguf import file_sha256

ADAPTER_SETTING = "CASEWRIGHT_MODEL_ADAPTER"
BASE_SHA256_KEY = "casewright.base_sha256"
"""The GGUF metadata key holding the SHA-256 of the base model an adapter was trained on."""


_REENCODED = re.compile(r"-([0-9a-f]{16})\.Q8_0\.gguf$")


def reencoded_from(model: Path) -> str | None:
    """Return the source hash prefix in the name of a model casewright re-encoded, or None."""
    match = _REENCODED.search(model.name)
    return match.group(1) if match else None


def adapter_base_sha256(path: Path) -> str | None:
    """Return the base-model SHA-256 recorded in a GGUF adapter, or None if it has none."""
    import gguf

    try:
        field = gguf.GGUFReader(path).get_field(BASE_SHA256_KEY)
    except (OSError, ValueError) as error:
        raise ConfigError(f"{ADAPTER_SETTING}: cannot read '{path}' as a GGUF adapter ({error})",
                          hint="point it at a file `casewright finetune` wrote, or unset it"
                          ) from None
    return None if field is None else str(field.contents())


def checked_adapter(adapter: Path, model: Path) -> Path:
    """Return the adapter if it was trained on `model`; ConfigError naming both hashes if not.

    A model casewright re-encoded from the bundled one (named by its source's hash) also
    takes adapters stamped with the source's hash: the shipped specialist is, since the
    re-encoding's bytes may differ between llama.cpp versions while its weights do not.
    """
    if not adapter.is_file():
        raise ConfigError(f"{ADAPTER_SETTING}: no file at '{adapter}'",
                          hint="run `casewright finetune`, or unset it")
    trained_on, running = adapter_base_sha256(adapter), file_sha256(model)
    source = reencoded_from(model)
    if trained_on != running and not (source and str(trained_on).startswith(source)):
        raise ConfigError(f"{ADAPTER_SETTING}: '{adapter.name}' was trained on a model with "
                          f"sha256 {str(trained_on)[:12]}, not on '{model.name}' "
                          f"({running[:12]})",
                          hint="fine-tune again on this model, or unset the adapter")
    return adapter
