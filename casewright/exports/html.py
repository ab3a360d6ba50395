"""HTML: a traceability report, a criteria x cases matrix a UAT lead reads first.

`render` makes one story's report; `render_run` one page for a whole run: an overview of
every story (criteria covered, negative and boundary cases present, open findings), then each
story's report, with ids prefixed by the story key so links stay within their story.

The page is self-contained (inline CSS and JS from `report.html`, no fonts or scripts fetched),
so it opens offline and can be attached to a ticket. Every piece of story, rule or model text
is escaped, and only http(s) URLs become links. Matrix rows are the story's criteria (plus any
id a case traces to that the story lacks); columns are the cases; each cell names the kind of
a case that traces to the criterion and links to the case, expandable with its steps. A suite
that updated an earlier one also says what changed (`html_changes`); its obsolete cases leave
the matrix for a section of their own, never dropped.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from functools import cache
from importlib import resources
from string import Template
from urllib.parse import urlsplit

from casewright.exports.html_changes import case_counts, changes_section
from casewright.models import Finding, Source, Suite, TestCase

LINK_SCHEMES = {"http", "https", "file"}
"""Schemes linked: Confluence pages, and workspace pages kept as files."""
OPEN_MARK = "\u2691"  # a flag: the case has open findings


def render(suite: Suite) -> str:
    """Return the suite's traceability report as one HTML document."""
    story = suite.story
    return _template().substitute(title=_e(f"{story.key} traceability: {story.summary}"),
                                  body=_Report(suite).body())


def render_run(suites: Sequence[Suite]) -> str:
    """Return one report for a run's suites: the overview, then every story's report."""
    reports = [_Report(suite, prefix=f"{suite.story.key}-") for suite in suites]
    keys = [suite.story.key for suite in suites]
    span = f"{keys[0]} to {keys[-1]}" if len(keys) > 1 else "".join(keys)
    title = f"Traceability: {len(suites)} stories ({span})"
    stories = "\n".join(f'<article class="story" id="{_e(r.prefix)}story" '
                        f'data-story="{_e(r.suite.story.key)}">{r.body()}</article>'
                        for r in reports)
    return _template().substitute(title=_e(title),
                                  body=f"{_overview(title, reports)}\n{stories}")


