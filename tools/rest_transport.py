"""The HTTP session every Jira and Confluence request goes through, and what it refuses.

A misbehaving server or proxy must not hang casewright, flood it or lead it elsewhere, so the
session (requests on urllib3) bounds each request:

- a whole-answer deadline (`rest_deadline`): a watch starts when the request is sent and shuts
  the socket down when the deadline passes, however slowly headers or body trickle in (the
  `rest_timeout` of requests only bounds each read);
- a size cap (`rest_max_mb`), on the decoded body, so a compressed answer cannot grow past it;
- retries of 429 and 5xx that honour Retry-After within a total of `rest_max_wait` seconds of
  waiting per request, saying on the progress line what they wait for; a server asking for
  more than is left is not waited for at all;
- no redirect to another host.

Each refusal is a `RestFault`, which `atlassian_site.call` turns into one line naming the site
and what was asked for. A connection cut after it was made is `AnswerCut`, not "cannot reach".
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Self
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3 import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import HTTPError as Urllib3Error
from urllib3.exceptions import InvalidHeader, ProtocolError, ReadTimeoutError
from urllib3.util import Retry

from casewright.errors import CasewrightError, ConfigError, ToolError
from casewright.progress import Progress

if TYPE_CHECKING:
    from urllib3.response import BaseHTTPResponse, HTTPResponse

Service = Literal["Jira", "Confluence"]
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
BACKOFF_FACTOR = 0.5
"""Seconds before the second retry of a failure without Retry-After; doubled each time."""
CHUNK = 16_384
"""Bytes read (before decoding) at a time: a compressed chunk decodes to a bounded size."""
MEGABYTE = 1_000_000


class RestFault(Exception):
    """An answer casewright will not use; `call` adds the site and what was asked for.

    `problem` reads on from "Jira at URL" and is followed by "reading issue 'CC-101'";
    `{url_setting}` in `hint` becomes the name of the site's URL setting.
    """

    def __init__(self, problem: str, hint: str,
                 error: type[CasewrightError] = ToolError) -> None:
        super().__init__(problem)
        self.problem = problem
        self.hint = hint
        self.error = error


class AnswerCut(RestFault):
    """The connection was made, then closed or reset before the answer was complete."""


@dataclass(frozen=True)
class Limits:
    """How long, how often and how much casewright asks of one site (from settings)."""

    timeout: int
    """Seconds for connecting and for each read."""
    deadline: float
    """Seconds for one whole answer, from the request sent to its last byte."""
    retries: int
    max_wait: float
    """Seconds of waiting between retries of one request, in all."""
    max_mb: int
    max_pages: int


@dataclass(frozen=True)
class Waits:
    """What a request's retries may wait, and where they say so."""

    service: Service
    retries: int
    max_wait: float
    progress: Progress


