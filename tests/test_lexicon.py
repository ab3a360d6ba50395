"""The engine's lexicon: English words as data, extended by a workspace, and actors read
from the grammar before any list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from casewright.config import load_settings
from casewright.design.lexicon import (
    Lexicon,
    glossary_roles,
    load,
    narrative_roles,
    using,
    words,
    workspace_lexicon,
)
from casewright.design.reading import analyse
from casewright.errors import ConfigError
from casewright.models import AcceptanceCriterion


def actor_and_actions(text: str) -> tuple[str | None, list[str]]:
    behaviour = analyse(AcceptanceCriterion(criterion_id="AC1", text=text))[0]
    return behaviour.actor, behaviour.actions


def test_the_english_lexicon_is_read_from_its_data_file() -> None:
    lexicon = load("en")
    assert words() == lexicon
    assert {"agent", "moderator"} <= lexicon.roles
    assert "tab" in lexicon.ui_nouns and "delete" in lexicon.act_on_verbs
    assert lexicon.vague().search("Results load quickly")
    assert lexicon.formats().findall("valid email addresses and a postcode") == \
        ["email address", "postcode"]
    assert lexicon.refusal().search("the payment is declined")


def test_a_workspace_adds_words_in_casewright_toml(tmp_path: Path) -> None:
    (tmp_path / "casewright.toml").write_text('[lexicon]\nroles = ["underwriter"]\n'
                                              'ui_nouns = ["ribbon"]\n', encoding="utf-8")
    settings = load_settings(workspace=tmp_path)
    lexicon = workspace_lexicon(settings.lexicon, {})
    assert {"underwriter", "agent"} <= lexicon.roles and "ribbon" in lexicon.ui_nouns
    criterion = "The underwriter prices the policy"  # no permission: only a role list says who
    assert actor_and_actions(criterion) == (None, [])
    with using(lexicon):
        assert actor_and_actions(criterion) == ("The underwriter", ["Price the policy"])
    assert words() == load()


def test_an_unknown_list_in_casewright_toml_is_refused(tmp_path: Path) -> None:
    (tmp_path / "casewright.toml").write_text('[lexicon]\npersons = ["underwriter"]\n',
                                              encoding="utf-8")
    with pytest.raises(ConfigError, match="lexicon.persons"):
        load_settings(workspace=tmp_path)


def test_glossary_terms_that_name_people_count_as_roles() -> None:
    glossary = {"Loss adjuster": "The person who assesses a claim on site",
                "Team leader": "A supervisor on the contact centre floor",
                "Arrears": "Money owed on bills that are past their due date",
                "Approvals queue": "Where requests that need a team leader wait"}
    assert glossary_roles(glossary, load()) == ["Loss adjuster", "Team leader"]
    lexicon = workspace_lexicon(Lexicon(), glossary)
    assert {"loss adjuster", "adjuster"} <= lexicon.roles and "arrears" not in lexicon.roles
    with using(lexicon):
        assert actor_and_actions("The loss adjuster visits the property") == \
            ("The loss adjuster", ["Visit the property"])


def test_the_narrative_names_the_role() -> None:
    assert narrative_roles("As a librarian, I want to renew loans so that ...") == ["librarian"]
    assert narrative_roles("As an on-call nurse I need ...") == ["on-call nurse"]
    assert narrative_roles("The loan is renewed.") == []


@pytest.mark.parametrize("text", [
    "The librarian cannot renew a loan after it is overdue",
    "A pharmacist can dispense a repeat prescription",
    "The dispatcher can assign a driver to an open job",
    "A tenant can report a repair from the portal",
    "The courier cannot leave a parcel without a photo",
    "A nurse can record a dose on the chart",
    "The auditor may export the ledger for the quarter",
    "A cashier cannot void a sale after the shift ends",
    "The landlord can end a tenancy with two months notice",
    "A recruiter can shortlist a candidate for interview",
    "Volunteers may book a shift up to 4 weeks ahead",
    "The chef cannot change a menu after service starts",
    "Dispatchers cannot close or cancel a delivery job",
])
def test_everyday_roles_outside_the_list_get_an_actor_and_an_action(text: str) -> None:
    actor, actions = actor_and_actions(text)
    assert actor is not None and text.startswith(actor)
    assert actions and actor.split()[-1].lower() not in load().roles


@pytest.mark.parametrize("text", [
    "The system can send a reminder after 3 days",
    "The account can hold up to 3 cards",
    "The page can show 20 results",
])
def test_machines_states_and_screens_are_no_actors(text: str) -> None:
    assert actor_and_actions(text)[0] is None
