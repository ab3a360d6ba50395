"""The agent's prompt sections: story, evidence, exemplars and guide, shared by a story's calls.

Every call sends the same system text and sections, in the same order and byte for byte, then
its own short task (`casewright.llm.prefix_stable_messages`), so llama.cpp reuses its cached
prefix and evaluates only the task.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TypeVar

from langchain_core.exceptions import OutputParserException
from langchain_core.language_models import BaseChatModel
from pydantic import BaseModel, ValidationError

from casewright.agents.state import Evidence
from casewright.errors import ModelOutputError
from casewright.llm.messages import prefix_stable_messages
from casewright.models import Story, TestCase
from casewright.prompts import load_template

Schema = TypeVar("Schema", bound=BaseModel)
EXEMPLARS_IN_PROMPT = 2
"""Exemplars in the shared prefix: the evidence's closest to the story as a whole."""


def story_text(story: Story) -> str:
    """Return the story's key, summary and criteria, one per line."""
    lines = [f"{story.key}: {story.summary}"]
    lines += [f"{c.criterion_id}: {c.text}" for c in story.criteria]
    return "\n".join(lines)


def evidence_text(evidence: Evidence, story: Story) -> str:
    """Return the passages found, each with its id, and the defined terms the story uses."""
    lines = [f"{source.source_id} ({source.title}): {source.text}" for source in evidence.sources]
    told = story_text(story).lower()
    lines += [f"Term: {term} means {meaning}" for term, meaning in evidence.glossary.items()
              if term.lower() in told]
    return "\n".join(lines or ["(none found)"])


def exemplar_text(exemplars: list[TestCase]) -> str:
    """Return example cases as compact JSON, one per line."""
    return "\n".join(
        json.dumps(case.model_dump(include={"preconditions", "steps"}), ensure_ascii=False)
        for case in exemplars)


def story_context(story: Story, evidence: Evidence) -> dict[str, str]:
    """Return the sections every writer and reviewer prompt for a story shares, in order.

    The exemplars are chosen once per story and sit, with the writing guide, in the cached
    prefix, so each call evaluates only its short task (benchmarks/agent.py measures it).
    """
    return {"story": story_text(story), "evidence": evidence_text(evidence, story),
            "exemplars": exemplar_text(evidence.exemplars[:EXEMPLARS_IN_PROMPT]),
            "guide": load_template("writer")["guide"]}


def ask_structured(model: BaseChatModel, schema: type[Schema], *, system: str,
                   shared: Mapping[str, str], task: str) -> Schema:
    """Ask for one structured answer: system text and shared sections first, the task last.

    Raises:
        ModelOutputError: the reply did not parse or validate (see `ask_structured_many`).
    """
    reply = ask_structured_many(model, schema, system=system, shared=shared, tasks=[task])[0]
    if isinstance(reply, ModelOutputError):
        raise reply
    return reply


def ask_structured_many(model: BaseChatModel, schema: type[Schema], *, system: str,
                        shared: Mapping[str, str],
                        tasks: Sequence[str]) -> list[Schema | ModelOutputError]:
    """Ask for one structured answer per task, all over the same shared sections, in one batch.

    casewright's local model decodes the batch together; other chat models answer one task
    at a time. Any chat model works: a reply that does not parse or validate becomes
    `ModelOutputError` in its place (casewright's own models give it themselves after their
    retry), so the writer falls back to the template for that task instead of failing.
    """
    replies = model.with_structured_output(schema).batch(
        [prefix_stable_messages(system, shared, task) for task in tasks],
        {"max_concurrency": 1}, return_exceptions=True)
    return [_checked(schema, reply) for reply in replies]


def _checked(schema: type[Schema], reply: object) -> Schema | ModelOutputError:
    if isinstance(reply, ModelOutputError):
        return reply
    try:
        if isinstance(reply, Exception):
            raise reply
        return schema.model_validate(reply)
    except (OutputParserException, ValidationError) as error:
        return ModelOutputError(f"the model's {schema.__name__} did not validate: {error}",
                                raw_output=str(getattr(error, "llm_output", "") or ""),
                                attempts=1)
