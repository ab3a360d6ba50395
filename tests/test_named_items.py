"""Bare names in a story about links, tabs or a menu: each is an item to follow."""

from __future__ import annotations

import pytest

from casewright.agents.planner import plan_story
from casewright.design.named_items import named_item
from casewright.design.rendering import render
from casewright.models import AcceptanceCriterion, Story


@pytest.mark.parametrize(("summary", "name", "action", "shown"), [
    ("Footer links on the shop", "Returns policy", "Select the 'Returns policy' link",
     "The Returns policy page is shown"),  # retail
    ("Help menu for online banking", "Contact us", "Select the 'Contact us' menu item",
     "The Contact us page is shown"),  # banking
    ("Council site navigation when signed in", "Bin collections - <header_link>",
     "Select the 'Bin collections' link", "The Bin collections page is shown"),  # government
    ("Tabs on the patient record", "Admin page", "Select the 'Admin page' tab",
     "The Admin page is shown"),  # health
])
def test_a_bare_name_in_a_story_about_links_is_followed(summary: str, name: str, action: str,
                                                         shown: str) -> None:
    """Following the item opens what it names; an outline's placeholder is left out."""
    story = Story(key="NI-1", project="NI", summary=summary,
                  criteria=[AcceptanceCriterion(criterion_id="AC1", text=name)])
    (objective,) = plan_story(story, 4, draft=True).objectives
    assert objective.configuration is not None and not objective.restating
    case = render(story, objective.configuration, "NI-1-TC01", "medium", [])
    assert [(step.action, step.expected) for step in case.steps] == [(action, shown)]


@pytest.mark.parametrize(("summary", "text"), [
    ("Account settings", "Privacy policy"),  # the story is about no links
    ("Footer links", "Users can open the privacy policy"),  # a behaviour, not a name
    ("Footer links", "The footer shows the privacy link"),
])
def test_only_a_bare_name_in_a_story_about_links_is_an_item(summary: str, text: str) -> None:
    assert named_item(summary, "AC1", text) is None