def _overview(title: str, reports: Sequence[_Report]) -> str:
    """Return the run's table: a row per story, linking to its report."""
    rows = []
    for report in reports:
        story, suite = report.suite.story, report.suite
        covered = [c for c in story.criteria if suite.cases_for(c.criterion_id)]
        kinds = {c.criterion_id: {case.kind for case in suite.cases_for(c.criterion_id)}
                 for c in story.criteria}
        counts = [("covered", f"{len(covered)} of {len(story.criteria)}",
                   len(covered) == len(story.criteria)),
                  ("negative", str(sum("negative" in k for k in kinds.values())), True),
                  ("boundary", str(sum("boundary" in k for k in kinds.values())), True),
                  ("cases", str(len(suite.live_cases)), True)]
        cells = "".join(f'<td data-check="{name}" class="{"" if fine else "no"}">{value}</td>'
                        for name, value, fine in counts)
        cells += (f'<td data-check="findings" class="{"open" if suite.findings else ""}">'
                  f"{len(suite.findings)}</td>")
        changed = f' <span class="meta">({case_counts(suite)})</span>' if suite.update else ""
        rows.append(f'<tr data-story="{_e(story.key)}"><th scope="row">'
                    f'<a href="#{_e(report.prefix)}story">{_e(story.key)}</a> '
                    f"{_e(story.summary)}{changed}</th>{cells}</tr>")
    return (f'<header><h1>{_e(title)}</h1><p class="meta">Criteria with a negative or a '
            "boundary case are counted per story; open the story for its matrix.</p></header>"
            '<section id="overview"><table class="overview"><thead><tr>'
            '<th scope="col">Story</th><th scope="col">Criteria covered</th>'
            '<th scope="col">With negative</th><th scope="col">With boundary</th>'
            '<th scope="col">Cases</th><th scope="col">Open findings</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></section>")


@cache
def _template() -> Template:
    return Template((resources.files(__package__) / "report.html").read_text(encoding="utf-8"))


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _place(source: Source) -> str:
    """Return where a passage sits: its page title, then its headings."""
    return " › ".join([source.title, *source.heading_path])


def _link(text: str, url: str | None, title: str | None = None) -> str:
    """Return text as a link when url is http(s), else as plain (escaped) text."""
    try:
        scheme = urlsplit(url).scheme.lower() if url else ""
    except ValueError:  # a malformed URL, such as an unclosed IPv6 bracket
        scheme = ""
    if scheme not in LINK_SCHEMES:
        return _e(text)
    hover = f' title="{_e(title)}"' if title else ""
    return f'<a href="{_e(url)}"{hover}>{_e(text)}</a>'


def _items(values: Iterable[str], empty: str = "none") -> str:
    return ", ".join(values) or empty


class _Report:
    """One suite, with the look-ups its sections share."""

    def __init__(self, suite: Suite, prefix: str = "") -> None:
        self.suite = suite
        self.prefix = prefix
        self.anchors = {case.case_id: f"{prefix}case-{n}"
                        for n, case in enumerate(self.suite.cases, 1)}
        self.sources_by_id = {source.source_id: source for source in self.suite.sources}
        self.open_by_case: dict[str, list[Finding]] = {}
        for finding in self.suite.findings:
            if finding.case_id is not None:
                self.open_by_case.setdefault(finding.case_id, []).append(finding)

    def body(self) -> str:
        """Return the story's sections: header, matrix, cases, findings, evidence, provenance."""
        return "\n".join([self.header(), changes_section(self.suite, self.prefix, self.anchors),
                          self.matrix(), self.cases(), self.findings(), self.sources(),
                          self.provenance()])

    def short(self, case: TestCase) -> str:
        """Return a case's id without its story key, for a narrow column heading."""
        return case.case_id.removeprefix(f"{self.suite.story.key}-")

    def header(self) -> str:
        story, suite = self.suite.story, self.suite
        criteria = [c.criterion_id for c in story.criteria]
        covered = [cid for cid in criteria if suite.cases_for(cid)]
        facts = [f"Story {_link(story.key, story.url)}"]
        if story.epic_key:
            facts.append(f"epic {_e(story.epic_key)}")
        obsolete = len(suite.cases) - len(suite.live_cases)
        facts += [f"{len(covered)} of {len(criteria)} criteria covered",
                  f"{len(suite.live_cases)} cases"
                  + (f" (and {obsolete} obsolete)" if obsolete else ""),
                  f"{len(suite.findings)} open findings",
                  f"{_e(suite.provenance.pipeline)} pipeline"]
        return (f"<header><h1>{_e(f'{story.key}: {story.summary}')}</h1>"
                f'<p class="meta">{" · ".join(facts)}</p></header>')

    def matrix(self) -> str:
        story, cases = self.suite.story, self.suite.live_cases
        texts = {c.criterion_id: c.text for c in story.criteria}
        rows = dict.fromkeys([*texts, *(cid for case in cases for cid in case.criterion_ids)])
        heads = "".join(
            f'<th scope="col" data-case="{_e(case.case_id)}" title="{_e(case.title)}">'
            f'<a href="#{self.anchors[case.case_id]}">{_e(self.short(case))}</a></th>'
            for case in cases)
        body = "".join(self.matrix_row(cid, texts.get(cid)) for cid in rows)
        return (f'<section id="{self.prefix}matrix"><h2>Criteria \u00d7 cases</h2>'
                '<p class="legend">A cell names the kind of a case that traces to the criterion; '
                f'{OPEN_MARK} marks a case with open findings. Click a cell to open the case.</p>'
                '<div class="scroll"><table class="matrix"><thead><tr>'
                '<th scope="col">Criterion</th><th scope="col">Covered</th>'
                '<th scope="col">Negative</th><th scope="col">Boundary</th>'
                f'<th scope="col">Open findings</th>{heads}</tr></thead>'
                f"<tbody>{body}</tbody></table></div></section>")

    def matrix_row(self, criterion_id: str, text: str | None) -> str:
        tracing = self.suite.cases_for(criterion_id)
        kinds = {case.kind for case in tracing}
        tracing_ids = {case.case_id for case in tracing}
        findings = [f for f in self.suite.findings
                    if f.criterion_id == criterion_id or f.case_id in tracing_ids]
        label = _e(text) if text is not None else \
            '<span class="unknown">not a criterion of this story</span>'
        checks = [("covered", bool(tracing), "no"), ("negative", "negative" in kinds, ""),
                  ("boundary", "boundary" in kinds, "")]
        cells = "".join(
            f'<td data-check="{name}" class="{"yes" if present else absent}">'
            f'{"yes" if present else "no"}</td>' for name, present, absent in checks)
        cells += (f'<td data-check="findings" class="{"open" if findings else ""}">'
                  f"{len(findings)}</td>")
        cells += "".join(self.matrix_cell(case, criterion_id)
                         for case in self.suite.live_cases)
        return (f'<tr data-criterion="{_e(criterion_id)}"><th scope="row">'
                f"<b>{_e(criterion_id)}</b>{label}</th>{cells}</tr>")

    def matrix_cell(self, case: TestCase, criterion_id: str) -> str:
        if criterion_id not in case.criterion_ids:
            return f'<td data-case="{_e(case.case_id)}"></td>'
        is_open = case.case_id in self.open_by_case
        mark = f" {OPEN_MARK}" if is_open else ""
        return (f'<td class="traces{" open" if is_open else ""}" data-case="{_e(case.case_id)}" '
                f'data-kind="{case.kind}"><a href="#{self.anchors[case.case_id]}" '
                f'title="{_e(case.title)}">{case.kind}{mark}</a></td>')

    def cases(self) -> str:
        cases = "\n".join(self.case(case) for case in self.suite.live_cases) or "<p>None.</p>"
        obsolete = [case for case in self.suite.cases if case.status == "obsolete"]
        retired = "" if not obsolete else (
            f'<h3 id="{self.prefix}obsolete">Obsolete cases</h3><p class="legend">Their '
            "criterion changed or was removed: kept for the record, no longer to run.</p>"
            + "\n".join(self.case(case) for case in obsolete))
        return (f'<section id="{self.prefix}cases"><h2>Test cases</h2>'
                '<p><button type="button" data-expand="all">Expand all</button>'
                '<button type="button" data-expand="none">Collapse all</button></p>'
                f"{cases}{retired}</section>")

    def case(self, case: TestCase) -> str:
        findings = self.open_by_case.get(case.case_id, [])
        tags = f'<span class="tag">{case.kind}</span><span class="tag">{case.priority}</span>'
        if self.suite.update is not None or case.status != "new":
            tags += f'<span class="tag status-{case.status}">{case.status}</span>'
        if findings:
            tags += f'<span class="tag open">{OPEN_MARK} {len(findings)} open</span>'
        rules = _items(self.cited(rule_id) for rule_id in case.rule_ids)
        passages = _items(self.cited(source_id) for source_id in case.source_ids)
        facts = (f"<dt>Criteria</dt><dd>{_e(_items(case.criterion_ids))}</dd>"
                 f"<dt>Rules</dt><dd>{rules}</dd><dt>Evidence</dt><dd>{passages}</dd>"
                 f"<dt>Labels</dt><dd>{_e(_items(case.labels))}</dd>")
        parts = [f"<p>{_e(case.objective)}</p>", f'<dl class="facts">{facts}</dl>']
        if case.preconditions:
            items = "".join(f"<li>{_e(p)}</li>" for p in case.preconditions)
            parts.append(f"<h4>Preconditions</h4><ul>{items}</ul>")
        steps = "".join(
            f"<tr><td>{number}</td><td>{_e(step.action)}</td><td>{_e(step.data)}</td>"
            f"<td>{_e(step.expected)}</td></tr>" for number, step in enumerate(case.steps, 1))
        parts.append('<table class="steps"><thead><tr><th>#</th><th>Action</th><th>Data</th>'
                     f"<th>Expected result</th></tr></thead><tbody>{steps}</tbody></table>")
        if findings:
            parts.append(self.finding_list(findings))
        return (f'<details class="case" id="{self.anchors[case.case_id]}" '
                f'data-case="{_e(case.case_id)}" data-status="{case.status}"><summary>'
                f"{_e(case.case_id)}: "
                f"{_e(case.title)} {tags}</summary>{''.join(parts)}</details>")

    def cited(self, source_id: str) -> str:
        source: Source | None = self.sources_by_id.get(source_id)
        if source is None:
            return f'<span class="missing" title="not in the evidence">{_e(source_id)}</span>'
        return _link(source_id, source.url, _place(source))

    def finding_list(self, findings: list[Finding]) -> str:
        items = "".join(
            f'<li><span class="sev-{finding.severity}">{finding.severity}</span> '
            f"<code>{_e(finding.check)}</code>{self.finding_place(finding)}: "
            f"{_e(finding.message)}</li>" for finding in findings)
        return f'<ul class="findings">{items}</ul>'

    def finding_place(self, finding: Finding) -> str:
        places = []
        if finding.case_id is not None:
            anchor = self.anchors.get(finding.case_id)
            places.append(f'<a href="#{anchor}">{_e(finding.case_id)}</a>' if anchor
                          else _e(finding.case_id))
        if finding.criterion_id is not None:
            places.append(_e(finding.criterion_id))
        return f" ({', '.join(places)})" if places else ""

    def findings(self) -> str:
        listed = self.finding_list(self.suite.findings) if self.suite.findings else "<p>None.</p>"
        return f'<section id="{self.prefix}findings"><h2>Open findings</h2>{listed}</section>'

    def sources(self) -> str:
        rows = "".join(
            f"<tr><td>{_e(s.source_id)}</td><td>{s.kind}</td>"
            f"<td>{_link(_place(s), s.url)}</td><td>{_e(s.text)}</td></tr>"
            for s in self.suite.sources)
        table = ('<table class="sources"><thead><tr><th>Id</th><th>Kind</th><th>Title</th>'
                 f"<th>Text</th></tr></thead><tbody>{rows}</tbody></table>") if rows else \
            "<p>None.</p>"
        return f'<section id="{self.prefix}sources"><h2>Evidence</h2>{table}</section>'

    def provenance(self) -> str:
        made = self.suite.provenance
        facts = [("Pipeline", made.pipeline), ("Tool version", made.tool_version),
                 ("Workspace", made.workspace or "not recorded"),
                 ("Started", made.started_at.isoformat()),
                 ("Finished", made.finished_at.isoformat()),
                 *((name, "not set" if value is None else value)
                   for name, value in made.settings.items())]
        items = "".join(f"<dt>{_e(name)}</dt><dd>{_e(value)}</dd>" for name, value in facts)
        return (f'<section id="{self.prefix}provenance"><h2>Provenance</h2>'
                f'<dl class="facts">{items}</dl></section>')
