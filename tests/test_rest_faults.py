"""Jira and Confluence servers that misbehave as broken sites and proxies do.

Each fault is played by a local server (tests/rest_server.py: the REST stand-in, or a raw TCP
server for what HTTP cannot express) and must end in one line that names the site, what was
asked for and what to do, within a short deadline set for the test: pages that never end,
answers that trickle, that are too large or cut short, Retry-After asking for an hour, plain
http://, a redirect to another host, and a server echoing the token into errors and logs.
"""

from __future__ import annotations

import base64
import gzip
import json
import logging
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from rest_server import (
    EMAIL,
    PAT,
    TOKEN,
    FakeAtlassian,
    RawServer,
    Script,
    connect,
    error_line,
    reset,
    sample_issues,
    sample_pages,
)
from test_cli import assert_one_line_error, casewright
from test_rest_confluence import rest_confluence
from test_rest_jira import rest_jira, rest_settings
from werkzeug import Request, Response

from casewright.config import load_settings
from casewright.errors import ConfigError, InputError, ToolError
from casewright.tools.rest_jira import RestJira
from casewright.tools.workspace import bundled_sample

SECRETS = [TOKEN, PAT, base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()]
ISSUE = "/rest/api/3/issue/CC-101"


def _json(document: Any) -> Response:
    return Response(json.dumps(document), content_type="application/json")


def _issue(number: int) -> dict[str, Any]:
    return {"id": str(10000 + number), "key": f"CC-{number}", "fields": {}}


# Pagination that would never end.

def _cloud_same_token(request: Request) -> Response:
    return _json({"issues": [_issue(1)], "isLast": False, "nextPageToken": "again"})


def _cloud_same_issues(request: Request) -> Response:
    token = int(request.args.get("nextPageToken", "0")) + 1
    return _json({"issues": [_issue(1)], "isLast": False, "nextPageToken": str(token)})


def _cloud_endless(request: Request) -> Response:
    token = int(request.args.get("nextPageToken", "0")) + 1
    return _json({"issues": [_issue(token)], "isLast": False, "nextPageToken": str(token)})


def _server_ignores_start(request: Request) -> Response:
    return _json({"startAt": 0, "maxResults": 1, "total": 10**6, "issues": [_issue(1)]})


@pytest.mark.parametrize(("cloud", "handler", "message"), [
    (True, _cloud_same_token, "came back to a page it had read (page 2, next 'again')"),
    (True, _cloud_same_issues, "came back to a page it had read (page 2, next '2')"),
    (True, _cloud_endless, "runs past 5 pages"),
    (False, _server_ignores_start, "came back to a page it had read (page 2, next 2)"),
], ids=["cloud-same-token", "cloud-same-issues", "cloud-endless", "server-ignores-startAt"])
def test_a_search_that_never_ends_stops_with_one_line(
        http: HTTPServer, cloud: bool, handler: Callable[[Request], Response],
        message: str) -> None:
    path = "/rest/api/3/search/jql" if cloud else "/rest/api/2/search"
    http.expect_request(path).respond_with_handler(handler)  # before the stand-in's own
    fake = FakeAtlassian(http, cloud=cloud)
    line = error_line(ToolError, lambda: rest_jira(fake, rest_max_pages=5).search("project = CC"))
    assert f"the JQL 'project = CC' at {fake.url}{path}" in line and message in line, line
    assert len(fake.requests(path)) == (5 if "5 pages" in message else 2)