class BoundedRetry(Retry):
    """urllib3's Retry, honouring Retry-After on every retried status within a total budget.

    `waited` is carried from one retry to the next (urllib3 copies a Retry per attempt with
    `new`), so all the waits of one request add up to at most `waits.max_wait` seconds.
    """

    RETRY_AFTER_STATUS_CODES = RETRY_STATUSES

    def __init__(self, *args: Any, waits: Waits, waited: float = 0.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.waits = waits
        self.waited = waited

    def new(self, **kw: Any) -> Self:
        """Return the next attempt's Retry, with the waits so far."""
        return super().new(**{"waits": self.waits, "waited": self.waited, **kw})

    def get_retry_after(self, response: BaseHTTPResponse) -> float | None:
        """Return the server's Retry-After in seconds; one that cannot be read is ignored."""
        try:
            return super().get_retry_after(response)
        except InvalidHeader:
            return None

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        """Wait before the next attempt, as the server asked or backing off, within budget.

        Raises:
            RestFault: the server asked for longer than what is left of `max_wait`.
        """
        _pause_watch()
        left = max(self.waits.max_wait - self.waited, 0.0)
        attempt = f"retry {len(self.history)} of {self.waits.retries}"
        asked = self.get_retry_after(response) if response is not None else None
        if response is not None and asked:
            if asked > left:
                after = f" more after {self.waited:g} s" if self.waited else ""
                raise RestFault(f"answered {response.status} and asked to wait {asked:g} s"
                                f"{after}", "try again later, or raise CASEWRIGHT_REST_MAX_WAIT "
                                f"(seconds of waiting per request in all, now "
                                f"{self.waits.max_wait:g})")
            self.waits.progress(f"{self.waits.service} asked to wait {asked:g} s "
                                f"({response.status}); waiting, {attempt}")
            wait = asked
        else:
            wait = min(self.get_backoff_time(), left)
            why = f"answered {response.status}" if response is not None \
                else "could not be reached"
            if wait > 0:
                self.waits.progress(f"{self.waits.service} {why}; waiting {wait:g} s before "
                                    f"{attempt}")
        time.sleep(wait)
        self.waited += wait


class _Watch:
    """Shuts down the socket of an answer still coming when its deadline passes."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._timer: threading.Timer | None = None

    def arm(self, sock: socket.socket) -> None:
        """Start the clock for an answer read from `sock` (each attempt starts it again)."""
        self.disarm()
        self.expired = False
        self._timer = threading.Timer(self.seconds, self._cut, (sock,))
        self._timer.daemon = True
        self._timer.start()

    def disarm(self) -> None:
        """Stop the clock: the answer is complete, or a retry is about to wait."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _cut(self, sock: socket.socket) -> None:
        self.expired = True
        with contextlib.suppress(OSError):  # already closed: nothing left to cut
            socket.socket.shutdown(sock, socket.SHUT_RDWR)  # wakes a blocked read, TLS too


_watch: ContextVar[_Watch | None] = ContextVar("casewright_rest_watch", default=None)


def _arm_watch(sock: socket.socket | None) -> None:
    watch = _watch.get()
    if watch is not None and sock is not None:
        watch.arm(sock)


def _pause_watch() -> None:
    watch = _watch.get()
    if watch is not None:
        watch.disarm()


class _WatchedConnection(HTTPConnection):
    def getresponse(self) -> HTTPResponse:  # type: ignore[override]
        _arm_watch(self.sock)
        return super().getresponse()


class _WatchedTlsConnection(HTTPSConnection):
    def getresponse(self) -> HTTPResponse:  # type: ignore[override]
        _arm_watch(self.sock)
        return super().getresponse()


class _WatchedPool(HTTPConnectionPool):
    ConnectionCls = _WatchedConnection


class _WatchedTlsPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedTlsConnection


_POOLS: dict[str, type[HTTPConnectionPool]] = {"http": _WatchedPool, "https": _WatchedTlsPool}


class _BoundedAdapter(HTTPAdapter):
    """An adapter whose every answer is read whole here, within the deadline and the cap."""

    def __init__(self, limits: Limits, retry: BoundedRetry) -> None:
        self.limits = limits
        super().__init__(max_retries=retry)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        """Make the pools open watched connections."""
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        """Make the pools behind a proxy open watched connections too."""
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = _POOLS
        return manager

    def send(self, request: requests.PreparedRequest, stream: bool = False,
             timeout: Any = None, verify: Any = True, cert: Any = None,
             proxies: dict[str, str] | None = None) -> requests.Response:
        """Send a request and read its whole answer (casewright never streams one)."""
        watch = _Watch(self.limits.deadline)
        token = _watch.set(watch)
        try:
            try:
                response = super().send(request, True, timeout, verify, cert, proxies)
            except requests.RequestException as error:
                if watch.expired:
                    raise self._late() from error
                if isinstance(error, requests.ConnectionError) and error.args and \
                        isinstance(error.args[0], ProtocolError):
                    raise AnswerCut("closed the connection without an answer", _AGAIN) \
                        from error
                raise
            self._read(response, watch)
            return response
        finally:
            watch.disarm()
            _watch.reset(token)

    def _read(self, response: requests.Response, watch: _Watch) -> None:
        limit = self.limits.max_mb * MEGABYTE
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > limit:
            response.close()
            raise self._large(int(length))
        chunks, size = [], 0
        try:
            for chunk in response.raw.stream(CHUNK, decode_content=True):
                size += len(chunk)
                if size > limit:
                    response.close()
                    raise self._large(None)
                chunks.append(chunk)
        except (Urllib3Error, OSError) as error:
            if watch.expired:
                raise self._late() from error
            if isinstance(error, ReadTimeoutError):
                raise requests.ReadTimeout(error, request=response.request) from error
            raise AnswerCut("cut the connection before its answer was complete", _AGAIN) \
                from error
        if watch.expired:  # an answer without a length ends when its socket is shut down
            raise self._late()
        response._content = b"".join(chunks)
        response._content_consumed = True

    def _late(self) -> RestFault:
        return RestFault(f"did not finish its answer within {self.limits.deadline:g} s",
                         "check the network, or raise CASEWRIGHT_REST_DEADLINE (seconds for "
                         "one whole answer)")

    def _large(self, size: int | None) -> RestFault:
        sent = f"{size / MEGABYTE:,.1f} MB" if size is not None \
            else f"more than {self.limits.max_mb} MB"
        return RestFault(f"sent {sent}", f"answers are capped at CASEWRIGHT_REST_MAX_MB "
                         f"({self.limits.max_mb} MB): check that {{url_setting}} points at the "
                         "site itself, or raise the cap")


_AGAIN = "try again; if it keeps happening, a proxy or firewall may be cutting answers short"


class _GuardedSession(requests.Session):
    """A session that follows a redirect only on the site's own host."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.host = urlsplit(url).hostname or ""

    def get_redirect_target(self, resp: requests.Response) -> str | None:
        """Return where a redirect leads; RestFault when it leads to another host.

        requests would not send the credentials there, but casewright would use what that
        host answers as if the site had.
        """
        target = super().get_redirect_target(resp)
        host = urlsplit(urljoin(resp.url, target)).hostname if target is not None else None
        if target is not None and host != self.host:
            raise RestFault(f"sent a redirect to another host ({host})",
                            f"casewright does not follow it: if {host} is the real site, set "
                            "{url_setting} to its address", ConfigError)
        return target


def rest_session(url: str, limits: Limits, retry: BoundedRetry) -> requests.Session:
    """Return a session for one site: bounded answers and retries, no redirect elsewhere."""
    session = _GuardedSession(url)
    adapter = _BoundedAdapter(limits, retry)
    for prefix in ("http://", "https://"):
        session.mount(prefix, adapter)
    return session
