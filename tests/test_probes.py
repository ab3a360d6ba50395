"""The probe set of benchmarks/probes.py: it parses, and every variant is a real paraphrase.

The share of readings kept is the benchmark's to print, not a test's to assert.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from casewright.quality import words

SCRIPT = Path(__file__).parents[1] / "benchmarks" / "probes.py"


def probes_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("probes", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = sys.modules["probes"] = importlib.util.module_from_spec(spec)  # for its dataclasses
    spec.loader.exec_module(module)
    return module


def test_every_variant_differs_from_its_criterion_by_what_its_kind_says() -> None:
    probes = probes_module().load_probes()
    assert len(probes) >= 40
    assert len({probe.probe_id for probe in probes}) == len(probes)
    assert {probe.set_name for probe in probes} == {
        "sample", "e-petitions dev set", "diaspora dev set"}
    for probe in probes:
        assert probe.variants, probe.probe_id
        for variant in probe.variants:
            assert variant.text != probe.text, probe.probe_id
            if variant.kind == "reorder":  # the same words, in another order
                assert sorted(words(variant.text)) == sorted(words(probe.text)), probe.probe_id
                assert not variant.swaps
                continue
            assert variant.swaps, probe.probe_id
            for mine, theirs in variant.swaps:
                assert mine.lower() in variant.text.lower(), (probe.probe_id, mine)
                assert theirs.lower() in probe.text.lower(), (probe.probe_id, theirs)