def test_a_space_listing_that_never_ends_stops_with_one_line(http: HTTPServer,
                                                             tmp_path: Path) -> None:
    pages = sample_pages()

    def same(request: Request) -> Response:
        return _json({"results": [pages[0]], "_links": {"next": "/rest/api/content?start=1"}})

    def endless(request: Request) -> Response:
        start = int(request.args.get("start", 0))
        return _json({"results": [pages[start % len(pages)]], "_links": {"next": "/more"}})

    http.expect_oneshot_request("/wiki/rest/api/content").respond_with_handler(same)
    http.expect_oneshot_request("/wiki/rest/api/content").respond_with_handler(same)
    fake = FakeAtlassian(http, pages=pages)
    listing = f"{fake.url}/wiki/rest/api/content"
    assert error_line(ToolError, rest_confluence(fake, tmp_path).list_pages) == (
        f"paging through space 'CCOPS' at {listing} came back to a page it had read (page 2, "
        "next 2); stopped reading; the site's paging is broken, or a proxy answers from a "
        "cache: report it to the site's admin")
    http.clear()
    http.expect_request("/wiki/rest/api/content").respond_with_handler(endless)
    fake = FakeAtlassian(http, pages=pages)
    assert error_line(ToolError, rest_confluence(fake, tmp_path, rest_max_pages=3).list_pages) \
        == (f"space 'CCOPS' at {listing} runs past 3 pages; stopped reading; narrow it (a "
            "tighter JQL, fewer spaces), or raise CASEWRIGHT_REST_MAX_PAGES")
    assert len(fake.requests("/wiki/rest/api/content")) - len(
        fake.requests("/wiki/rest/api/content/")) == 3


# Answers that trickle, are too large or are cut short.

def raw_jira(server: RawServer, **extra: Any) -> RestJira:
    """Jira (Server/DC) at a raw server, with a one-second deadline and no retries."""
    jira = RestJira.from_settings(load_settings(
        bundled_sample(), jira_url=server.url, jira_pat=PAT, allow_http=True,
        **{"rest_deadline": 1, "rest_timeout": 5, "rest_retries": 0} | extra))
    assert jira is not None
    return jira


def _trickle_status_line(connection: socket.socket) -> None:
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n":
        connection.sendall(bytes([byte]))
        time.sleep(0.2)


def test_headers_trickled_byte_by_byte_are_cut_off_at_the_deadline(
        raw_server: Callable[[Script], RawServer]) -> None:
    server = raw_server(_trickle_status_line)
    began = time.perf_counter()
    line = error_line(ToolError, lambda: raw_jira(server).get_story("CC-101"))
    assert line == (f"Jira at {server.url} did not finish its answer within 1 s reading issue "
                    "'CC-101'; check the network, or raise CASEWRIGHT_REST_DEADLINE (seconds "
                    "for one whole answer)")
    assert time.perf_counter() - began < 3


def test_a_body_trickled_byte_by_byte_is_cut_off_at_the_deadline(http: HTTPServer) -> None:
    def trickle(request: Request) -> Response:
        def body() -> Iterator[bytes]:
            yield b'{"key": "CC-101", '
            for _ in range(100):
                time.sleep(0.2)
                yield b" "
        return Response(body(), content_type="application/json")

    fake = FakeAtlassian(http, issues=sample_issues())
    http.expect_oneshot_request(ISSUE).respond_with_handler(trickle)
    began = time.perf_counter()
    line = error_line(ToolError, lambda: rest_jira(fake, rest_deadline=1).get_story("CC-101"))
    assert line == (f"Jira at {fake.url} did not finish its answer within 1 s reading issue "
                    "'CC-101'; check the network, or raise CASEWRIGHT_REST_DEADLINE (seconds "
                    "for one whole answer)")
    assert time.perf_counter() - began < 3


def _large(kind: str) -> Callable[[Request], Response]:
    document = json.dumps({"key": "CC-101", "fields": {"description": "x" * 2_000_000}})

    def answer(request: Request) -> Response:
        if kind == "length":
            return Response(document, content_type="application/json")
        if kind == "gzip":  # 2 MB that travel as a few kB
            return Response(gzip.compress(document.encode()), content_type="application/json",
                            headers={"Content-Encoding": "gzip"})
        return Response(iter([document[i:i + 65536].encode()
                              for i in range(0, len(document), 65536)]),
                        content_type="application/json")
    return answer


@pytest.mark.parametrize(("kind", "sent"), [
    ("length", "sent 2.0 MB"), ("streamed", "sent more than 1 MB"),
    ("gzip", "sent more than 1 MB")])
def test_an_answer_over_the_size_cap_is_refused(http: HTTPServer, kind: str, sent: str) -> None:
    fake = FakeAtlassian(http, issues=sample_issues())
    http.expect_oneshot_request(ISSUE).respond_with_handler(_large(kind))
    assert error_line(ToolError, lambda: rest_jira(fake, rest_max_mb=1).get_story("CC-101")) \
        == (f"Jira at {fake.url} {sent} reading issue 'CC-101'; answers are capped at "
            "CASEWRIGHT_REST_MAX_MB (1 MB): check that CASEWRIGHT_JIRA_URL points at the site "
            "itself, or raise the cap")
    assert rest_jira(fake, rest_max_mb=1).get_story("CC-101").key == "CC-101"  # the next is read


