"""Connecting to Jira and Confluence over REST: which site, which credentials, what went wrong.

A site is chosen by settings: a base URL plus Cloud credentials (account email and API token,
sent as basic auth) or a Server/Data Center personal access token (sent as a bearer token).
Requests go through atlassian-python-api on a requests session whose urllib3 `Retry` retries
429 and 5xx answers a bounded number of times, honouring Retry-After up to `rest_max_wait`.
Every failure leaves this module as one `CasewrightError` naming the site, the thing asked
for and the setting to fix; a secret never appears in one.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypedDict

import requests
from pydantic import SecretStr
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from casewright.config import Settings
from casewright.errors import CasewrightError, ConfigError, InputError, ToolError

Service = Literal["Jira", "Confluence"]
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
BACKOFF_FACTOR = 0.5
"""Seconds before the second retry of a failure without Retry-After; doubled each time."""


class BoundedRetry(Retry):
    """urllib3's Retry that honours Retry-After on every retried status, capped at backoff_max.

    Capping keeps a server asking for an hour's pause from stalling a run: the request fails
    with a clear error instead once the retries are spent.
    """

    RETRY_AFTER_STATUS_CODES = RETRY_STATUSES

    def parse_retry_after(self, retry_after: str) -> float:
        """Return the server's Retry-After in seconds, at most backoff_max."""
        return min(super().parse_retry_after(retry_after), self.backoff_max)


class _Limits(TypedDict):
    """The REST settings every Site carries, as keyword arguments."""

    timeout: int
    retries: int
    max_wait: float


@dataclass(frozen=True)
class Site:
    """One Jira or Confluence site and how to sign in to it (secrets stay `SecretStr`)."""

    service: Service
    url: str
    url_setting: str
    credential_settings: tuple[str, ...]
    secret: SecretStr
    email: str | None
    timeout: int
    retries: int
    max_wait: float

    @property
    def cloud(self) -> bool:
        """Whether this is Atlassian Cloud (email + API token) rather than Server/DC (PAT)."""
        return self.email is not None

    def client_options(self) -> dict[str, Any]:
        """Return atlassian-python-api client arguments: sign-in, timeout, retrying session.

        The library's own Retry-After handling is off: the session's Retry does it, bounded.
        """
        secret = self.secret.get_secret_value()
        auth = {"username": self.email, "password": secret} if self.email else {"token": secret}
        return {**auth, "cloud": self.cloud, "timeout": self.timeout,
                "session": self._session(), "retry_with_header": False}

    def redact(self, text: str) -> str:
        """Return text with this site's secret, and the forms a server could echo, hidden.

        A hostile or misconfigured server may echo the Authorization header in an error
        body: the token itself, "Bearer <token>", or the base64 of "email:token".
        """
        secret = self.secret.get_secret_value()
        forms = {secret, base64.b64encode(secret.encode()).decode()}
        if self.email:
            forms.add(base64.b64encode(f"{self.email}:{secret}".encode()).decode())
        for form in sorted((f for f in forms if len(f) >= 4), key=len, reverse=True):
            text = text.replace(form, "***")
        return text

    def retry(self, kind: type[BoundedRetry] = BoundedRetry, **extra: Any) -> BoundedRetry:
        """Return the retry policy of this site's sessions (a subclass and options may vary it).

        Retries only statuses that say "try again", honouring Retry-After up to `max_wait`.
        """
        return kind(total=self.retries, connect=self.retries, read=False, status=self.retries,
                    other=0, status_forcelist=RETRY_STATUSES, backoff_factor=BACKOFF_FACTOR,
                    backoff_max=self.max_wait, respect_retry_after_header=True,
                    raise_on_status=False, **extra)

    def _session(self) -> requests.Session:
        retry = self.retry()
        http = requests.Session()
        for prefix in ("http://", "https://"):
            http.mount(prefix, HTTPAdapter(max_retries=retry))
        return http


def _env(name: str) -> str:
    return f"CASEWRIGHT_{name.upper()}"


def _site(service: Service, settings: Settings, prefix: str) -> Site | None:
    """Build a site from `<service>_url` and `<prefix>_email`, `_token`, `_pat`.

    Returns None when neither secret is set (the workspace folder is read instead).
    """
    url, url_setting = getattr(settings, f"{service.lower()}_url"), _env(f"{service}_url")
    email, token = getattr(settings, f"{prefix}_email"), getattr(settings, f"{prefix}_token")
    pat = getattr(settings, f"{prefix}_pat")
    if token is None and pat is None:
        return None
    token_setting, pat_setting = _env(f"{prefix}_token"), _env(f"{prefix}_pat")
    if not url or not url.startswith(("http://", "https://")):
        raise ConfigError(f"{service} credentials are set but {url_setting} is "
                          f"{'not an http(s) URL' if url else 'not set'}",
                          hint=f"set {url_setting} to your {service} address, such as "
                          f"https://SITE.atlassian.net{'/wiki' if service == 'Confluence' else ''}")
    if token is not None and pat is not None:
        raise ConfigError(f"both {token_setting} and {pat_setting} are set",
                          hint="keep the API token (Cloud) or the personal access token "
                          "(Server/Data Center), not both")
    limits: _Limits = {"timeout": settings.rest_timeout, "retries": settings.rest_retries,
                       "max_wait": settings.rest_max_wait}
    if pat is not None:
        return Site(service, url.rstrip("/"), url_setting, (pat_setting,), pat, None, **limits)
    email_setting = _env(f"{prefix}_email")
    if not email:
        raise ConfigError(f"{token_setting} is set but {email_setting} is not",
                          hint="a Cloud API token signs in with its account's email address")
    return Site(service, url.rstrip("/"), url_setting, (email_setting, token_setting), token,
                email, **limits)


