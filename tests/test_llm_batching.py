"""Replies decoded together: the engine, the chat model's batch, and what stays cached after.

Real parts (in the slow tests): the bundled SmolLM2-135M GGUF through llama.cpp (flash
attention, unified KV cache with parallel sequences), llama-cpp-python's own chat template
rendering and grammars compiled from casewright's bounded schemas.
"""

from __future__ import annotations

import llama_cpp
import pytest
from langchain_core.callbacks import get_usage_metadata_callback
from langchain_core.messages import HumanMessage, SystemMessage
from llama_cpp import LlamaGrammar

from casewright.agents.writer import CaseDraft
from casewright.llm import LlamaCppChatModel, bundled_model_path
from casewright.llm.batching import DRAFT, SLOTS, Request, _Lookup, decode_together
from casewright.llm.chat_model import chat_tokens
from casewright.llm.grammar import bounded_schema, schema_grammar

SYSTEM = ("You write UAT test cases for a contact centre's agent desktop. The story: an agent "
          "extends a customer's payment due date by up to 14 days; longer needs a team leader.")
TASKS = ["Write a test case: a 10 day extension is saved.",
         "Write a test case: a 20 day extension asks for team leader approval.",
         "Write a test case: the agent cannot extend an account already in arrears.",
         "Write a test case: the new due date shows on the account summary."]


@pytest.fixture(scope="module")
def model() -> LlamaCppChatModel:
    """The bundled model, greedy, as casewright loads it."""
    return LlamaCppChatModel(model_path=bundled_model_path(), temperature=0, max_tokens=300)


def chats(tasks: list[str]) -> list[list]:
    """Return one prompt per task, all sharing the system text."""
    return [[SystemMessage(SYSTEM), HumanMessage(task)] for task in tasks]


@pytest.mark.slow
def test_a_batch_answers_every_prompt_in_order_and_reports_each_reply(model):
    with get_usage_metadata_callback() as usage:
        drafts = model.with_structured_output(CaseDraft).batch(chats(TASKS))

    assert [type(draft) for draft in drafts] == [CaseDraft] * len(TASKS)
    assert len({draft.model_dump_json() for draft in drafts}) == len(TASKS)
    counted = next(iter(usage.usage_metadata.values()))
    assert counted["output_tokens"] > 20 * len(TASKS)


@pytest.mark.slow
def test_one_prompt_alone_decodes_as_llama_cpp_python_would(model):
    llama = model.loaded().llama
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": TASKS[1]}]
    stock = llama.create_chat_completion(messages=messages, max_tokens=60, temperature=0,
                                         seed=0, repeat_penalty=1.1)
    llama.set_seed(0)
    sampler = llama._init_sampler(temp=0, repeat_penalty=1.1)

    [alone] = decode_together(llama, [Request(chat_tokens(llama, messages), sampler, 60)])

    assert llama.detokenize(alone.tokens).decode() == stock["choices"][0]["message"]["content"]
    assert len(chat_tokens(llama, messages)) == stock["usage"]["prompt_tokens"]


@pytest.mark.slow
def test_guessed_tokens_change_the_speed_not_the_reply(model, monkeypatch):
    """Prompt lookup keeps only the guesses the sampler picks itself, so text is unchanged."""
    import casewright.llm.batching as batching

    llama = model.loaded().llama
    exemplar = ('{"steps": [{"action": "Open the payment plan screen", "expected": "The plan '
                'shows the due date"}]}')
    messages = [{"role": "system", "content": f"{SYSTEM}\nExample case: {exemplar}"},
                {"role": "user", "content": TASKS[0]}]
    grammar = schema_grammar(bounded_schema(CaseDraft))
    guesses: list[list[int]] = []
    original = _Lookup.guess
    monkeypatch.setattr(_Lookup, "guess", lambda self, limit: guesses.append(
        original(self, limit)) or guesses[-1])

    def reply() -> list[int]:
        llama.set_seed(0)
        sampler = llama._init_sampler(temp=0.2, repeat_penalty=1.1,
                                      grammar=LlamaGrammar.from_string(grammar, verbose=False))
        prompt = chat_tokens(llama, messages)
        return decode_together(llama, [Request(prompt, sampler, 120)])[0].tokens

    guessed = reply()
    monkeypatch.setattr(batching, "DRAFT", 0)

    assert reply() == guessed
    assert sum(len(guess) for guess in guesses) > 10


@pytest.mark.slow
def test_more_requests_than_slots_all_finish_within_their_budget(model):
    llama = model.loaded().llama
    prompts = [chat_tokens(llama, [{"role": "user", "content": f"Count to {n}."}])
               for n in range(SLOTS + 3)]
    requests = [Request(prompt, llama._init_sampler(temp=0), 12) for prompt in prompts]

    done = decode_together(llama, requests)

    assert len(done) == SLOTS + 3
    assert all(0 < len(completion.tokens) <= 12 for completion in done)
    assert {c.finish_reason for c in done if len(c.tokens) == 12} <= {"length"}


@pytest.mark.slow
def test_after_a_batch_the_shared_prefix_stays_cached_for_the_next_call(model):
    llama = model.loaded().llama
    model.batch(chats(TASKS[:2]), max_tokens=8)
    prompt = chat_tokens(llama, [{"role": "system", "content": SYSTEM},
                                 {"role": "user", "content": TASKS[3]}])
    llama_cpp.llama_perf_context_reset(llama.ctx)

    model.invoke(chats(TASKS[3:])[0], max_tokens=8)

    evaluated = llama_cpp.llama_perf_context(llama.ctx).n_p_eval
    assert evaluated < len(prompt) / 2


@pytest.mark.slow
def test_an_interrupted_batch_leaves_the_model_answering_as_before(model):
    llama = model.loaded().llama
    messages = [{"role": "user", "content": TASKS[0]}]
    before = model.invoke([HumanMessage(TASKS[0])], max_tokens=30).content

    class Interrupting:
        def __init__(self) -> None:
            self.tokens = 0

        def sample(self, ctx, idx: int = -1) -> int:
            self.tokens += 1
            if self.tokens == 5:
                raise KeyboardInterrupt
            return llama_cpp.llama_vocab_n_tokens(llama._model.vocab) // 2

    prompt = chat_tokens(llama, messages)
    with pytest.raises(KeyboardInterrupt):
        decode_together(llama, [Request(prompt, Interrupting(), 30),
                                Request(prompt, Interrupting(), 30)])

    assert model.invoke([HumanMessage(TASKS[0])], max_tokens=30).content == before


@pytest.mark.slow
def test_a_request_longer_than_the_context_is_refused_before_decoding(model):
    llama = model.loaded().llama
    with pytest.raises(ValueError, match="exceed context window"):
        decode_together(llama, [Request([1] * 10, llama._init_sampler(temp=0), llama.n_ctx())])


def test_a_guess_is_what_followed_the_same_tokens_last_time():
    lookup = _Lookup([1, 2, 3, 4, 5, 9, 1, 2])
    assert lookup.guess(DRAFT) == []  # 9, 1, 2 never came before

    lookup.add(3)

    assert lookup.guess(DRAFT) == [4, 5, 9, 1, 2, 3][:DRAFT]
    assert lookup.guess(2) == [4, 5]
