"""The HTML traceability report, read the way a UAT lead sees it: rendered in headless Chromium.

The suite is the bundled sample's CC-102 from the fixed pipeline, with the rules it cites as
evidence, plus a negative and a boundary case, open findings, a case tracing to an id the
story lacks, and text that would break naive HTML. Chromium and chromedriver come from the
Debian packages `chromium` and `chromium-driver` (`.ci/run` installs them); without them the
browser tests fail, saying so.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from casewright.agents.fixed_pipeline import run_fixed
from casewright.config import load_settings
from casewright.exports import get_exporter
from casewright.models import Finding, Source, Step, Suite, TestCase
from casewright.tools.workspace import Workspace, bundled_sample

NASTY = '<script>alert("x")</script> & <b>not bold</b>'
CHROME_FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1400,1000")


@pytest.fixture(scope="module")
def suite() -> Suite:
    workspace = Workspace(bundled_sample(), load_settings(bundled_sample()))
    fixed = run_fixed(workspace.jira.get_story("CC-102"), workspace.settings)
    rules = {rule.rule_id: (rule, page) for page in workspace.confluence.list_pages()
             for rule in page.rules}
    sources = [Source(source_id=rule_id, kind="rule", title=rules[rule_id][1].title,
                      url=rules[rule_id][1].url, text=rules[rule_id][0].text)
               for rule_id in ("BR-9", "BR-12")]
    steps = [Step(action="Waive a second fee within 12 months", data="£12.00",
                  expected="The waiver waits for team leader approval")]
    added = [
        TestCase(case_id="CC-102-TC05", title=f"Second waiver {NASTY}", objective=NASTY,
                 kind="negative", steps=steps, story_key="CC-102", criterion_ids=["AC3"],
                 rule_ids=["BR-12", "BR-99"], preconditions=["One fee waived 11 months ago"]),
        TestCase(case_id="CC-102-TC06", title="Waiver exactly 12 months after the last",
                 objective="A waiver 12 months and a day later needs no approval",
                 kind="boundary", steps=steps, story_key="CC-102", criterion_ids=["AC3", "AC4"]),
        TestCase(case_id="CC-102-TC07", title="Traces to a criterion the story lacks",
                 objective="Stale trace", steps=steps, story_key="CC-102",
                 criterion_ids=["AC9"]),
    ]
    findings = [Finding(check="weak-expected", message=f"Expected result {NASTY}",
                        case_id="CC-102-TC06"),
                Finding(check="missing-condition", message="No role case for AC4",
                        criterion_id="AC4", severity="error")]
    return fixed.model_copy(update={"cases": [*fixed.cases, *added], "findings": findings,
                                    "sources": sources})


def expected_rows(suite: Suite) -> list[dict[str, object]]:
    """Return the matrix as the suite says it should read, row by row."""
    flagged = {finding.case_id for finding in suite.findings}
    ids = [c.criterion_id for c in suite.story.criteria]
    ids += [cid for case in suite.cases for cid in case.criterion_ids if cid not in ids]
    rows = []
    for cid in ids:
        tracing = suite.cases_for(cid)
        kinds = {case.kind for case in tracing}
        findings = [f for f in suite.findings if f.criterion_id == cid
                    or f.case_id in {case.case_id for case in tracing}]
        rows.append({
            "criterion": cid,
            "checks": ["yes" if tracing else "no", "yes" if "negative" in kinds else "no",
                       "yes" if "boundary" in kinds else "no", str(len(findings))],
            "cells": [(case.kind + (" \u2691" if case.case_id in flagged else ""))
                      if cid in case.criterion_ids else "" for case in suite.cases],
        })
    return rows


READ_MATRIX = """
return Array.from(document.querySelectorAll("table.matrix tbody tr")).map(tr => ({
  criterion: tr.dataset.criterion,
  checks: Array.from(tr.querySelectorAll("td[data-check]")).map(td => td.textContent.trim()),
  cells: Array.from(tr.querySelectorAll("td[data-case]")).map(td => td.textContent.trim()),
}));
"""


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A headless Chromium driven through chromedriver, offline, with a fresh profile."""
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or driver_path is None:
        pytest.fail("the HTML report test needs Chromium and chromedriver: install the Debian "
                    "packages with `apt-get update && apt-get install -y chromium "
                    "chromium-driver` (.ci/run does this)", pytrace=False)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (*CHROME_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def report(suite: Suite, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("report") / "CC-102.html"
    path.write_text(get_exporter("html").render(suite), encoding="utf-8")
    return path


def test_chromium_renders_the_matrix_the_suite_describes(browser, report: Path,
                                                          suite: Suite) -> None:
    browser.get(report.as_uri())
    assert browser.title.startswith("CC-102 traceability: Show late payment fee")
    assert browser.execute_script(READ_MATRIX) == expected_rows(suite)
    heads = browser.execute_script(
        'return Array.from(document.querySelectorAll("table.matrix thead th[data-case]"))'
        ".map(th => th.dataset.case)")
    assert heads == [case.case_id for case in suite.cases]
    unknown = browser.execute_script(
        'return document.querySelector(\'tr[data-criterion="AC9"] th\').textContent')
    assert "not a criterion of this story" in unknown


def test_a_matrix_cell_opens_its_case_with_steps_rules_and_findings(browser, report: Path,
                                                                    suite: Suite) -> None:
    from selenium.webdriver.common.by import By

    browser.get(report.as_uri())
    details = browser.find_element(By.CSS_SELECTOR, 'details[data-case="CC-102-TC05"]')
    assert not details.get_attribute("open")
    browser.find_element(By.CSS_SELECTOR,
                         'tr[data-criterion="AC3"] td[data-case="CC-102-TC05"] a').click()
    assert details.get_attribute("open") is not None
    assert "Waive a second fee within 12 months" in details.text
    assert "One fee waived 11 months ago" in details.text
    link = details.find_element(By.LINK_TEXT, "BR-12")
    rule_page = next(source.url for source in suite.sources if source.source_id == "BR-12")
    assert link.get_attribute("href") == rule_page
    missing = details.find_element(By.CSS_SELECTOR, ".missing")
    assert missing.text == "BR-99" and missing.get_attribute("title") == "not in the evidence"
    assert NASTY in details.text  # shown as text, never run or rendered as markup
    assert browser.execute_script("return document.querySelectorAll('script').length") == 1
    assert browser.execute_script("return document.querySelectorAll('details b').length") == 0


def test_expand_all_then_screenshot(browser, report: Path, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    browser.get(report.as_uri())
    browser.find_element(By.CSS_SELECTOR, 'button[data-expand="all"]').click()
    opened = browser.execute_script("return document.querySelectorAll('details[open]').length")
    assert opened == 7
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1400, min(height + 100, 6000))
    shot = tmp_path / "CC-102-report.png"
    assert browser.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    width, tall = struct.unpack(">II", data[16:24])
    assert width >= 1200 and tall >= 1000
    pixels = zlib.decompress(b"".join(_chunks(data, b"IDAT")))
    assert len(set(pixels[::97])) > 32, "the screenshot is nearly blank"
    print(f"screenshot: {shot}")


def _chunks(png: bytes, kind: bytes) -> Iterator[bytes]:
    """Yield the data of a PNG's chunks of one kind."""
    at = 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at:at + 4])
        if png[at + 4:at + 8] == kind:
            yield png[at + 8:at + 8 + length]
        at += 12 + length


