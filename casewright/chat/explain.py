"""Why a case cites a rule, answered from the evidence: no model, nothing invented.

The answer names how the rule reached the case (its criterion names it, the retriever found it
for that criterion, or the writer picked it from the evidence), and quotes the rule with its
page title and link: the workspace's page when it holds the rule, else the evidence's source.
"""

from __future__ import annotations

from pydantic import BaseModel

from casewright.agents.state import Evidence
from casewright.models import Page, Suite, TestCase


class Explanation(BaseModel):
    """Where one rule comes from, and why a case (if named) cites it."""

    rule_id: str
    reason: str
    rule_text: str | None = None
    page_title: str | None = None
    url: str | None = None

    def lines(self) -> list[str]:
        """Return the explanation as lines for a terminal."""
        lines = [self.reason]
        if self.rule_text is None:
            return [*lines, f"{self.rule_id} is in neither the evidence nor the workspace's pages"]
        lines.append(f"  {self.rule_text}")
        lines.append(f"  source: {self.page_title or 'untitled page'} — {self.url or 'no link'}")
        return lines


def explain_rule(rule_id: str, suite: Suite, evidence: Evidence, pages: list[Page],
                 case: TestCase | None = None) -> Explanation:
    """Explain one rule, and why `case` cites it (or that it does not)."""
    text, title, url = _rule_source(rule_id, suite, pages)
    if case is None:
        citing = [c.case_id for c in suite.cases if rule_id in c.rule_ids]
        reason = f"{rule_id} is cited by {', '.join(citing)}" if citing else \
            f"no case of {suite.story.key} cites {rule_id}"
    elif rule_id not in case.rule_ids:
        reason = f"{case.case_id} does not cite {rule_id}; it cites " + \
            (", ".join(case.rule_ids) or "no rule")
    else:
        reason = f"{case.case_id} cites {rule_id} because {_why(rule_id, case, suite, evidence)}"
    return Explanation(rule_id=rule_id, reason=reason, rule_text=text, page_title=title, url=url)


def explain_case(case: TestCase, suite: Suite, evidence: Evidence,
                 pages: list[Page]) -> list[Explanation]:
    """Explain every rule a case cites (none: an empty list)."""
    return [explain_rule(rule_id, suite, evidence, pages, case) for rule_id in case.rule_ids]


def _why(rule_id: str, case: TestCase, suite: Suite, evidence: Evidence) -> str:
    criteria = {c.criterion_id: c for c in suite.story.criteria}
    naming = [cid for cid in case.criterion_ids
              if cid in criteria and rule_id in criteria[cid].rule_ids]
    if naming:
        return f"the criterion it tests, {naming[0]}, names it"
    found = [cid for cid in case.criterion_ids if rule_id in evidence.by_criterion.get(cid, [])]
    if found:
        return f"the retriever found it in memory for {found[0]}"
    return "the writer chose it from the story's evidence"


def _rule_source(rule_id: str, suite: Suite,
                 pages: list[Page]) -> tuple[str | None, str | None, str | None]:
    for page in pages:
        for rule in page.rules:
            if rule.rule_id == rule_id:
                return rule.text, page.title, page.url
    for source in suite.sources:
        if source.source_id == rule_id:
            return source.text, source.title, source.url
    return None, None, None
