"""Prefix-stable message ordering (a pure function).

The speed it buys is measured with the real model in test_llm_integration.py and
benchmarks/model_speed.py.
"""

from __future__ import annotations

from langchain_core.messages import HumanMessage, SystemMessage

from casewright.llm import prefix_stable_messages

SHARED = {"story": "CC-101: Agent can grant a payment extension", "evidence": "BR-1: at most 30 "
          "days after the original due date"}


def test_calls_for_one_story_differ_only_in_their_last_message():
    plan = prefix_stable_messages("You write UAT tests.", SHARED, "Plan the objectives.")
    write = prefix_stable_messages("You write UAT tests.", SHARED, "Write a case for AC1.")

    assert plan[:-1] == write[:-1]
    assert plan[-1] == HumanMessage("Plan the objectives.")
    assert write[-1] == HumanMessage("Write a case for AC1.")


def test_shared_sections_follow_the_system_text_in_tags_in_the_order_given():
    (system, _) = prefix_stable_messages("You write UAT tests.\n", SHARED, "Task")

    assert system == SystemMessage(
        "You write UAT tests.\n\n"
        "<story>\nCC-101: Agent can grant a payment extension\n</story>\n\n"
        "<evidence>\nBR-1: at most 30 days after the original due date\n</evidence>")
