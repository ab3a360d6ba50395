"""The deterministic checks on cases, shared by the reviewer and finish nodes and chat edits.

One case: degenerate text, restating its criterion, off its objective or subject, rules not in
evidence, words found in no source, a duplicate of an existing test. A criterion's cases
together: a negative expecting the positive outcome, two cases of one configuration.
"""

from __future__ import annotations

from casewright.agents.state import Evidence
from casewright.approval import MODEL_LABEL
from casewright.models import Finding, Story, TestCase
from casewright.prompts import load_template
from casewright.quality import (
    BORROWED_ENOUGH,
    borrowed_words,
    degenerate_problems,
    duplicate_of,
    is_ungrounded,
    names_key_terms,
    negatives_asserting_positive,
    restates,
    signature,
    ungrounded_words,
)


def sources_text(story: Story, evidence: Evidence) -> str:
    """Return every text a case may draw its words from: the story, evidence and templates."""
    parts = [story.summary, story.description, *(c.text for c in story.criteria)]
    parts += [f"{s.title} {s.text}" for s in evidence.sources]
    parts += [f"{term} {meaning}" for term, meaning in evidence.glossary.items()]
    parts += [str(text) for text in load_template("fixed_pipeline").values()]
    return "\n".join(parts)


def own_sources(case: TestCase, story: Story, evidence: Evidence) -> str:
    """Return what a case may take its subject from: its story and its criteria's rules."""
    ids = {sid for cid in case.criterion_ids for sid in evidence.by_criterion.get(cid, [])}
    parts = [story.summary, story.description, case.objective, *(c.text for c in story.criteria)]
    parts += [f"{s.title} {s.text}" for s in evidence.sources if s.source_id in ids]
    return "\n".join(parts)


def check_case(case: TestCase, story: Story, evidence: Evidence,
               existing: list[TestCase]) -> list[Finding]:
    """Return the deterministic findings on one case."""
    def finding(check: str, message: str) -> Finding:
        return Finding(check=check, message=message, severity="error", case_id=case.case_id,
                       criterion_id=case.criterion_ids[0] if case.criterion_ids else None)

    reworded = MODEL_LABEL in case.labels
    findings = [finding(p.check, p.message)
                for p in degenerate_problems(case, story, evidence.exemplars, reworded)]
    criteria = [c for c in story.criteria if c.criterion_id in case.criterion_ids]
    if criteria and all(restates(case, criterion) for criterion in criteria):
        findings.append(finding("restating", "only restates its criterion: no test data, "
                                "no set-up of its own, no concrete action"))
    if criteria and not any(names_key_terms(case, criterion) for criterion in criteria):
        findings.append(finding("off-objective", f"never names what {criteria[0].criterion_id} "
                                "is about"))
    taken = borrowed_words(case, own_sources(case, story, evidence), evidence.exemplars) \
        if reworded else set()
    if len(taken) >= BORROWED_ENOUGH:
        findings.append(finding("off-subject", "takes an exemplar's subject or data: "
                                + ", ".join(sorted(taken)[:5])))
    unknown = sorted(set(case.rule_ids) - evidence.rule_ids())
    if unknown:
        findings.append(finding("unknown-rule", f"cites {', '.join(unknown)}, not in evidence"))
    sources = f"{sources_text(story, evidence)}\n{case.objective}"
    if is_ungrounded(case, sources):
        invented = ", ".join(sorted(ungrounded_words(case, sources))[:5])
        findings.append(finding("ungrounded", f"uses words found in no source: {invented}"))
    if (twin := duplicate_of(case, existing)) is not None:
        findings.append(finding("duplicate", f"repeats existing test {twin.case_id}"))
    return findings


def suite_findings(cases: list[TestCase]) -> list[Finding]:
    """Return the findings that compare a case with the other cases of its criterion."""
    def finding(case: TestCase, check: str, message: str) -> Finding:
        return Finding(check=check, message=message, severity="error", case_id=case.case_id,
                       criterion_id=case.criterion_ids[0] if case.criterion_ids else None)

    findings = [finding(case, "same-outcome", "a negative case that expects what the "
                        "positive case expects") for case in negatives_asserting_positive(cases)]
    seen: dict[tuple[str, object], str] = {}
    for case in cases:
        for cid in case.criterion_ids:
            key = (cid, signature(case))
            if key in seen:
                findings.append(finding(case, "indistinct", f"tests the same configuration as "
                                        f"{seen[key]}"))
            seen.setdefault(key, case.case_id)
    return findings
