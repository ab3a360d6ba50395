"""A local HTTP server that stands in for Jira Cloud, Jira Server/Data Center and Confluence.

It speaks their REST shapes on 127.0.0.1 (pytest-httpserver): `GET /rest/api/{2,3}/issue/KEY`,
Cloud's cursor-paged `GET /rest/api/3/search/jql` (`nextPageToken`, `isLast`), Server's
offset-paged `GET /rest/api/2/search` (`startAt`, `total`), and Confluence's
`GET /wiki/rest/api/content` listing (`start`, `_links.next`) and `.../content/{id}`. It answers
with the JSON it is given (the bundled sample's files, the real captures in
fixtures/atlassian/), checks the credentials as Jira does, and pages in small pages so
pagination is exercised. Faults are added per test with `fault()`; those an HTTP server cannot
make (a status line trickled byte by byte, a connection reset mid-answer) come from
`raw_server`, a TCP server that plays a script on each connection.

It also takes writes as Jira does, kept in memory so a test can count them: `POST
/rest/api/{2,3}/issue` (201 with Jira Cloud's `CreatedIssue` shape; the description must be
an ADF document on v3 and a string on v2, as Jira insists), `PUT /rest/api/{2,3}/issue/KEY`
(204), `POST /rest/api/{2,3}/issueLink` (201, no body) and label searches (`labels = "X"`,
`labels in ("X", "Y")`) that find what was created, with its `issuelinks`, and workflow
transitions (`GET`/`POST /rest/api/{2,3}/issue/KEY/transitions`, every one offered from every
other status). `key in (A-1, B-2) AND updated >= -Nm` finds the issues of those keys whose
`fields.updated` is within the last N minutes.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import struct
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from casewright.errors import CasewrightError
from casewright.tools.jira import epic_key
from casewright.tools.workspace import bundled_sample, issue_order

EMAIL, TOKEN, PAT = "tester@example.com", "cloud-token-9f3c1e77", "server-pat-51b0a2d4"


def sample_issues() -> list[dict[str, Any]]:
    """Every issue in the bundled sample's jira/ folder, search results unpacked."""
    issues: list[dict[str, Any]] = []
    for path in sorted((bundled_sample() / "jira").glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        issues += document["issues"] if "issues" in document else [document]
    return issues


def sample_pages() -> list[dict[str, Any]]:
    """Every Confluence content JSON in the bundled sample (its .md/.html pages are files)."""
    folder = bundled_sample() / "confluence"
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))]


@pytest.fixture(scope="module")
def local_server() -> Iterator[HTTPServer]:
    """One HTTP server on 127.0.0.1 for a test module."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def http(local_server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> HTTPServer:
    """The module's server with no answers registered yet.

    It speaks plain http://, so credentials may go to it (CASEWRIGHT_ALLOW_HTTP=1): a test of
    the refusal removes the variable.
    """
    local_server.clear()
    monkeypatch.setenv("CASEWRIGHT_ALLOW_HTTP", "1")
    return local_server


Script = Callable[[socket.socket], None]
"""What a raw server does with one connection, once the request's headers are read."""


