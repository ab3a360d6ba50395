"""load_chat_model's choices and errors, and what the server model sends.

Real parts: the bundled GGUF's location and its Q8_0 re-encoding (not loaded), settings
from the environment, the OpenAI client over real HTTP. Stand-in: a small HTTP server on
loopback that answers `/v1/models` and `/v1/chat/completions` with canned JSON and records
requests; the real llama.cpp server is in test_llm_integration.py.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from casewright.config import load_settings
from casewright.errors import ConfigError
from casewright.llm import LlamaCppChatModel, ServerChatModel, load_chat_model
from casewright.llm.runtime import free_threads, machine_threads
from casewright.models import Step

STEP_JSON = '{"action": "Open account 40018822", "expected": "The account summary opens"}'


@dataclass
class StandInServer:
    """What the stand-in answers, and the chat requests it received."""

    url: str = ""
    models: list[str] = field(default_factory=lambda: ["served-model"])
    models_status: int = 200
    replies: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    authorizations: list[str] = field(default_factory=list)


def completion(text: str) -> tuple[int, dict[str, Any]]:
    """Return a 200 chat completion carrying text."""
    return 200, {"id": "c1", "object": "chat.completion", "created": 0, "model": "served-model",
                 "choices": [{"index": 0, "finish_reason": "stop",
                              "message": {"role": "assistant", "content": text}}],
                 "usage": {"prompt_tokens": 9, "completion_tokens": 9, "total_tokens": 18}}


@pytest.fixture
def stand_in() -> Iterator[StandInServer]:
    """Serve a scripted OpenAI-compatible API on a free loopback port."""
    state = StandInServer()

    class Handler(BaseHTTPRequestHandler):
        def answer(self, status: int, body: dict[str, Any]) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            state.authorizations.append(self.headers["Authorization"])
            self.answer(state.models_status, {"object": "list", "data": [
                {"id": name, "object": "model", "created": 0, "owned_by": "me"}
                for name in state.models]})

        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            state.requests.append(json.loads(self.rfile.read(length)))
            self.answer(*state.replies.pop(0))

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def closed_port() -> int:
    """Return a loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_default_is_the_bundled_gguf_as_q8_0_on_the_free_cores():
    settings = load_settings()

    model = load_chat_model(settings)

    assert isinstance(model, LlamaCppChatModel)
    assert model.model_path.parent == settings.home / "cache" / "models"
    assert model.model_path.name.endswith(".Q8_0.gguf") and model.model_path.is_file()
    assert 1 <= model.n_threads <= machine_threads()
    assert (model.n_ctx, model.seed) == (8192, 0)


def test_the_default_threads_leave_a_busy_core_alone():
    """A CPU-bound process beside casewright takes one core; llama.cpp gets the others."""
    idle = free_threads()
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.5)
        busy = free_threads(sample=0.5)
    finally:
        burner.kill()
        burner.wait()
    assert 1 <= busy < max(idle, 2) or machine_threads() == 1
    assert busy <= machine_threads() - 1 or machine_threads() == 1


def test_model_path_and_sampling_come_from_the_environment(tmp_path: Path, monkeypatch):
    gguf = tmp_path / "other.gguf"
    gguf.write_bytes(b"GGUF" + bytes(28))
    monkeypatch.setenv("CASEWRIGHT_MODEL_PATH", str(gguf))
    monkeypatch.setenv("CASEWRIGHT_MODEL_THREADS", "1")
    monkeypatch.setenv("CASEWRIGHT_MODEL_SEED", "42")

    model = load_chat_model(load_settings())

    assert (model.model_path, model.n_threads, model.seed) == (gguf, 1, 42)


@pytest.mark.parametrize(("content", "expected"), [
    (None, "CASEWRIGHT_MODEL_PATH: no file at '{path}'; point CASEWRIGHT_MODEL_PATH at a .gguf "
           "model file, or unset it to use the bundled model"),
    ("folder", "CASEWRIGHT_MODEL_PATH: a folder at '{path}'; point"),
    (b"PK\x03\x04 a zip file", "CASEWRIGHT_MODEL_PATH: '{path}' is not a GGUF file (it does "
                               "not start with b'GGUF'); point"),
])
def test_a_bad_model_path_is_a_config_error_naming_the_setting(tmp_path, monkeypatch, content,
                                                               expected):
    path = tmp_path / "model.gguf"
    if content == "folder":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    monkeypatch.setenv("CASEWRIGHT_MODEL_PATH", str(path))

    with pytest.raises(ConfigError) as caught:
        load_chat_model(load_settings())

    assert caught.value.one_line().startswith(expected.format(path=path))
    assert caught.value.exit_code == 2


def test_a_context_size_llama_cpp_would_pad_is_refused(monkeypatch):
    monkeypatch.setenv("CASEWRIGHT_MODEL_CONTEXT", "1000")

    with pytest.raises(ConfigError) as caught:
        load_settings()

    assert caught.value.one_line() == ("setting 'model_context': Input should be a multiple of "
                                       "256; check CASEWRIGHT_MODEL_CONTEXT or casewright.toml")