def _cut_mid_answer(connection: socket.socket) -> None:
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                       b"Content-Length: 5000\r\n\r\n" + b'{"key": "CC-101", ' + b" " * 82)
    time.sleep(0.3)  # the client has the headers and waits for the rest of the body
    reset(connection)


def _cut_before_answer(connection: socket.socket) -> None:
    reset(connection)


@pytest.mark.parametrize(("script", "what"), [
    (_cut_mid_answer, "cut the connection before its answer was complete"),
    (_cut_before_answer, "closed the connection without an answer"),
], ids=["mid-answer", "before-answer"])
def test_a_connection_reset_is_not_called_unreachable(
        raw_server: Callable[[Script], RawServer], script: Script, what: str) -> None:
    server = raw_server(script)
    assert error_line(ToolError, lambda: raw_jira(server).get_story("CC-101")) == (
        f"Jira at {server.url} {what} reading issue 'CC-101'; try again; if it keeps "
        "happening, a proxy or firewall may be cutting answers short")


# Retry-After: a total budget, and a line while waiting.

def test_retry_after_beyond_the_budget_is_not_waited_for(http: HTTPServer) -> None:
    fake = FakeAtlassian(http, issues=sample_issues())
    fake.fault(ISSUE, 429, headers={"Retry-After": "3600"})
    began = time.perf_counter()
    line = error_line(ToolError, lambda: rest_jira(fake, rest_max_wait=60).get_story("CC-101"))
    assert line == (f"Jira at {fake.url} answered 429 and asked to wait 3600 s reading issue "
                    "'CC-101'; try again later, or raise CASEWRIGHT_REST_MAX_WAIT (seconds of "
                    "waiting per request in all, now 60)")
    assert time.perf_counter() - began < 2 and len(fake.requests(ISSUE)) == 1


def test_retry_waits_add_up_to_the_budget_and_each_is_announced(http: HTTPServer) -> None:
    fake = FakeAtlassian(http, issues=sample_issues())
    fake.fault(ISSUE, 429, headers={"Retry-After": "1"}, times=3)
    lines: list[str] = []
    jira = RestJira.from_settings(rest_settings(fake, rest_max_wait=2.5), progress=lines.append)
    assert jira is not None
    assert error_line(ToolError, lambda: jira.get_story("CC-101")) == (
        f"Jira at {fake.url} answered 429 and asked to wait 1 s more after 2 s reading issue "
        "'CC-101'; try again later, or raise CASEWRIGHT_REST_MAX_WAIT (seconds of waiting per "
        "request in all, now 2.5)")
    assert lines == ["Jira asked to wait 1 s (429); waiting, retry 1 of 3",
                     "Jira asked to wait 1 s (429); waiting, retry 2 of 3"]
    assert len(fake.requests(ISSUE)) == 3


def test_backing_off_without_retry_after_is_announced_too(http: HTTPServer,
                                                          tmp_path: Path) -> None:
    fake = FakeAtlassian(http, issues=sample_issues())
    fake.fault(ISSUE, 503, times=2)
    lines: list[str] = []
    jira = RestJira.from_settings(rest_settings(fake, rest_max_wait=5), progress=lines.append)
    assert jira is not None and jira.get_story("CC-101").key == "CC-101"
    assert lines == ["Jira answered 503; waiting 1 s before retry 2 of 3"]  # the first: at once
    unreachable = RestJira.from_settings(load_settings(
        tmp_path, jira_url="http://127.0.0.1:9", jira_pat=PAT, allow_http=True, rest_retries=2,
        rest_max_wait=0.2), progress=lines.append)
    assert unreachable is not None
    assert "cannot reach Jira" in error_line(ToolError, lambda: unreachable.get_story("CC-1"))
    assert lines[1:] == ["Jira could not be reached; waiting 0.2 s before retry 2 of 2"]


