"""The public face of casewright.memory: its names, and that importing it stays light."""

from __future__ import annotations

import json
import subprocess
import sys

import casewright.memory

HEAVY = {"torch", "transformers", "onnxruntime", "tokenizers", "qdrant_client", "qdrant_edge",
         "sentence_transformers"}


def test_every_public_name_is_exported_and_listed() -> None:
    assert sorted(casewright.memory.__all__) == casewright.memory.__all__
    for name in casewright.memory.__all__:
        assert getattr(casewright.memory, name) is not None


def test_importing_the_memory_loads_no_model_or_engine() -> None:
    code = ("import sys, json; import casewright.memory; "
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, check=True)
    assert set(json.loads(result.stdout)) & HEAVY == set()
