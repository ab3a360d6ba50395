"""Connecting to Jira and Confluence over REST: which site, which credentials, what went wrong.

A site is chosen by settings: a base URL plus Cloud credentials (account email and API token,
sent as basic auth) or a Server/Data Center personal access token (sent as a bearer token),
over https:// (plain http:// only with `allow_http`, for a local server). Requests go through
atlassian-python-api on the bounded session of `rest_transport`: a whole-answer deadline, a
size cap, retries of 429 and 5xx within a total wait, no redirect off the site. Every failure
leaves this module as one `CasewrightError` naming the site, the thing asked for and the
setting to fix; a secret never appears in one, nor in a traceback or log (`redaction`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
from pydantic import SecretStr

from casewright.config import Settings
from casewright.errors import CasewrightError, ConfigError, InputError, ToolError
from casewright.progress import Progress, quiet
from casewright.redaction import hide, redact
from casewright.tools.rest_transport import (
    BACKOFF_FACTOR,
    RETRY_STATUSES,
    BoundedRetry,
    Limits,
    RestFault,
    Service,
    Waits,
    rest_session,
)


@dataclass(frozen=True)
class Site:
    """One Jira or Confluence site and how to sign in to it (secrets stay `SecretStr`)."""

    service: Service
    url: str
    url_setting: str
    credential_settings: tuple[str, ...]
    secret: SecretStr
    email: str | None
    limits: Limits
    progress: Progress = quiet
    """Where retries say what they wait for."""

    @property
    def cloud(self) -> bool:
        """Whether this is Atlassian Cloud (email + API token) rather than Server/DC (PAT)."""
        return self.email is not None

    def client_options(self) -> dict[str, Any]:
        """Return atlassian-python-api client arguments: sign-in, timeout, bounded session.

        The library's own Retry-After handling is off: the session's Retry does it, bounded.
        """
        secret = self.secret.get_secret_value()
        auth = {"username": self.email, "password": secret} if self.email else {"token": secret}
        return {**auth, "cloud": self.cloud, "timeout": self.limits.timeout,
                "session": rest_session(self.url, self.limits, self.retry()),
                "retry_with_header": False}

    def retry(self, kind: type[BoundedRetry] = BoundedRetry, **extra: Any) -> BoundedRetry:
        """Return the retry policy of this site's sessions (a subclass and options may vary it).

        Retries only statuses that say "try again", honouring Retry-After within `max_wait`
        seconds of waiting per request in all.
        """
        limits = self.limits
        waits = Waits(self.service, limits.retries, limits.max_wait, self.progress)
        return kind(total=limits.retries, connect=limits.retries, read=False,
                    status=limits.retries, other=0, status_forcelist=RETRY_STATUSES,
                    backoff_factor=BACKOFF_FACTOR, backoff_max=limits.max_wait,
                    respect_retry_after_header=True, raise_on_status=False, waits=waits,
                    **extra)


def _env(name: str) -> str:
    return f"CASEWRIGHT_{name.upper()}"


def _site(service: Service, settings: Settings, prefix: str, progress: Progress) -> Site | None:
    """Build a site from `<service>_url` and `<prefix>_email`, `_token`, `_pat`.

    Returns None when neither secret is set (the workspace folder is read instead). The
    secret is registered for redaction before anything can be sent.
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
    if url.startswith("http://") and not settings.allow_http:
        raise ConfigError(f"{url_setting} is plain http:// ({url}): the {service} credentials "
                          "would cross the network unencrypted",
                          hint=f"use the https:// address, or set {_env('allow_http')}=1 "
                          "(allow_http = true) for a local server you trust")
    limits = Limits(timeout=settings.rest_timeout, deadline=settings.rest_deadline,
                    retries=settings.rest_retries, max_wait=settings.rest_max_wait,
                    max_mb=settings.rest_max_mb, max_pages=settings.rest_max_pages)
    if pat is not None:
        hide(pat.get_secret_value())
        return Site(service, url.rstrip("/"), url_setting, (pat_setting,), pat, None, limits,
                    progress)
    email_setting = _env(f"{prefix}_email")
    if not email:
        raise ConfigError(f"{token_setting} is set but {email_setting} is not",
                          hint="a Cloud API token signs in with its account's email address")
    hide(token.get_secret_value(), user=email)
    return Site(service, url.rstrip("/"), url_setting, (email_setting, token_setting), token,
                email, limits, progress)


def jira_site(settings: Settings, progress: Progress = quiet) -> Site | None:
    """Return the Jira site to read over REST, or None to read the workspace folder.

    `progress` hears what a rate-limited request waits for.
    """
    return _site("Jira", settings, "jira", progress)


def confluence_site(settings: Settings, progress: Progress = quiet) -> Site | None:
    """Return the Confluence site, or None; credentials are Jira's when none of its own are set.

    Jira's credentials count only once a space is named: a confluence_url kept for page links
    leaves Confluence in the workspace folder.
    """
    own = (settings.confluence_email, settings.confluence_token, settings.confluence_pat)
    if any(value is not None for value in own):
        return _site("Confluence", settings, "confluence", progress)
    return _site("Confluence", settings, "jira", progress) if settings.confluence_spaces \
        else None


def uses_rest(settings: Settings) -> bool:
    """Whether settings name a Jira or Confluence site to read over REST."""
    secrets = (settings.jira_token, settings.jira_pat, settings.confluence_token,
               settings.confluence_pat)
    return any(secret is not None for secret in secrets)


def _detail(error: Exception) -> str:
    """Return the server's own message, on one line, short, and without casewright's secrets."""
    text = " ".join(redact(str(error)).split())
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
                         + (f" after {site.limits.retries} retries" if retried
                            else " (not retried)"),
                         hint=f"try again later; {_env('rest_retries')} and "
                         f"{_env('rest_max_wait')} set how long casewright waits")
    return InputError(f"{site.service} at {site.url} rejected the request for {what} "
                      f"({status}): {_detail(error)}", hint=missing_hint)


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
    except RestFault as fault:
        raise fault.error(f"{site.service} at {site.url} {fault.problem} {doing} {what}",
                          hint=fault.hint.replace("{url_setting}", site.url_setting)) from fault
    except requests.HTTPError as error:
        raise _http_error(site, what, error, missing_hint, doing) from error
    except requests.Timeout as error:
        raise ToolError(f"{site.service} at {site.url} did not answer within "
                        f"{site.limits.timeout} s {doing} {what}",
                        hint=f"check the network, or raise {_env('rest_timeout')}") from error
    except requests.ConnectionError as error:
        raise ToolError(f"cannot reach {site.service} at {site.url} {doing} {what}",
                        hint=f"check {site.url_setting} and the network") from error
    except (ApiError, requests.RequestException) as error:
        if isinstance(error, ApiError) and isinstance(error.reason, requests.HTTPError):
            # atlassian-python-api wraps some 404s; the HTTPError is inside
            raise _http_error(site, what, error.reason, missing_hint, doing) from error
        raise ToolError(f"{site.service} at {site.url} failed {doing} {what}: "
                        f"{_detail(error)}", hint="run again with --debug for details") \
            from error
    if not isinstance(document, dict):
        raise ToolError(f"{site.service} at {site.url} sent malformed JSON (or none) for {what}",
                        hint=f"check that {site.url_setting} points at {site.service} itself, "
                        "not a login page or proxy")
    return document
