"""The held-out comparison `finetune` prints: the model before and after, on unseen examples.

For each held-out example the local model (without, then with, the adapter) answers the
chat's prompt under the writer's grammar (`CaseDraft` for a rewording, `Draft` for a case
drafted whole), as the writer asks it. Measured:
- kept: the share of answers the writer would keep unchanged (`keeps_meaning`), over the
  examples that carry their engine case;
- chrF: character n-gram F-score (n = 1..6, beta 2; Popovic 2015) of the answer's words
  against the team's own case;
- tokens per case: the answer's length in the model's tokens.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence

from pydantic import BaseModel

from casewright.agents.drafts import Draft
from casewright.agents.writer import CaseDraft
from casewright.errors import ModelOutputError
from casewright.llm.chat_model import LlamaCppChatModel
from casewright.training.examples import Example, kept_by_writer

CHRF_ORDER = 6
CHRF_BETA = 2.0


class Scores(BaseModel):
    """How one model did on the held-out examples."""

    examples: int
    kept: int
    keepable: int
    chrf: float
    tokens_per_case: float

    def row(self, name: str) -> str:
        """Return the scores as one table row."""
        kept = f"{self.kept}/{self.keepable}" if self.keepable else "n/a"
        return f"| {name} | {self.examples} | {kept} | {self.chrf:.1f} | " \
            f"{self.tokens_per_case:.0f} |"


TABLE_HEAD = ("| model | held-out examples | kept by the writer | chrF | tokens per case |\n"
              "|---|---|---|---|---|")


def chrf(hypothesis: str, reference: str) -> float:
    """Return chrF (0-100): character n-gram precision and recall, recall weighted by beta."""
    def grams(text: str, n: int) -> Counter[str]:
        squeezed = "".join(text.split())
        return Counter(squeezed[i:i + n] for i in range(len(squeezed) - n + 1))

    precisions, recalls = [], []
    for n in range(1, CHRF_ORDER + 1):
        mine, theirs = grams(hypothesis, n), grams(reference, n)
        if not mine or not theirs:
            continue
        common = sum((mine & theirs).values())
        precisions.append(common / sum(mine.values()))
        recalls.append(common / sum(theirs.values()))
    if not precisions:
        return 0.0
    p, r = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    beta = CHRF_BETA ** 2
    return 0.0 if p == 0 and r == 0 else 100 * (1 + beta) * p * r / (beta * p + r)


def case_words(case: str) -> str:
    """Return a case's words from its JSON: preconditions, then each step's parts.

    A person's case may be longer than the writer's grammar allows, so it is not validated.
    """
    try:
        document = json.loads(case)
    except json.JSONDecodeError:
        return case
    if not isinstance(document, dict):
        return case
    parts = [str(p) for p in document.get("preconditions", [])]
    for step in document.get("steps", []):
        if isinstance(step, dict):
            parts += [str(step.get(name, "")) for name in ("action", "data", "expected")]
    return " ".join(part for part in parts if part)


def evaluate(model: LlamaCppChatModel, examples: Sequence[Example],
             progress: Callable[[str], None]) -> Scores:
    """Ask the model each example's prompt under the writer's grammar; score the answers."""
    schemas: dict[str, type[CaseDraft] | type[Draft]] = {"reword": CaseDraft, "draft": Draft}
    llama = model.loaded().llama
    kept = keepable = tokens = 0
    scores = []
    for number, example in enumerate(examples, start=1):
        progress(f"evaluating {number}/{len(examples)}")
        try:
            schema = schemas[example.task]
            draft: CaseDraft | Draft = schema.model_validate(
                model.with_structured_output(schema).invoke(example.prompt()))
        except ModelOutputError:
            scores.append(0.0)
            continue
        scores.append(chrf(case_words(draft.model_dump_json()), case_words(example.answer())))
        tokens += len(llama.tokenize(draft.model_dump_json().encode(), add_bos=False))
        verdict = kept_by_writer(example, draft) if isinstance(draft, CaseDraft) else None
        if verdict is not None:
            keepable += 1
            kept += verdict
    return Scores(examples=len(examples), kept=kept, keepable=keepable,
                  chrf=sum(scores) / max(len(scores), 1),
                  tokens_per_case=tokens / max(len(examples), 1))
