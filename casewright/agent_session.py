"""An agent session: the model, the memory and the checkpointed graph, opened once per run.

Before the first story the workspace is ingested into memory (a no-op when nothing changed).
After each story, the cases that passed review with no open finding are kept as approved
exemplars in the state folder and added to memory, so later stories learn from them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from casewright.agents.context import AgentContext
from casewright.agents.run import compile_agent, open_checkpointer, run_story
from casewright.config import Settings
from casewright.files import write_atomic
from casewright.keys import parse_issue_key
from casewright.models import Story, Suite, TestCase
from casewright.tools.workspace import Workspace

StoryWriter = Callable[[Story, str], tuple[Suite, bool]]


def approved_cases(suite: Suite) -> list[TestCase]:
    """Return the cases the reviewer left no finding on and that are not template wording."""
    flagged = {finding.case_id for finding in suite.findings}
    return [case for case in suite.cases
            if case.case_id not in flagged and "scaffold" not in case.labels]


def keep_approved(folder: Path, suite: Suite) -> list[TestCase]:
    """Save a suite's approved cases as `<folder>/<KEY>.json`; return them."""
    cases = approved_cases(suite)
    folder.mkdir(parents=True, exist_ok=True)
    text = "[\n" + ",\n".join(case.model_dump_json(indent=2) for case in cases) + "\n]\n"
    write_atomic(folder / f"{parse_issue_key(suite.story.key)}.json", text)
    return cases


@contextmanager
def agent_session(workspace: Workspace, settings: Settings, state: Path,
                  progress: Callable[[str], None]) -> Iterator[StoryWriter]:
    """Open the model, the memory and the graph; yield a function that writes one story."""
    from casewright.llm import load_chat_model
    from casewright.llm.info import describe_model
    from casewright.memory import chunks_to_ingest, ingest, open_memory

    chat_model = load_chat_model(settings)
    report = describe_model(chat_model)
    progress(f"model: {report.model} ({report.provider})")
    with open_memory(settings, create=True) as memory:
        stored = ingest(memory, chunks_to_ingest(workspace))
        progress(f"memory: {stored.added} chunks added, {stored.unchanged} unchanged, "
                 f"{stored.removed} removed")
        rules = {rule.rule_id: (rule, page.url) for page in workspace.confluence.list_pages()
                 for rule in page.rules}
        context = AgentContext(
            chat_model=chat_model, memory=memory, rules=rules,
            existing_tests=workspace.existing_tests(),
            max_review_rounds=settings.agent_review_rounds,
            max_objectives_per_criterion=settings.agent_objectives_per_criterion,
            model_objectives=settings.agent_model_objectives, critique=settings.agent_critique,
            provenance={"model": report.model, "model_provider": report.provider,
                        "model_sha256": report.sha256, "model_base_url": report.base_url,
                        "seed": settings.model_seed, "temperature": settings.model_temperature},
            progress=progress)
        graph = compile_agent(open_checkpointer(state))

        def write(story: Story, run_id: str) -> tuple[Suite, bool]:
            suite, done_before = run_story(graph, story, context, run_id)
            if not done_before and workspace.approved is not None:
                kept = keep_approved(workspace.approved, suite)
                context.existing_tests = [*context.existing_tests, *kept]
                ingest(memory, chunks_to_ingest(workspace))
                progress(f"{len(kept)} approved cases kept as exemplars")
            return suite, done_before

        yield write