def test_openai_provider_needs_a_base_url(monkeypatch):
    monkeypatch.setenv("CASEWRIGHT_MODEL_PROVIDER", "openai")

    with pytest.raises(ConfigError, match="^CASEWRIGHT_MODEL_BASE_URL is not set"):
        load_chat_model(load_settings())


def test_an_unreachable_server_is_a_config_error_naming_the_url_setting(monkeypatch):
    url = f"http://127.0.0.1:{closed_port()}/v1"
    monkeypatch.setenv("CASEWRIGHT_MODEL_PROVIDER", "openai")
    monkeypatch.setenv("CASEWRIGHT_MODEL_BASE_URL", url)

    with pytest.raises(ConfigError) as caught:
        load_chat_model(load_settings())

    assert caught.value.one_line().startswith(f"CASEWRIGHT_MODEL_BASE_URL: cannot reach {url} (")
    assert "start the server, or fix CASEWRIGHT_MODEL_BASE_URL" in caught.value.one_line()


def test_openai_provider_uses_the_first_served_model_unless_one_is_named(stand_in, monkeypatch):
    monkeypatch.setenv("CASEWRIGHT_MODEL_PROVIDER", "openai")
    monkeypatch.setenv("CASEWRIGHT_MODEL_BASE_URL", stand_in.url)
    stand_in.models = ["first", "second"]

    assert load_chat_model(load_settings()).model_name == "first"
    monkeypatch.setenv("CASEWRIGHT_MODEL_NAME", "second")
    model = load_chat_model(load_settings())

    assert isinstance(model, ServerChatModel)
    assert (model.model_name, model.openai_api_base) == ("second", stand_in.url)
    assert stand_in.authorizations == ["Bearer no-key", "Bearer no-key"]


def test_the_api_key_setting_is_sent_to_the_server(stand_in, monkeypatch):
    monkeypatch.setenv("CASEWRIGHT_MODEL_PROVIDER", "openai")
    monkeypatch.setenv("CASEWRIGHT_MODEL_BASE_URL", stand_in.url)
    monkeypatch.setenv("CASEWRIGHT_MODEL_API_KEY", "sk-test-123")

    model = load_chat_model(load_settings())

    assert stand_in.authorizations == ["Bearer sk-test-123"]
    assert model.openai_api_key.get_secret_value() == "sk-test-123"


@pytest.mark.parametrize(("status", "models", "expected"), [
    (401, ["m"], "CASEWRIGHT_MODEL_API_KEY: the server at {url} refused the key (HTTP 401)"),
    (404, ["m"], "CASEWRIGHT_MODEL_BASE_URL: {url}/models answered HTTP 404"),
    (200, [], "the server at {url} lists no models; set CASEWRIGHT_MODEL_NAME"),
])
def test_server_answers_that_cannot_work_are_config_errors(stand_in, monkeypatch, status,
                                                           models, expected):
    monkeypatch.setenv("CASEWRIGHT_MODEL_PROVIDER", "openai")
    monkeypatch.setenv("CASEWRIGHT_MODEL_BASE_URL", stand_in.url)
    stand_in.models_status, stand_in.models = status, models

    with pytest.raises(ConfigError) as caught:
        load_chat_model(load_settings())

    assert caught.value.one_line().startswith(expected.format(url=stand_in.url))


@pytest.mark.parametrize("mode", ["json_schema", "json_object"])
def test_server_structured_output_sends_the_bounded_schema_and_max_tokens(stand_in, mode):
    stand_in.replies = [completion('{"action": "Open"}'), completion(STEP_JSON)]
    model = ServerChatModel(base_url=stand_in.url, api_key="k", model="m", max_tokens=300,
                            response_format_mode=mode)

    step = model.with_structured_output(Step).invoke("One step, please.")

    assert step.expected == "The account summary opens"
    first, retry = stand_in.requests
    response_format = first["response_format"]
    schema = (response_format["json_schema"]["schema"] if mode == "json_schema"
              else response_format["schema"])
    assert response_format["type"] == mode
    assert schema["properties"]["action"]["maxLength"] == 200
    assert first["max_tokens"] == 300
    assert "not a valid Step: expected: Field required" in retry["messages"][-1]["content"]


def test_a_server_rejecting_json_schema_names_the_response_format_setting(stand_in):
    stand_in.replies = [(500, {"error": {"message": "body.response_format.type: Input should "
                                         "be 'text' or 'json_object'"}})]
    model = ServerChatModel(base_url=stand_in.url, api_key="k", model="m", max_retries=0)

    with pytest.raises(ConfigError) as caught:
        model.with_structured_output(Step).invoke("One step, please.")

    assert caught.value.one_line() == (
        f"CASEWRIGHT_MODEL_RESPONSE_FORMAT: the server at {stand_in.url} rejected "
        "response_format 'json_schema' (HTTP 500); set CASEWRIGHT_MODEL_RESPONSE_FORMAT="
        "json_object for llama-cpp-python's server, json_schema for the others")