def jira_site(settings: Settings) -> Site | None:
    """Return the Jira site to read over REST, or None to read the workspace folder."""
    return _site("Jira", settings, "jira")


def confluence_site(settings: Settings) -> Site | None:
    """Return the Confluence site, or None; credentials are Jira's when none of its own are set.

    Jira's credentials count only once a space is named: a confluence_url kept for page links
    leaves Confluence in the workspace folder.
    """
    own = (settings.confluence_email, settings.confluence_token, settings.confluence_pat)
    if any(value is not None for value in own):
        return _site("Confluence", settings, "confluence")
    return _site("Confluence", settings, "jira") if settings.confluence_spaces else None


def uses_rest(settings: Settings) -> bool:
    """Whether settings name a Jira or Confluence site to read over REST."""
    secrets = (settings.jira_token, settings.jira_pat, settings.confluence_token,
               settings.confluence_pat)
    return any(secret is not None for secret in secrets)


def _detail(site: Site, error: Exception) -> str:
    """Return the server's own message, on one line, short, and without casewright's secrets."""
    text = " ".join(site.redact(str(error)).split())
    return text if len(text) <= 200 else f"{text[:197]}..."


def _http_error(site: Site, what: str, error: requests.HTTPError,
                missing_hint: str, doing: str) -> CasewrightError:
    status = error.response.status_code if error.response is not None else 0
    credentials = " and ".join(site.credential_settings)
    if status == 401:
        how = ("an API token from https://id.atlassian.com/manage-profile/security/api-tokens"
               if site.cloud else f"a personal access token from your {site.service} profile")
        return ConfigError(f"{site.service} at {site.url} rejected the credentials (401) "
                           f"{doing} {what}", hint=f"check {credentials} ({how})")
    if status == 403:
        return ConfigError(f"{site.service} at {site.url} refused access to {what} (403)",
                           hint=f"the account behind {credentials} lacks permission: ask a "
                           f"{site.service} admin for access, or use another account's token")
    if status == 404:
        return InputError(f"{what} not found in {site.service} at {site.url} (or this account "
                          "cannot see it)", hint=missing_hint)
    if status == 429 or status >= 500:
        # urllib3 retries a write only when the server said it did nothing (429, 503)
        retried = doing == "reading" or status in {429, 503}
        return ToolError(f"{site.service} at {site.url} answered {status} {doing} {what}"
                         + (f" after {site.retries} retries" if retried else " (not retried)"),
                         hint=f"try again later; {_env('rest_retries')} and "
                         f"{_env('rest_max_wait')} set how long casewright waits")
    return InputError(f"{site.service} at {site.url} rejected the request for {what} "
                      f"({status}): {_detail(site, error)}", hint=missing_hint)


def call(site: Site, what: str, request: Callable[[], Any], *,
         missing_hint: str, doing: str = "reading") -> dict[str, Any]:
    """Run one request and return its JSON object, translating every failure.

    `what` names the thing asked for ("issue 'CC-101'"); `missing_hint` says what to do when
    it does not exist or the server rejects the request (404, 400); `doing` is the verb the
    errors use ("reading", "creating", "updating", "linking").
    """
    from atlassian.errors import ApiError

    try:
        document = request()
    except ApiError as error:  # atlassian-python-api wraps some 404s; the HTTPError is inside
        if isinstance(error.reason, requests.HTTPError):
            raise _http_error(site, what, error.reason, missing_hint, doing) from error
        raise ToolError(f"{site.service} at {site.url} failed {doing} {what}: "
                        f"{_detail(site, error)}",
                        hint="run again with --debug for details") from error
    except requests.HTTPError as error:
        raise _http_error(site, what, error, missing_hint, doing) from error
    except requests.Timeout as error:
        raise ToolError(f"{site.service} at {site.url} did not answer within "
                        f"{site.timeout} s {doing} {what}",
                        hint=f"check the network, or raise {_env('rest_timeout')}") from error
    except requests.RequestException as error:
        raise ToolError(f"cannot reach {site.service} at {site.url} {doing} {what}",
                        hint=f"check {site.url_setting} and the network") from error
    if not isinstance(document, dict):
        raise ToolError(f"{site.service} at {site.url} sent malformed JSON (or none) for {what}",
                        hint=f"check that {site.url_setting} points at {site.service} itself, "
                        "not a login page or proxy")
    return document