class RawServer:
    """A TCP server on 127.0.0.1 that answers each connection with a script."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.requests = 0
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:  # closed: the test is over
                return
            with connection:
                received = b""
                while b"\r\n\r\n" not in received:
                    chunk = connection.recv(4096)
                    if not chunk:
                        break
                    received += chunk
                self.requests += 1
                try:
                    self.script(connection)
                except OSError:  # the client went away: what the script was waiting for
                    pass

    def close(self) -> None:
        """Stop accepting connections (a shut-down listener wakes the blocked accept)."""
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()
        self.thread.join(timeout=5)


def reset(connection: socket.socket) -> None:
    """Close a connection with a TCP reset (RST) rather than an orderly close."""
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    connection.close()


@pytest.fixture
def raw_server() -> Iterator[Callable[[Script], RawServer]]:
    """Start raw servers playing the scripts given; all are closed after the test."""
    started: list[RawServer] = []

    def start(script: Script) -> RawServer:
        started.append(RawServer(script))
        return started[-1]

    yield start
    for server in started:
        server.close()


def error_line(error: type[CasewrightError], call: Callable[[], object]) -> str:
    """Run a call that must fail with `error`; return the one line the CLI would print."""
    with pytest.raises(error) as raised:
        call()
    return raised.value.one_line()


def _json(document: Any, status: int = 200) -> Response:
    return Response(json.dumps(document), status=status, content_type="application/json")


class FakeAtlassian:
    """Jira and Confluence on one local server; `cloud` picks Cloud or Server/DC behaviour."""

    def __init__(self, server: HTTPServer, *, issues: Sequence[dict[str, Any]] = (),
                 pages: Sequence[dict[str, Any]] = (), cloud: bool = True,
                 page_size: int = 2) -> None:
        self.server = server
        self.issues = {issue["key"]: issue for issue in issues}
        self.pages = {str(page["id"]): page for page in pages}
        self.cloud = cloud
        self.page_size = page_size
        self.queries: dict[str, list[str]] = {}
        """Extra JQL the server understands, mapped to the keys it finds."""
        self.created: dict[str, dict[str, Any]] = {}
        """Issues created through the API, by key."""
        self.links: list[dict[str, Any]] = []
        """Every issue link POSTed (a real Jira merges a repeated one; this keeps each)."""
        self.issue_types = {"Story", "Epic", "Task", "Bug", "Sub-task", "Test"}
        self.link_types = {"Relates": ("relates to", "relates to"),
                           "Test": ("is tested by", "tests"), "Blocks": ("is blocked by", "blocks")}
        """Link type names with their (inward, outward) phrases."""
        self.transitions = {"11": ("Start", "In Progress"), "31": ("Done", "Done"),
                            "41": ("Retire", "Obsolete")}
        """Transition id -> its name and the status it leads to."""
        version = self.version = 3 if cloud else 2
        server.expect_request(f"/rest/api/{version}/issue", method="POST") \
            .respond_with_handler(self._create)
        server.expect_request(re.compile(rf"/rest/api/{version}/issue/[^/]+$"), method="PUT") \
            .respond_with_handler(self._edit)
        server.expect_request(f"/rest/api/{version}/issueLink", method="POST") \
            .respond_with_handler(self._link)
        server.expect_request(re.compile(rf"/rest/api/{version}/issue/[^/]+/transitions$")) \
            .respond_with_handler(self._transitions)
        server.expect_request(re.compile(rf"/rest/api/{version}/issue/[^/]+")) \
            .respond_with_handler(self._issue)
        server.expect_request("/rest/api/3/search/jql" if cloud else "/rest/api/2/search") \
            .respond_with_handler(self._search)
        server.expect_request("/wiki/rest/api/content").respond_with_handler(self._listing)
        server.expect_request(re.compile(r"/wiki/rest/api/content/\d+")) \
            .respond_with_handler(self._page)

    @property
    def url(self) -> str:
        """The Jira base URL (Confluence's is this plus /wiki)."""
        return self.server.url_for("/").rstrip("/")

    def environment(self) -> dict[str, str]:
        """CASEWRIGHT_* variables that point casewright at this server."""
        secrets = {"CASEWRIGHT_JIRA_EMAIL": EMAIL, "CASEWRIGHT_JIRA_TOKEN": TOKEN} \
            if self.cloud else {"CASEWRIGHT_JIRA_PAT": PAT}
        return {"CASEWRIGHT_JIRA_URL": self.url, "CASEWRIGHT_CONFLUENCE_URL": f"{self.url}/wiki",
                **secrets}

    def fault(self, path: str, status: int, body: str = "", *, times: int = 20,
              headers: dict[str, str] | None = None) -> None:
        """Answer the next `times` requests for `path` with an error, before the normal answer."""
        content_type = "application/json" if body.startswith("{") else "text/html"
        for _ in range(times):
            self.server.expect_oneshot_request(path).respond_with_data(
                body, status=status, headers=headers, content_type=content_type)

    def requests(self, path_start: str) -> list[Request]:
        """Return the requests received whose path starts with `path_start`."""
        return [request for request, _ in self.server.log if request.path.startswith(path_start)]

    def _authorised(self, request: Request) -> bool:
        if self.cloud:
            wanted = "Basic " + base64.b64encode(f"{EMAIL}:{TOKEN}".encode()).decode()
        else:
            wanted = f"Bearer {PAT}"
        return request.headers.get("Authorization") == wanted

    def _issue(self, request: Request) -> Response:
        if not self._authorised(request):
            return Response("Client must be authenticated to access this resource.", 401)
        key = request.path.rsplit("/", 1)[1]
        if key in self.created:
            return _json(self._view(self.created[key]))
        if key not in self.issues:
            return _json({"errorMessages": ["Issue does not exist or you do not have permission "
                                            "to see it."], "errors": {}}, 404)
        return _json(self.issues[key])

    def _found(self, jql: str) -> list[dict[str, Any]] | None:
        query, _, order = jql.partition(" ORDER BY ")
        if query in self.queries:
            found = [self.issues[key] for key in self.queries[query]]
        elif match := re.fullmatch(r'(?:parent|"Epic Link") = ([A-Z]+-\d+)', query):
            # The sample links epics both ways; a real site answers either clause for its own.
            found = [issue for issue in self.issues.values()
                     if epic_key(issue, "customfield_10014") == match[1]]
        elif match := re.fullmatch(r"project = ([A-Z]+)", query):
            found = [i for i in self.issues.values() if i["key"].startswith(f"{match[1]}-")]
        elif re.fullmatch(r'labels (= "[^"]+"|in \("[^"]+"(, "[^"]+")*\))', query):
            wanted = set(re.findall(r'"([^"]+)"', query))
            found = [self._view(issue) for issue in [*self.issues.values(),
                                                     *self.created.values()]
                     if wanted & set(issue["fields"].get("labels") or [])]
        elif match := re.fullmatch(r"key in \(([^)]*)\) AND updated >= -(\d+)m", query):
            keys = set(re.findall(r"[A-Z][A-Z0-9]*-\d+", match[1]))
            since = datetime.now(UTC) - timedelta(minutes=int(match[2]))
            found = [i for i in self.issues.values() if i["key"] in keys and datetime.strptime(
                i["fields"]["updated"], "%Y-%m-%dT%H:%M:%S.%f%z") >= since]
        else:
            return None
        return sorted(found, key=lambda issue: issue_order(issue["key"])) if order else found

    def _search(self, request: Request) -> Response:
        if not self._authorised(request):
            return Response("Client must be authenticated to access this resource.", 401)
        found = self._found(request.args.get("jql", ""))
        if found is None:
            return _json({"errorMessages": [f"Error in the JQL Query: "
                                            f"{request.args.get('jql')!r} is not understood."],
                          "errors": {}}, 400)
        size = min(self.page_size, int(request.args.get("maxResults", 50)))
        if self.cloud:
            start = int(request.args.get("nextPageToken", "tok-0").removeprefix("tok-"))
            page = {"issues": found[start:start + size], "isLast": start + size >= len(found)}
            if not page["isLast"]:
                page["nextPageToken"] = f"tok-{start + size}"
            return _json(page)
        start = int(request.args.get("startAt", 0))
        return _json({"startAt": start, "maxResults": size, "total": len(found),
                      "issues": found[start:start + size]})

    def _listing(self, request: Request) -> Response:
        if not self._authorised(request):
            return Response("", 401)
        space = request.args.get("spaceKey")
        pages = [p for p in self.pages.values() if (p.get("space") or {}).get("key") == space]
        start = int(request.args.get("start", 0))
        size = min(self.page_size, int(request.args.get("limit", 25)))
        results = [{key: page[key] for key in ("id", "type", "status", "title", "version")}
                   for page in pages[start:start + size]]
        links: dict[str, str] = {"base": f"{self.url}/wiki", "context": "/wiki"}
        if start + size < len(pages):
            links["next"] = (f"/rest/api/content?spaceKey={space}&type=page&expand=version"
                             f"&limit={size}&start={start + size}")
        return _json({"results": results, "start": start, "limit": size, "size": len(results),
                      "_links": links})

    def _page(self, request: Request) -> Response:
        if not self._authorised(request):
            return Response("", 401)
        page = self.pages.get(request.path.rsplit("/", 1)[1])
        if page is None:
            return _json({"statusCode": 404, "message": "No content found with id"}, 404)
        return _json(page)

    # Writes: issues created, edited and linked, kept in memory.

    def _view(self, issue: dict[str, Any]) -> dict[str, Any]:
        """A created issue as Jira sends it, its links in `issuelinks`; others unchanged.

        Jira gives the link type's outward phrase to the POST's `inwardIssue`, so that issue
        lists the other as its `outwardIssue` (and the other lists it as `inwardIssue`).
        """
        if issue["key"] not in self.created:
            return issue
        links = []
        for link in self.links:
            name, (inward, outward) = link["type"], self.link_types[link["type"]]
            kind = {"name": name, "inward": inward, "outward": outward}
            if link["inward"] == issue["key"]:
                links.append({"id": link["id"], "type": kind,
                              "outwardIssue": {"key": link["outward"]}})
            elif link["outward"] == issue["key"]:
                links.append({"id": link["id"], "type": kind,
                              "inwardIssue": {"key": link["inward"]}})
        return {**issue, "fields": {**issue["fields"], "issuelinks": links}}

    def _field_errors(self, fields: dict[str, Any]) -> dict[str, str]:
        """Jira's complaints about fields sent to create or edit an issue."""
        errors = {}
        description = fields.get("description")
        if self.version == 3 and description is not None and not (
                isinstance(description, dict) and description.get("type") == "doc"):
            errors["description"] = ("Operation value must be an Atlassian Document (see the "
                                     "Atlassian Document Format)")
        if self.version == 2 and description is not None and not isinstance(description, str):
            errors["description"] = "Operation value must be a string"
        for label in fields.get("labels") or []:
            if not label or any(ch.isspace() for ch in label):
                errors["labels"] = f"The label '{label}' contains spaces which is invalid."
        if "summary" in fields and not str(fields["summary"]).strip():
            errors["summary"] = "You must specify a summary of the issue."
        return errors

    def _create(self, request: Request) -> Response:
        if not self._authorised(request):
            return Response("Client must be authenticated to access this resource.", 401)
        fields = (request.get_json(silent=True) or {}).get("fields") or {}
        project = (fields.get("project") or {}).get("key")
        errors = self._field_errors(fields)
        if not any(key.startswith(f"{project}-") for key in [*self.issues, *self.created]):
            errors["project"] = "valid project is required"
        if (fields.get("issuetype") or {}).get("name") not in self.issue_types:
            errors["issuetype"] = "Specify a valid issue type"
        if "summary" not in fields:
            errors["summary"] = "You must specify a summary of the issue."
        if errors:
            return _json({"errorMessages": [], "errors": errors}, 400)
        number = 1 + max(issue_order(key)[1] for key in [*self.issues, *self.created]
                         if key.startswith(f"{project}-"))
        key, issue_id = f"{project}-{number}", str(10000 + len(self.created))
        self.created[key] = {"id": issue_id, "key": key,
                             "self": f"{self.url}/rest/api/{self.version}/issue/{issue_id}",
                             "fields": {**fields, "status": {"name": "To Do"}}}
        # The shape of Jira Cloud's CreatedIssue example (platform REST API definition).
        return _json({"id": issue_id, "key": key, "self": self.created[key]["self"],
                      "transition": {"status": 200,
                                     "errorCollection": {"errorMessages": [], "errors": {}}}},
                     201)

    def _edit(self, request: Request) -> Response:
        if not self._authorised(request):
            return Response("Client must be authenticated to access this resource.", 401)
        key = request.path.rsplit("/", 1)[1]
        issue = self.created.get(key) or self.issues.get(key)
        if issue is None:
            return _json({"errorMessages": ["Issue does not exist or you do not have permission "
                                            "to see it."], "errors": {}}, 404)
        fields = (request.get_json(silent=True) or {}).get("fields") or {}
        errors = self._field_errors(fields)
        if errors:
            return _json({"errorMessages": [], "errors": errors}, 400)
        issue["fields"] = {**issue["fields"], **fields}
        return Response(status=204)

    def _transitions(self, request: Request) -> Response:
        """List the transitions out of an issue's status, or move it through one."""
        if not self._authorised(request):
            return Response("Client must be authenticated to access this resource.", 401)
        key = request.path.split("/")[-2]
        issue = self.created.get(key) or self.issues.get(key)
        if issue is None:
            return _json({"errorMessages": ["Issue does not exist or you do not have permission "
                                            "to see it."], "errors": {}}, 404)
        status = (issue["fields"].get("status") or {}).get("name")
        offered = {tid: move for tid, move in self.transitions.items() if move[1] != status}
        if request.method == "GET":
            return _json({"transitions": [{"id": tid, "name": name, "to": {"name": to}}
                                          for tid, (name, to) in offered.items()]})
        wanted = str(((request.get_json(silent=True) or {}).get("transition") or {}).get("id"))
        if wanted not in offered:
            return _json({"errorMessages": [f"Transition id '{wanted}' is not valid for this "
                                            "issue."], "errors": {}}, 400)
        issue["fields"] = {**issue["fields"], "status": {"name": offered[wanted][1]}}
        return Response(status=204)

    def _link(self, request: Request) -> Response:
        if not self._authorised(request):
            return Response("Client must be authenticated to access this resource.", 401)
        body = request.get_json(silent=True) or {}
        name = (body.get("type") or {}).get("name")
        if name not in self.link_types:
            return _json({"errorMessages": [f"No issue link type with name '{name}' found."],
                          "errors": {}}, 404)
        inward = (body.get("inwardIssue") or {}).get("key")
        outward = (body.get("outwardIssue") or {}).get("key")
        known = [*self.issues, *self.created]
        if inward not in known or outward not in known:
            return _json({"errorMessages": ["Issue Does Not Exist"], "errors": {}}, 404)
        self.links.append({"id": str(20000 + len(self.links)), "type": name, "inward": inward,
                           "outward": outward})
        return Response(status=201)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with only a casewright.toml: Jira and Confluence are the local server."""
    folder = tmp_path / "project"
    folder.mkdir()
    toml = (bundled_sample() / "casewright.toml").read_text(encoding="utf-8")
    kept = [line for line in toml.splitlines() if not line.startswith(("jira_url", "confl"))]
    (folder / "casewright.toml").write_text("\n".join(kept) + "\n", encoding="utf-8")
    return folder


def connect(fake: FakeAtlassian, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point casewright (and the subprocesses it runs in) at the local server."""
    for name, value in fake.environment().items():
        monkeypatch.setenv(name, value)
