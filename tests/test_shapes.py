"""Every sentence shape of design/shapes/en.toml, run on each of its example sentences.

Each example is a paraphrase from a domain of its own (libraries, pharmacies, deliveries,
housing, payroll, ...): the row's pattern must match it, and one of the behaviours the engine
reads in it (a rule may split off) must be the reading the row expects.
"""

from __future__ import annotations

import pytest

from casewright.design.behaviour import Behaviour
from casewright.design.clauses import clean
from casewright.design.reading import analyse
from casewright.design.shapes import Example, Reading, load, shape
from casewright.models import AcceptanceCriterion

ROWS = [pytest.param(row.id, example, id=f"{row.id}:{n}") for row in load("en").shapes
        for n, example in enumerate(row.examples)]


def reading(behaviour: Behaviour) -> Reading:
    said: Reading = {name: value for name, value in behaviour.model_dump().items()
                     if isinstance(value, str | bool) or value is None or
                     isinstance(value, list) and all(isinstance(v, str) for v in value)}
    for name in ("conditions", "effects", "otherwise"):
        said[name] = [part.text for part in getattr(behaviour, name)]
    return said


def test_every_shape_has_a_unique_id_and_three_examples() -> None:
    ids = [row.id for row in load("en").shapes]
    assert len(ids) == len(set(ids))
    assert all(len(row.examples) >= 3 for row in load("en").shapes)


@pytest.mark.parametrize(("shape_id", "example"), ROWS)
def test_each_example_has_its_shape_and_its_reading(shape_id: str, example: Example) -> None:
    assert shape(shape_id).search(clean(example.text)), "the example is not of its shape"
    behaviours = analyse(AcceptanceCriterion(criterion_id="AC1", text=example.text))
    readings = [reading(behaviour) for behaviour in behaviours]  # a rule may split off
    assert example.expect in [{name: said.get(name) for name in example.expect}
                              for said in readings]
