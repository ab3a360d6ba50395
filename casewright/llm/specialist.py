"""The specialist: the bundled model's LoRA adapter trained on human-written test cases.

It ships in the package (`casewright/llm/adapters/`) beside its manifest: the command that
trained it, the corpus (benchmarks/corpus/manifest.json, by hash), the steps and loss curve,
and the figures measured on projects it never saw. With the bundled model and no adapter of
the team's own, it is loaded by default (`model_specialist`); `casewright model` and every
suite's provenance name it. A team's `model_adapter` or `model_path` replaces it.
"""

from __future__ import annotations

from pathlib import Path

from casewright.config import Settings

ADAPTER_FILE = "specialist.lora.gguf"
MANIFEST_FILE = "specialist.json"
FOLDER = Path(__file__).parent / "adapters"


def bundled_adapter() -> Path | None:
    """Return the shipped specialist adapter, or None in a build that has none."""
    path = FOLDER / ADAPTER_FILE
    return path if path.is_file() else None


def adapter_for(settings: Settings) -> Path | None:
    """Return the adapter the local model runs with: the team's, else the specialist's.

    The specialist applies only to the bundled model it was trained on, and only while
    `model_specialist` is on.
    """
    if settings.model_adapter is not None:
        return settings.model_adapter
    if settings.model_path is None and settings.model_specialist:
        return bundled_adapter()
    return None
