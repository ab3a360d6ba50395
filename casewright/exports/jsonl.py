"""JSONL: approved cases as chat-format fine-tuning records, one JSON object per line.

Each record is `{"messages": [system, user, assistant]}`, the shape OpenAI fine-tuning and
TRL's `SFTTrainer` read. The system message is the agent's own system prompt and the user
message carries the story and the evidence inside the same tags the agent uses, then the task;
the assistant message is the case as JSON. Fields that code sets from the run (case id, story
key, labels) are left out, so a model learns the case, not the bookkeeping. Only approved
cases are written (see `casewright.approval`): a case with an open finding is no lesson.
"""

from __future__ import annotations

import json

from casewright.approval import approved_cases
from casewright.llm.messages import neutral, tagged
from casewright.models import Story, Suite, TestCase
from casewright.prompts import system_prompt

CASE_FIELDS = {"title", "objective", "kind", "priority", "preconditions", "steps",
               "criterion_ids", "rule_ids"}
"""The TestCase fields an assistant message holds."""


def render(suite: Suite) -> str:
    """Return one fine-tuning record per approved case, each on its own line."""
    product = suite.provenance.settings.get("product")
    system = system_prompt(str(product) if product else
                           suite.story.project_name or suite.story.project)
    return "".join(json.dumps(_record(suite, case, system), ensure_ascii=False) + "\n"
                   for case in approved_cases(suite))


def _record(suite: Suite, case: TestCase, system: str) -> dict[str, list[dict[str, str]]]:
    """Return the chat record that teaches writing `case` for its story and evidence."""
    criteria = [c for c in suite.story.criteria if c.criterion_id in case.criterion_ids]
    task = (f"Task: write one {case.kind} UAT test case for "
            f"{', '.join(case.criterion_ids) or 'the story'}.\n"
            + "".join(f"{c.criterion_id}: {c.text}\n" for c in criteria)
            + f"What the case must show: {case.objective}\nReply with JSON only.")
    user = "\n\n".join([tagged("story", _story_text(suite.story)),
                        tagged("evidence", _evidence_text(suite, case)), neutral(task)])
    answer = case.model_dump_json(include=CASE_FIELDS)
    return {"messages": [{"role": "system", "content": system},
                         {"role": "user", "content": user},
                         {"role": "assistant", "content": answer}]}


def _story_text(story: Story) -> str:
    """Return the story's key, summary, description and criteria."""
    lines = [f"{story.key}: {story.summary}"]
    if story.description:
        lines.append(story.description)
    lines += [f"{c.criterion_id}: {c.text}" for c in story.criteria]
    return "\n".join(lines)


def _evidence_text(suite: Suite, case: TestCase) -> str:
    """Return the rules the case cites or its criteria name, each with its id and title."""
    named = {rule for c in suite.story.criteria if c.criterion_id in case.criterion_ids
             for rule in c.rule_ids}
    wanted = set(case.rule_ids) | named
    lines = [f"{source.source_id} ({source.title}): {source.text}"
             for source in suite.sources if source.source_id in wanted]
    return "\n".join(lines or ["(none found)"])
