"""Each rich-text format reduces to the same blocks: wiki, ADF, storage XHTML, Markdown.

A case rendered as a Jira description (ADF or wiki markup) parses back to its own text.
"""

from __future__ import annotations

from casewright.models import Step, Story, TestCase
from casewright.tools.adf import adf_to_blocks, case_adf
from casewright.tools.blocks import Block
from casewright.tools.html_blocks import html_to_blocks
from casewright.tools.markdown_blocks import markdown_to_blocks
from casewright.tools.wiki import case_wiki, wiki_text, wiki_to_blocks

EXPECTED = [
    Block("heading", "Acceptance criteria", level=3),
    Block("item", "Agent sees the balance", level=1),
    Block("item", "Within 30 days", level=2),
    Block("row", "ID | Criterion", cells=("ID", "Criterion"), header=True),
    Block("row", "AC1 | Fee shown", cells=("AC1", "Fee shown")),
    Block("paragraph", "Given a customer\nWhen the agent opens it"),
]


def _text(text: str) -> dict:
    return {"type": "text", "text": text}


def test_wiki_markup() -> None:
    markup = ("h3. Acceptance *criteria*\n# Agent sees the _balance_\n## Within {{30}} days\n"
              "||ID||Criterion||\n|AC1|Fee shown|\n\nGiven a customer\nWhen the agent opens it")
    assert wiki_to_blocks(markup) == EXPECTED


def test_wiki_links_preformatted_and_bold_label() -> None:
    blocks = wiki_to_blocks("*Acceptance criteria:*\nSee [the rules|https://x/y]\n"
                            "{noformat}\nraw *text*\n{noformat}")
    assert [b.text for b in blocks] == ["Acceptance criteria:\nSee the rules", "raw *text*"]


def test_adf_document() -> None:
    document = {"type": "doc", "version": 1, "content": [
        {"type": "heading", "attrs": {"level": 3}, "content": [
            _text("Acceptance "),
            {"type": "text", "text": "criteria", "marks": [{"type": "strong"}]}]},
        {"type": "orderedList", "content": [{"type": "listItem", "content": [
            {"type": "paragraph", "content": [_text("Agent sees the balance")]},
            {"type": "bulletList", "content": [{"type": "listItem", "content": [
                {"type": "paragraph", "content": [_text("Within 30 days")]}]}]}]}]},
        {"type": "table", "content": [
            {"type": "tableRow", "content": [
                {"type": "tableHeader", "content": [
                    {"type": "paragraph", "content": [_text("ID")]}]},
                {"type": "tableHeader", "content": [
                    {"type": "paragraph", "content": [_text("Criterion")]}]}]},
            {"type": "tableRow", "content": [
                {"type": "tableCell", "content": [
                    {"type": "paragraph", "content": [_text("AC1")]}]},
                {"type": "tableCell", "content": [
                    {"type": "paragraph", "content": [_text("Fee shown")]}]}]}]},
        {"type": "panel", "content": [{"type": "paragraph", "content": [
            _text("Given a customer"), {"type": "hardBreak"}, _text("When the agent opens it")]}]},
    ]}
    assert adf_to_blocks(document) == EXPECTED


def test_storage_xhtml() -> None:
    storage = ("<h3>Acceptance <strong>criteria</strong></h3><ol><li><p>Agent sees the balance</p>"
               "<ul><li>Within 30 days</li></ul></li></ol><table><tbody><tr><th>ID</th>"
               "<th>Criterion</th></tr><tr><td><p>AC1</p></td><td>Fee shown</td></tr></tbody>"
               "</table><ac:structured-macro ac:name=\"info\"><ac:parameter ac:name=\"title\">"
               "Hidden</ac:parameter><ac:rich-text-body><p>Given a customer<br/>When the agent "
               "opens it</p></ac:rich-text-body></ac:structured-macro>")
    assert html_to_blocks(storage) == EXPECTED


def test_storage_links_cdata_and_time() -> None:
    storage = ('<p>See <ac:link><ri:page ri:content-title="Fees and charges" /></ac:link> and '
               '<ac:link><ri:page ri:content-title="X" /><ac:plain-text-link-body><![CDATA[the '
               'ID&V page]]></ac:plain-text-link-body></ac:link> from '
               '<time datetime="2024-01-01" /></p>')
    assert [b.text for b in html_to_blocks(storage)] == [
        "See Fees and charges and the ID&V page from 2024-01-01"]


def test_markdown() -> None:
    markdown = ("### Acceptance **criteria**\n1. Agent sees the balance\n   - Within `30` days\n\n"
                "| ID | Criterion |\n|----|-----------|\n| AC1 | Fee shown |\n\n"
                "Given a customer\nWhen the agent opens it\n")
    assert markdown_to_blocks(markdown) == EXPECTED


STORY = Story(key="CC-101", summary="Show the fee", project="CC")
CASE = TestCase(
    case_id="CC-101-TC01", title="Fee shown", objective="Prove the fee is shown",
    story_key="CC-101", criterion_ids=["AC1", "AC2"], rule_ids=["R1"],
    preconditions=["Agent signed in", "Account open"],
    steps=[Step(action="Open the account", data="ACC-1", expected="The fee shows\nin red"),
           Step(action="Close it", expected="Gone")])
HEAD = ["Objective: Prove the fee is shown", "Story: CC-101 Show the fee",
        "Criteria: AC1, AC2 · Rules: R1 · Kind: positive · Priority: medium"]
BODY = [
    Block("heading", "Preconditions", level=3),
    Block("item", "Agent signed in", level=1),
    Block("item", "Account open", level=1),
    Block("heading", "Steps", level=3),
    Block("row", "# | Action | Data | Expected result",
          cells=("#", "Action", "Data", "Expected result"), header=True),
    Block("row", "1 | Open the account | ACC-1 | The fee shows in red",
          cells=("1", "Open the account", "ACC-1", "The fee shows in red")),
    Block("row", "2 | Close it | Gone", cells=("2", "Close it", "", "Gone")),
    Block("paragraph", "Written by casewright as CC-101-TC01; pushing the case again rewrites "
          "this summary and description."),
]


def test_a_case_rendered_as_adf_parses_back_to_its_text() -> None:
    document = case_adf(CASE, STORY)
    assert document["type"] == "doc" and document["version"] == 1
    assert document["content"][0]["content"][0] == {
        "type": "text", "text": "Objective: ", "marks": [{"type": "strong"}]}
    assert adf_to_blocks(document) == [*(Block("paragraph", line) for line in HEAD), *BODY]


def test_a_case_rendered_as_wiki_markup_parses_back_to_its_text() -> None:
    markup = case_wiki(CASE, STORY)
    assert markup.startswith("*Objective:* Prove the fee is shown\n")
    assert r"|1|Open the account|ACC-1|The fee shows \\ in red|" in markup
    assert wiki_to_blocks(markup) == [Block("paragraph", "\n".join(HEAD)), *BODY]


def test_wiki_text_escapes_markup_and_keeps_line_breaks() -> None:
    assert wiki_text("a|b  *c*\n\n[d]{e}_f_") == r"a\|b \*c\* \\ \[d\]\{e\}\_f\_"
