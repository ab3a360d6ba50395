"""Acceptance criteria parsed the way real teams write them."""

from __future__ import annotations

from casewright.tools.criteria import criteria_from_description, parse_criteria, split_clauses
from casewright.tools.wiki import wiki_to_blocks


def _criteria(markup: str):
    return criteria_from_description(wiki_to_blocks(markup))


def test_given_when_then_scenarios_under_a_heading_stop_at_the_next_heading() -> None:
    criteria = _criteria(
        "As an agent I want X so that Y.\n\nh3. Acceptance Criteria\n"
        "Scenario: Extension granted\nGiven a customer 10 days overdue\nAnd the account is open\n"
        "When the agent offers a 14 day extension\nThen the new due date is shown\n"
        "But no fee is added (BR-12)\n\n"
        "Given a customer with 2 extensions this year\nWhen the agent offers another\n"
        "Then the system refuses it per BR-13\n\nh3. Out of scope\nSMS reminders")
    assert [c.criterion_id for c in criteria] == ["AC1", "AC2"]
    first, second = criteria
    assert first.title == "Extension granted"
    assert first.given == ["a customer 10 days overdue", "the account is open"]
    assert first.when == ["the agent offers a 14 day extension"]
    assert first.then == ["the new due date is shown", "no fee is added (BR-12)"]
    assert first.rule_ids == ["BR-12"]
    assert second.then == ["the system refuses it per BR-13"]
    assert "SMS" not in " ".join(c.text for c in criteria)


def test_numbered_list_with_nested_details_is_one_criterion_per_item() -> None:
    criteria = _criteria("h2. Acceptance criteria\n# Agent can offer an extension\n"
                         "## up to 30 days\n## at most twice a year\n# Fee is waived\n"
                         "h2. Notes\n# not a criterion")
    assert [c.text for c in criteria] == [
        "Agent can offer an extension up to 30 days at most twice a year", "Fee is waived"]
    assert all(not c.is_gherkin for c in criteria)


def test_bold_label_and_bullets() -> None:
    criteria = _criteria("*Acceptance criteria:*\n* Balance shown\n* Fee shown\n\nNotes:\n* later")
    assert [c.text for c in criteria] == ["Balance shown", "Fee shown"]


def test_ac_prefixes_keep_their_own_ids_without_a_heading() -> None:
    criteria = _criteria("Story text.\n\nAC1: Balance shown\nAC-3: Fee shown\nAC 2) Date shown")
    assert [(c.criterion_id, c.text) for c in criteria] == [
        ("AC1", "Balance shown"), ("AC3", "Fee shown"), ("AC2", "Date shown")]


def test_an_ac_prefix_needs_no_punctuation_before_a_capital() -> None:
    """Teams number scenario titles so: "AC04 Back Link" was read as the act "Ac04e"."""
    criteria = _criteria("Story text.\n\nAC01 Back link\nAC 2 Fee shown\nAC-3 Date shown")
    assert [(c.criterion_id, c.text) for c in criteria] == [
        ("AC1", "Back link"), ("AC2", "Fee shown"), ("AC3", "Date shown")]


def test_a_ticket_key_or_ac_numbers_before_the_sentence_are_no_part_of_it() -> None:
    """Teams prefix titles with the ticket and the AC they test; words after stay whole."""
    criteria = _criteria("Story text.\n\nAC1: BNGP-2031 2 I cannot upload an empty metric file\n"
                         "AC2: PAY-101 - BUG - Refunds over £500 need approval\n"
                         "AC3: 1, 5 I cannot book a clinic outside England\n"
                         "AC4: COVID-19 vaccinations are shown\n"
                         "AC5: 1, 2 or 3 items can be selected")
    assert [c.text for c in criteria] == [
        "I cannot upload an empty metric file", "Refunds over £500 need approval",
        "I cannot book a clinic outside England", "COVID-19 vaccinations are shown",
        "1, 2 or 3 items can be selected"]


def test_id_criterion_table() -> None:
    criteria = _criteria("h3. Acceptance criteria\n||ID||Acceptance criterion||Owner||\n"
                         "|AC1|Balance shown|Ops|\n|AC2|Fee shown per BR-4|Ops|")
    assert [(c.criterion_id, c.text, c.rule_ids) for c in criteria] == [
        ("AC1", "Balance shown", []), ("AC2", "Fee shown per BR-4", ["BR-4"])]


def test_given_when_then_table() -> None:
    criteria = _criteria("h3. Acceptance criteria\n||Given||When||Then||\n"
                         "|a customer in arrears|the agent opens the plan|the plan is offered|")
    assert criteria[0].given == ["a customer in arrears"]
    assert criteria[0].when == ["the agent opens the plan"]
    assert criteria[0].then == ["the plan is offered"]


def test_one_line_given_when_then() -> None:
    (criterion,) = parse_criteria(wiki_to_blocks(
        "Given a verified caller, when they ask for a SAR, then a reference is given, and "
        "the due date is 30 days"))
    assert criterion.given == ["a verified caller"]
    assert criterion.when == ["they ask for a SAR"]
    assert criterion.then == ["a reference is given", "the due date is 30 days"]


def test_and_inside_a_clause_is_not_a_keyword() -> None:
    assert split_clauses("Given name and address are shown") == [
        ("given", "name and address are shown")]


def test_description_without_criteria_gives_none() -> None:
    assert _criteria("As an agent I want a nicer screen.\n\nh3. Notes\nTBC") == []


def test_content_hash_ignores_whitespace_and_case() -> None:
    one = _criteria("AC1: Balance   shown")[0]
    two = _criteria("AC1: balance shown")[0]
    assert one.content_hash == two.content_hash
    assert one.content_hash != _criteria("AC1: Fee shown")[0].content_hash
