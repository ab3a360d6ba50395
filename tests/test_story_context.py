"""What a story's summary tells its criteria: items to follow, who is signed in."""

from __future__ import annotations

import pytest

from casewright.agents.planner import plan_story
from casewright.design.named_items import named_items
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
                  criteria=[AcceptanceCriterion(criterion_id="AC1", text=name),
                            AcceptanceCriterion(criterion_id="AC2", text="Accessibility")])
    objective = plan_story(story, 4, draft=True).objectives[0]
    assert objective.configuration is not None and not objective.restating
    case = render(story, objective.configuration, "NI-1-TC01", "medium", [])
    assert [(step.action, step.expected) for step in case.steps] == [(action, shown)]


@pytest.mark.parametrize(("summary", "texts"), [
    ("Account settings", ["Privacy policy", "Contact us"]),  # the story is about no links
    ("Footer links", ["Users can open the privacy policy", "Contact us"]),  # one name alone
    ("Footer links", ["The footer shows the privacy link", "The footer shows a help link"]),
    ("Share links", ["Link expiry after 7 days", "Links can be revoked by their owner",
                     "Revoked links show an error"]),  # a verbless line among sentences
])
def test_only_a_list_of_bare_names_in_a_story_about_links_is_items(summary: str,
                                                                    texts: list[str]) -> None:
    story = Story(key="NI-3", project="NI", summary=summary,
                  criteria=[AcceptanceCriterion(criterion_id=f"AC{n}", text=text)
                            for n, text in enumerate(texts, 1)])
    assert named_items(story) == {}


@pytest.mark.parametrize(("summary", "text", "set_up"), [
    ("Buyer account - signed out", "Add a product that is in stock to the basket",
     ["Not signed in"]),  # retail
    ("Clinic appointments when logged in", "Cancel an appointment that is booked",
     ["Signed in as a user"]),  # health
    ("Council tax account as a signed-in resident", "Download a bill that is paid",
     ["Signed in as a user"]),  # government
    ("Footer links when signed in", "An admin can open the audit log",
     ["Signed in as an admin"]),  # the criterion's own sign-in stands
])
def test_a_summary_that_says_who_is_signed_in_sets_up_each_case(summary: str, text: str,
                                                                 set_up: list[str]) -> None:
    story = Story(key="NI-2", project="NI", summary=summary,
                  criteria=[AcceptanceCriterion(criterion_id="AC1", text=text)])
    objective = plan_story(story, 4, draft=True).objectives[0]
    assert objective.configuration is not None
    case = render(story, objective.configuration, "NI-2-TC01", "medium", [])
    assert [p for p in case.preconditions if "igned" in p] == set_up