def test_the_report_fetches_nothing_when_viewed(suite: Suite) -> None:
    text = get_exporter("html").render(suite)
    for fetching in ("<link", "src=", "@import", "url(", "<iframe", "<img"):
        assert fetching not in text, fetching
    assert text.count("<script>") == 1 and "&lt;script&gt;alert" in text


def test_unsafe_urls_are_not_links(suite: Suite) -> None:
    bad = suite.model_copy(update={"sources": [
        Source(source_id="BR-12", kind="rule", title="t", url="javascript:alert(1)"),
        Source(source_id="BR-9", kind="rule", title="t", url="http://[broken")]})
    text = get_exporter("html").render(bad)
    assert "javascript:" not in text and "http://[broken" not in text


def test_the_cli_writes_html_and_jsonl_files(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "casewright", "run", "CC-102", "-p", "fixed", "-f", "html,jsonl",
         "-o", "out"], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "out" / "CC-102.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'data-criterion="AC4"' in page
    assert len((tmp_path / "out" / "CC-102.jsonl").read_text(encoding="utf-8").splitlines()) == 4
    assert (tmp_path / "out" / "report.html").is_file(), "the run's one report beside them"


def overview_row(suite: Suite) -> list[str]:
    """Return a story's overview row as the suite says it should read."""
    criteria = [c.criterion_id for c in suite.story.criteria]
    kinds = [{case.kind for case in suite.cases_for(cid)} for cid in criteria]
    covered = sum(bool(k) for k in kinds)
    return [suite.story.key, f"{covered} of {len(criteria)}",
            str(sum("negative" in k for k in kinds)), str(sum("boundary" in k for k in kinds)),
            str(len(suite.cases)), str(len(suite.findings))]


def test_chromium_renders_one_report_for_a_whole_run(browser, suite: Suite,
                                                     tmp_path: Path) -> None:
    """The run report: an overview row per story, then each story's matrix, links kept apart."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    workspace = Workspace(bundled_sample(), load_settings(bundled_sample()))
    other = run_fixed(workspace.jira.get_story("CC-101"), workspace.settings)
    page = tmp_path / "report.html"
    page.write_text(get_exporter("html").render_run([other, suite]), encoding="utf-8")
    browser.get(page.as_uri())
    assert browser.title == "Traceability: 2 stories (CC-101 to CC-102)"
    overview = browser.execute_script(
        'return Array.from(document.querySelectorAll("table.overview tbody tr")).map(tr => '
        "[tr.dataset.story, ...Array.from(tr.querySelectorAll('td')).map(td => td.textContent)])")
    assert overview == [overview_row(other), overview_row(suite)]
    read = READ_MATRIX.replace("table.matrix", "article[data-story='CC-102'] table.matrix")
    assert browser.execute_script(read) == expected_rows(suite)
    browser.find_element(By.CSS_SELECTOR, 'tr[data-story="CC-102"] th a').click()
    browser.find_element(By.CSS_SELECTOR, 'article[data-story="CC-102"] '
                         'tr[data-criterion="AC3"] td[data-case="CC-102-TC05"] a').click()
    details = browser.find_element(By.CSS_SELECTOR, 'details[data-case="CC-102-TC05"]')
    # the page opens it on the link's hashchange, which a loaded machine may run late
    WebDriverWait(browser, 10).until(lambda _: details.get_attribute("open") is not None)
    assert not browser.find_element(
        By.CSS_SELECTOR, 'details[data-case="CC-101-TC01"]').get_attribute("open")
    ids = browser.execute_script(
        "return Array.from(document.querySelectorAll('[id]')).map(e => e.id)")
    assert len(ids) == len(set(ids)), "every id on the page is unique"
