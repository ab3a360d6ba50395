"""Bounded JSON schemas for structured output, and the llama.cpp grammar compiled from them.

A grammar alone guarantees JSON of the right shape, not that it ends: a small model asked for
a string can repeat itself until the token limit. Every free string and every array therefore
gets an upper bound. Bounds a pydantic field declares (`Field(max_length=...)`, or
`json_schema_extra={"maxLength": ...}` to bound generation without rejecting longer human
input) win; the rest get `Bounds`; a free-form map is generated empty. The bounds shape what
is generated only: replies are still validated against the caller's model.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

JsonSchema = dict[str, Any]
_CHILD_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")
_CHILD_MAPS = ("properties", "$defs", "definitions")


class Bounds(BaseModel):
    """Upper bounds for strings and arrays whose pydantic field declares none."""

    model_config = ConfigDict(frozen=True)

    max_string_length: int = Field(default=200, gt=0, description="Characters in a string.")
    max_items: int = Field(default=8, gt=0, description="Items in an array.")


def bounded_schema(output_type: type[BaseModel], bounds: Bounds | None = None) -> JsonSchema:
    """Return the JSON schema of output_type with every string and array bounded."""
    schema = output_type.model_json_schema()
    _bound(schema, bounds or Bounds())
    return schema


def _bound(node: JsonSchema, bounds: Bounds) -> None:
    kind = node.get("type")
    if kind == "string" and not {"enum", "const", "pattern", "format"} & node.keys():
        node["maxLength"] = node.get("maxLength", max(bounds.max_string_length,
                                                      node.get("minLength", 0)))
    if kind == "array":
        node["maxItems"] = node.get("maxItems", max(bounds.max_items, node.get("minItems", 0)))
    if kind == "object" and isinstance(node.get("additionalProperties"), dict) and \
            not node.get("properties") and not node.get("minProperties"):
        # a free map (its keys unknown) has no bounded grammar: it is generated empty, as
        # such maps are code's bookkeeping (a case's criterion hashes), not the model's
        node["additionalProperties"] = False
    for key in _CHILD_LISTS:
        for child in node.get(key, []):
            _bound(child, bounds)
    for key in _CHILD_MAPS:
        for child in node.get(key, {}).values():
            _bound(child, bounds)
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            _bound(node[key], bounds)


def schema_grammar(schema: JsonSchema) -> str:
    """Compile a JSON schema to a llama.cpp GBNF grammar (required properties come first)."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    grammar: str = json_schema_to_gbnf(json.dumps(schema))
    return grammar