def test_the_cli_says_what_it_waits_for(http: HTTPServer, monkeypatch: pytest.MonkeyPatch,
                                       project: Path) -> None:
    fake = FakeAtlassian(http, issues=sample_issues())
    fake.fault(ISSUE, 429, headers={"Retry-After": "1"}, times=1)
    connect(fake, monkeypatch)
    result = casewright("run", "CC-101", "-p", "fixed", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Jira asked to wait 1 s (429); waiting, retry 1 of 3" in result.stderr.splitlines()


# Where credentials may go.

def test_credentials_are_not_sent_over_plain_http(http: HTTPServer,
                                                  monkeypatch: pytest.MonkeyPatch,
                                                  project: Path) -> None:
    fake = FakeAtlassian(http, issues=sample_issues())
    monkeypatch.delenv("CASEWRIGHT_ALLOW_HTTP")
    assert error_line(ConfigError, lambda: rest_jira(fake)) == (
        f"CASEWRIGHT_JIRA_URL is plain http:// ({fake.url}): the Jira credentials would cross "
        "the network unencrypted; use the https:// address, or set CASEWRIGHT_ALLOW_HTTP=1 "
        "(allow_http = true) for a local server you trust")
    connect(fake, monkeypatch)
    result = casewright("run", "CC-101", "-p", "fixed", cwd=project)
    assert_one_line_error(result, 2, "CASEWRIGHT_JIRA_URL is plain http://")
    assert fake.requests("/rest/") == []
    (project / "casewright.toml").write_text("allow_http = true\n", encoding="utf-8")
    assert casewright("run", "CC-101", "-p", "fixed", cwd=project).returncode == 0


def test_a_redirect_to_another_host_is_not_followed(http: HTTPServer) -> None:
    fake = FakeAtlassian(http, issues=sample_issues())
    elsewhere = fake.url.replace("127.0.0.1", "localhost")
    http.expect_oneshot_request(ISSUE).respond_with_response(Response(
        status=302, headers={"Location": f"{elsewhere}/copy/CC-101"}))
    http.expect_request("/copy/CC-101").respond_with_json(fake.issues["CC-101"])
    http.expect_oneshot_request("/rest/api/3/issue/OLD-7").respond_with_response(Response(
        status=301, headers={"Location": "/rest/api/3/issue/CC-102"}))
    jira = rest_jira(fake)
    assert error_line(ConfigError, lambda: jira.get_story("CC-101")) == (
        f"Jira at {fake.url} sent a redirect to another host (localhost) reading issue "
        "'CC-101'; casewright does not follow it: if localhost is the real site, set "
        "CASEWRIGHT_JIRA_URL to its address")
    assert fake.requests("/copy/") == []
    assert jira.get_story("OLD-7").key == "CC-102"  # a moved issue, on the same host


# A server echoing the token: never shown, in tracebacks and debug logs either.

def _echo(request: Request) -> Response:
    said = request.headers.get("Authorization", "")
    body = {"errorMessages": [f"bad request; you sent Authorization: {said} ({said[6:]})"]}
    return Response(json.dumps(body), status=400, content_type="application/json")


def test_debug_traceback_hides_an_echoed_token(http: HTTPServer,
                                               monkeypatch: pytest.MonkeyPatch,
                                               project: Path) -> None:
    fake = FakeAtlassian(http, issues=sample_issues())
    http.expect_oneshot_request(ISSUE).respond_with_handler(_echo)
    connect(fake, monkeypatch)
    result = casewright("--debug", "run", "CC-101", "-p", "fixed", cwd=project)
    assert result.returncode == 2 and "Traceback" in result.stderr, result.stderr
    assert "HTTPError: bad request; you sent Authorization: Basic ***" in result.stderr
    assert not any(secret in result.stderr for secret in SECRETS)


def test_debug_logs_hide_an_echoed_token(http: HTTPServer,
                                         caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeAtlassian(http, issues=sample_issues(), cloud=False)
    http.expect_oneshot_request("/rest/api/2/issue/CC-101").respond_with_handler(_echo)
    caplog.set_level(logging.DEBUG)
    error_line(InputError, lambda: rest_jira(fake).get_story("CC-101"))
    assert "HTTP: Response text -> " in caplog.text and "Bearer ***" in caplog.text
    assert not any(secret in caplog.text for secret in SECRETS)
