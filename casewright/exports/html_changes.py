"""The traceability report's account of an update: what changed since the story's last suite.

A suite that updated an earlier one (`casewright.living`) gets a "Changes" section: each
criterion added, changed or removed with its text then and now side by side, the cases kept,
updated, new and made obsolete, and the approvals withdrawn. Obsolete cases are listed with
their ids; their steps stay in the report's "Obsolete cases" section.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping

from casewright.models import CaseStatus, Suite

STATUSES: tuple[CaseStatus, ...] = ("kept", "updated", "new")
"""The statuses of live cases, in the order the report counts them."""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def case_counts(suite: Suite) -> str:
    """Return an update's case counts as a short phrase ('3 kept, 1 updated, ...')."""
    if suite.update is None:
        return ""
    tally = Counter(case.status for case in suite.live_cases)
    parts = [f"{tally[status]} {status}" for status in STATUSES]
    parts.append(f"{len(suite.update.obsoleted)} made obsolete")
    return ", ".join(parts)


def _case_links(ids: list[str], anchors: Mapping[str, str]) -> str:
    return ", ".join(f'<a href="#{anchors[cid]}">{_e(cid)}</a>' if cid in anchors else _e(cid)
                     for cid in ids) or "none"


def changes_section(suite: Suite, prefix: str, anchors: Mapping[str, str]) -> str:
    """Return the "Changes" section of an updated suite; empty for a first suite."""
    update = suite.update
    if update is None:
        return ""
    rows = "".join(
        f'<tr data-change="{change.change}" data-criterion="{_e(change.criterion_id)}">'
        f"<th scope=\"row\">{_e(change.criterion_id)}"
        + (f" (was {_e(change.previous_id)})"
           if change.previous_id not in {None, change.criterion_id} else "")
        + f"</th><td>{change.change}</td><td>{_e(change.previous_text or '')}</td>"
        f"<td>{_e(change.text or '')}</td></tr>" for change in update.criteria)
    table = ('<table class="changes"><thead><tr><th scope="col">Criterion</th>'
             '<th scope="col">Change</th><th scope="col">Before</th><th scope="col">Now</th>'
             f"</tr></thead><tbody>{rows}</tbody></table>") if rows else \
        "<p>No criterion changed.</p>"
    redesigned = " Unchanged criteria were designed again (--redesign)." \
        if update.redesigned else ""
    facts = (f"<dt>Cases</dt><dd>{case_counts(suite)}</dd>"
             f"<dt>Made obsolete</dt><dd>{_case_links(update.obsoleted, anchors)}</dd>"
             f"<dt>Approvals withdrawn</dt><dd>{_case_links(update.withdrawn, anchors)}</dd>")
    return (f'<section id="{prefix}changes"><h2>Changes since the earlier suite</h2>'
            f'<p class="meta">Updated the suite of {_e(update.previous_finished_at.isoformat())}'
            f".{redesigned}</p>{table}<dl class=\"facts\">{facts}</dl></section>")
