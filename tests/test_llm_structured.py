"""Structured output of LlamaCppChatModel: parse, retry once with the error, then raise.

Stand-in: a scripted llama.cpp instance (canned replies, recorded calls) in place of the
loaded GGUF, because what is tested is casewright's handling of replies, not the model. The
real model under a real grammar is in test_llm_integration.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from casewright.errors import ConfigError, ModelOutputError
from casewright.llm import chat_model as chat_model_module
from casewright.llm.chat_model import LlamaCppChatModel
from casewright.llm.gguf import bundled_model_path
from casewright.llm.runtime import LoadedModel
from casewright.models import Step

VALID = '{"action": "Open account 40018822", "expected": "The account summary opens"}'
PROMPT = [SystemMessage("You write UAT test steps as JSON."), HumanMessage("One step, please.")]


class ScriptedLlama:
    """Answers create_chat_completion with canned texts and records every call."""

    def __init__(self, *replies: str) -> None:
        self.replies = list(replies)
        self.calls: list[dict[str, Any]] = []

    def create_chat_completion(self, **kwargs: Any) -> dict[str, Any]:
        """Record the call and answer with the next canned text."""
        self.calls.append(kwargs)
        text = self.replies.pop(0)
        return {"choices": [{"message": {"role": "assistant", "content": text},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 20, "completion_tokens": 7, "total_tokens": 27}}


@pytest.fixture
def scripted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Return a function that builds a LlamaCppChatModel answering with the given replies."""
    gguf = tmp_path / "stand-in.gguf"
    gguf.write_bytes(b"GGUF" + bytes(28))

    def build(*replies: str) -> tuple[LlamaCppChatModel, ScriptedLlama]:
        llama = ScriptedLlama(*replies)
        monkeypatch.setattr(chat_model_module, "get_model",
                            lambda key: LoadedModel(llama=llama, load_seconds=0.0))
        return LlamaCppChatModel(model_path=gguf, seed=7), llama

    return build


def test_plain_call_sends_roles_and_seed_and_reports_usage(scripted):
    model, llama = scripted("Hello.")

    reply = model.invoke(PROMPT)

    assert reply.content == "Hello."
    assert reply.usage_metadata["total_tokens"] == 27
    assert reply.response_metadata["finish_reason"] == "stop"
    call = llama.calls[0]
    assert [message["role"] for message in call["messages"]] == ["system", "user"]
    assert call["seed"] == 7 and call["grammar"] is None


def test_structured_reply_is_parsed_under_a_grammar(scripted):
    model, llama = scripted(VALID)

    step = model.with_structured_output(Step).invoke(PROMPT)

    assert step == Step(action="Open account 40018822", expected="The account summary opens")
    assert llama.calls[0]["grammar"] is not None
    assert len(llama.calls) == 1


def test_invalid_reply_is_retried_once_with_the_error_appended(scripted):
    model, llama = scripted('{"action": "Open account 40018822"}', VALID)

    step = model.with_structured_output(Step).invoke(PROMPT)

    assert step.action == "Open account 40018822"
    retry = llama.calls[1]["messages"]
    assert retry[:2] == llama.calls[0]["messages"]  # the cached prefix is kept
    assert retry[2] == {"role": "assistant", "content": '{"action": "Open account 40018822"}'}
    assert retry[3]["role"] == "user"
    assert "not a valid Step: expected: Field required" in retry[3]["content"]


def test_second_invalid_reply_raises_model_output_error_with_the_raw_text(scripted):
    model, _ = scripted('{"action": "Open', '{"action": "Open account", "expected": ')

    with pytest.raises(ModelOutputError) as caught:
        model.with_structured_output(Step).invoke(PROMPT)

    error = caught.value
    assert error.attempts == 2
    assert error.raw_output == '{"action": "Open account", "expected": '
    assert error.exit_code == 1
    assert error.one_line().startswith("the model's reply is not a valid Step after 2 "
                                       "attempts: invalid JSON (")
    assert "try a larger model" in error.one_line()


def test_only_pydantic_classes_and_no_raw_option_are_accepted(scripted):
    model, _ = scripted()

    with pytest.raises(TypeError, match="pydantic model class"):
        model.with_structured_output({"type": "object"})
    with pytest.raises(NotImplementedError, match="include_raw"):
        model.with_structured_output(Step, include_raw=True)



def test_a_prompt_longer_than_the_context_names_the_context_setting():
    """Real part: the bundled GGUF, loaded with a 256-token context; nothing is evaluated."""
    model = LlamaCppChatModel(model_path=bundled_model_path(), n_ctx=256)

    with pytest.raises(ConfigError) as caught:
        model.invoke("Please summarise this: " + "payment extension " * 200)

    assert caught.value.one_line().startswith(
        "CASEWRIGHT_MODEL_CONTEXT: the prompt does not fit (Requested tokens (")
    assert "raise CASEWRIGHT_MODEL_CONTEXT" in caught.value.one_line()


def test_a_batch_asks_again_only_for_the_replies_that_did_not_validate(scripted):
    model, llama = scripted('{"action": "Open"}', VALID, VALID)

    steps = model.with_structured_output(Step).batch(
        [PROMPT, [*PROMPT[:1], HumanMessage("Another step.")]], {"max_concurrency": 1})

    assert steps == [Step.model_validate_json(VALID)] * 2
    assert len(llama.calls) == 3
    retry = llama.calls[2]["messages"]
    assert retry[-2] == {"role": "assistant", "content": '{"action": "Open"}'}
    assert "expected" in retry[-1]["content"]


def test_a_batch_returns_each_failure_in_its_place_when_asked(scripted):
    model, _ = scripted("not json", VALID, "still not json")

    first, second = model.with_structured_output(Step).batch(
        [PROMPT, PROMPT], {"max_concurrency": 1}, return_exceptions=True)

    assert isinstance(first, ModelOutputError) and first.raw_output == "still not json"
    assert second == Step.model_validate_json(VALID)
