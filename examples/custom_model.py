"""Bring your own chat model: any LangChain `BaseChatModel` can write the cases.

Here it is `ChatOpenAI`, against OpenAI or any OpenAI-compatible server (vLLM, Ollama, a
llama.cpp server), which is how a team puts a bigger model than the bundled one to work:

    OPENAI_BASE_URL=http://127.0.0.1:8000/v1 OPENAI_API_KEY=none OPENAI_MODEL=qwen2.5-7b \
        python examples/custom_model.py CC-204

The model must support `with_structured_output` for pydantic classes.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from langchain_core.language_models import BaseChatModel

from casewright import generate, get_exporter


def print_features(chat_model: BaseChatModel, keys: list[str], **options: Any) -> None:
    """Print a Gherkin feature per story, its cases written by `chat_model`.

    `options` go to `generate` as they are (workspace, memory, settings).
    """
    gherkin = get_exporter("gherkin")
    for suite in generate(keys, chat_model=chat_model, **options):
        sys.stdout.write(gherkin.render(suite))


if __name__ == "__main__":
    from langchain_openai import ChatOpenAI

    model = ChatOpenAI(model=os.environ.get("OPENAI_MODEL", "gpt-4o-mini"), temperature=0.2)
    print_features(model, sys.argv[1:] or ["CC-204"])
