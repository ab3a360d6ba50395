"""Grammar-checked sampling against llama-cpp-python's own grammar-first sampler.

Real parts: the bundled SmolLM2-135M GGUF loaded twice, once as llama-cpp-python's stock
`Llama` (the grammar filters the whole vocabulary for every token) and once as
`GrammarCheckingLlama` (the grammar vetoes the sampled token), with grammars compiled by
llama-cpp-python from casewright's bounded schemas.
"""

from __future__ import annotations

import json
import re

import pytest
from llama_cpp import Llama, LlamaGrammar

from casewright.agents.writer import CaseDraft
from casewright.llm import bundled_model_path
from casewright.llm.grammar import bounded_schema, schema_grammar
from casewright.llm.sampling import GrammarCheckingLlama

pytestmark = pytest.mark.slow

PROMPTS = ["Write a UAT test case for a payment screen as JSON.",
           "Write a negative UAT test case: a due date extension over 30 days is refused.",
           "Test case for pausing call recording while a card number is taken."]


def load(kind: type[Llama]) -> Llama:
    """Load the bundled model as kind, small context, two threads."""
    return kind(model_path=str(bundled_model_path()), n_ctx=2048, n_threads=2,
                n_threads_batch=2, verbose=False)


def reply(llama: Llama, prompt: str, grammar: str, *, temperature: float) -> str:
    """Return the model's reply to prompt under grammar."""
    response = llama.create_chat_completion(
        messages=[{"role": "user", "content": prompt}], max_tokens=300, seed=0,
        temperature=temperature, repeat_penalty=1.1,
        grammar=LlamaGrammar.from_string(grammar, verbose=False))
    return response["choices"][0]["message"]["content"]


@pytest.fixture(scope="module")
def case_grammar() -> str:
    """The writer's CaseDraft grammar."""
    return schema_grammar(bounded_schema(CaseDraft))


def test_greedy_decoding_picks_the_same_tokens_as_the_grammar_first_sampler(case_grammar):
    stock, checking = load(Llama), load(GrammarCheckingLlama)

    for prompt in PROMPTS:
        assert reply(checking, prompt, case_grammar, temperature=0) == \
            reply(stock, prompt, case_grammar, temperature=0)


def test_sampled_replies_follow_the_grammar(case_grammar):
    checking = load(GrammarCheckingLlama)

    for prompt in PROMPTS:
        CaseDraft.model_validate(json.loads(reply(checking, prompt, case_grammar,
                                                  temperature=0.2), strict=False))


def test_a_grammar_the_model_would_never_choose_is_still_followed():
    """Nearly every token is vetoed, so the likely-token and whole-vocabulary passes run."""
    grammar = 'root ::= "ZQX-" [0-9] [0-9] [0-9] "-" ("yes" | "no") "."'

    text = reply(load(GrammarCheckingLlama), PROMPTS[0], grammar, temperature=0.2)

    assert re.fullmatch(r"ZQX-\d{3}-(yes|no)\.", text)
