"""``Y360Client``: hosts, authentication, transport, timeouts and the retry policy.

One ``httpx.AsyncClient`` per host (api360, cloud-api, oauth, tracker). Tests and the
``--demo`` mode inject a transport (e.g. ``httpx.ASGITransport(emulator_app)``) so no
socket is opened; ``base_url=`` points every host at one server, or each host can be
overridden on its own.

Retries are delegated to ``httpx-retries`` (a ``RetryTransport`` wrapping the real
transport): full-jitter exponential backoff, ``Retry-After`` honoured, attempts and total
sleep capped. Two things it cannot express by configuration, done by subclassing ``Retry``:
an injectable async ``sleep`` (tests record sleeps instead of waiting) and a policy for
POST/PATCH that retries only when the connection was never made (nothing was sent).
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
from collections.abc import Awaitable, Callable, Generator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

import httpx
from httpx_retries import Retry, RetryTransport
from pydantic import BaseModel, TypeAdapter, ValidationError

from .errors import DecodeError, TransportError, error_from_response, parse_retry_after
from .secret import Secret

if TYPE_CHECKING:
    from .audit import AuditApi
    from .directory import DirectoryApi
    from .disk import DiskApi
    from .domains import DomainsApi
    from .mail_flow import MailFlowApi
    from .mail_settings import MailSettingsApi
    from .mailboxes import MailboxesApi
    from .security import SecurityApi
    from .service_apps import ServiceAppsApi
    from .tracker import TrackerApi

# httpcore asks sniffio which event loop runs, several times per request; without sniffio
# installed (anyio 4 no longer needs it) each ask is a failed import that searches sys.path
# again (~0.1 ms, a fifth of a small request's client CPU). Record the absence once.
if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
    sys.modules["sniffio"] = None  # type: ignore[assignment]

M = TypeVar("M")
Sleep = Callable[[float], Awaitable[Any]]

API360_URL = "https://api360.yandex.net"
CLOUD_URL = "https://cloud-api.yandex.net"
OAUTH_URL = "https://oauth.yandex.ru"
TRACKER_URL = "https://api.tracker.yandex.net"

# API families whose host can be set on its own (``family_urls``); each defaults to the host
# named here. A sub-client of one of them sends to ``urls[family]`` when it is set.
FAMILY_HOSTS = {"mailboxes": "api360", "mail_settings": "api360", "mail_flow": "api360",
                "domains": "api360"}

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
# Failures that happen before a single byte of the request leaves: safe to retry any method.
NOTHING_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class RetryPolicy:
    """How failed requests are retried.

    ``retries``: extra attempts after the first; ``backoff_factor``: base of the
    exponential backoff (full jitter); ``max_backoff``: cap of one sleep, including a
    server's Retry-After; ``max_total_sleep``: cap of all sleeps of one request;
    ``statuses``: retried response codes (idempotent methods only).
    """

    retries: int = 3
    backoff_factor: float = 0.5
    max_backoff: float = 30.0
    max_total_sleep: float = 60.0
    statuses: frozenset[int] = frozenset({429, 500, 502, 503, 504})


class _Retry(Retry):
    """``httpx_retries.Retry`` with an injectable async sleep and delta-seconds that may be
    fractional (the library reads only integer seconds or an HTTP date)."""

    def __init__(self, *args: Any, sleep: Sleep | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sleep_fn: Sleep = sleep or asyncio.sleep

    def copy_with(self, **kwargs: Any) -> Retry:
        # The base class rebuilds the object from its known arguments only.
        new = super().copy_with(**kwargs)
        new.sleep_fn = self.sleep_fn  # type: ignore[attr-defined]
        return new

    def parse_retry_after(self, retry_after: str) -> float:
        seconds = parse_retry_after(retry_after)
        if seconds is None:
            raise ValueError(f"Invalid Retry-After header: {retry_after}")
        return seconds

    async def asleep(self, response: httpx.Response | Exception) -> None:
        headers = response.headers if isinstance(response, httpx.Response) else {}
        seconds = self._calculate_sleep(headers)
        await self.sleep_fn(seconds)
        self.elapsed_sleep += seconds


class _ConnectOnlyRetry(_Retry):
    """For POST/PATCH: retry only when the connection failed, never on a response
    (the write may have applied). An empty ``status_forcelist`` would fall back to the
    library's defaults, hence the override."""

    def is_retryable_status_code(self, status_code: int) -> bool:
        return False


def _tls_context(urls: Mapping[str, str]) -> Any:
    """One TLS context for every host: each new one loads the CA bundle (~50 ms, four hosts),
    which was a fifth of the time to the first users on screen. None of the URLs is https
    (a local demo-server): a context that loads no certificates."""
    return httpx.create_ssl_context(
        verify=any(url.startswith("https:") for url in urls.values()))


def _retry_pair(policy: RetryPolicy, sleep: Sleep | None) -> tuple[_Retry, _Retry]:
    common = dict(
        total=policy.retries, backoff_factor=policy.backoff_factor,
        max_backoff_wait=policy.max_backoff, total_timeout=policy.max_total_sleep, sleep=sleep,
    )
    reads = _Retry(allowed_methods=IDEMPOTENT_METHODS, status_forcelist=policy.statuses,
                   **common)
    writes = _ConnectOnlyRetry(allowed_methods=["POST", "PATCH"], retry_on_exceptions=NOTHING_SENT,
                               **common)
    return reads, writes


class _TokenAuth(httpx.Auth):
    """Sets ``Authorization: <scheme> <token>`` on each request; its repr shows no token."""

    def __init__(self, token: Secret, scheme: str) -> None:
        self._token = token
        self._scheme = scheme

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"{self._scheme} {self._token.reveal()}"
        yield request

    def __repr__(self) -> str:
        return f"<TokenAuth {self._scheme} ***>"


class _SharedTransport(httpx.AsyncBaseTransport):
    """Passes requests to a caller-owned transport but never closes it: four host
    clients share one injected transport, and its owner decides when it ends."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.inner.handle_async_request(request)


class Y360Client:
    """Async client for Yandex 360 for Business.

    ``token``: an admin OAuth token (or a service-app token with ``auth_scheme="Bearer"``);
    ``org_id``: the organization every org-scoped call targets. ``base_url`` points all
    hosts at one server (the emulator); ``api360_url``, ``cloud_url``, ``oauth_url``,
    ``tracker_url`` override one host each; ``family_urls`` points one API family at its own
    host (``{"mailboxes": "https://cloud-api.yandex.net"}``: the docs now call api360 a legacy
    host and add new methods on cloud-api, so each family's host can be chosen on its own;
    ``FAMILY_HOSTS`` names the families). ``transport`` replaces the network
    (the caller keeps ownership). ``timeout`` is seconds per request. ``retry`` is a
    ``RetryPolicy`` (``RetryPolicy(retries=0)`` disables retries); ``sleep`` replaces
    ``asyncio.sleep`` between retries.

    Sub-clients: ``directory``, ``security``, ``audit``, ``disk``, ``service_apps``,
    ``tracker``. Use ``async with Y360Client(...) as client:`` or call ``aclose()``.
    """

    def __init__(
        self,
        token: str | Secret,
        org_id: int,
        *,
        base_url: str | None = None,
        api360_url: str | None = None,
        cloud_url: str | None = None,
        oauth_url: str | None = None,
        tracker_url: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float | httpx.Timeout = 30.0,
        retry: RetryPolicy | None = None,
        sleep: Sleep | None = None,
        auth_scheme: str = "OAuth",
        cloud_org_id: str | None = None,
        family_urls: Mapping[str, str] | None = None,
    ) -> None:
        if not isinstance(org_id, int) or isinstance(org_id, bool):
            raise ValueError(f"org_id must be an int, got {type(org_id).__name__}")
        self.org_id = org_id
        self._token = Secret(token)
        self._auth_scheme = auth_scheme
        self.urls = {
            "api360": api360_url or base_url or API360_URL,
            "cloud": cloud_url or base_url or CLOUD_URL,
            "oauth": oauth_url or base_url or OAUTH_URL,
            "tracker": tracker_url or base_url or TRACKER_URL,
        }
        self.family_urls = _family_urls(family_urls)
        self.urls.update(self.family_urls)
        self._transport = transport
        self._timeout = timeout
        self.retry_policy = retry or RetryPolicy()
        self._sleep = sleep
        self._cloud_org_id = cloud_org_id
        self._reads_retry, self._writes_retry = _retry_pair(self.retry_policy, sleep)
        self._tls = _tls_context(self.urls) if transport is None else None
        self._http: dict[str, httpx.AsyncClient] = {}  # per host, made on first request
        self._closed = False

    # Sub-clients are built on first use, each importing its own models: a program that only
    # lists users never builds the audit, disk or tracker classes (start-up time).
    @cached_property
    def directory(self) -> DirectoryApi:
        """Users, departments, groups, organizations (api360 ``/directory``)."""
        from .directory import DirectoryApi

        return DirectoryApi(self)

    @cached_property
    def security(self) -> SecurityApi:
        """2FA, sessions, password policy, service applications (api360 ``/security``)."""
        from .security import SecurityApi

        return SecurityApi(self)

    @cached_property
    def audit(self) -> AuditApi:
        """Mail audit log, Disk audit log and organization audit events."""
        from .audit import AuditApi

        return AuditApi(self)

    @cached_property
    def disk(self) -> DiskApi:
        """Disk resources: public resources of users, access settings, unpublish."""
        from .disk import DiskApi

        return DiskApi(self)

    @cached_property
    def domains(self) -> DomainsApi:
        """The organisation's domains and their DNS records (api360 ``/directory``)."""
        from .domains import DomainsApi

        return DomainsApi(self)

    @cached_property
    def mail_flow(self) -> MailFlowApi:
        """Mail routing rules, sender allow/deny policies, anti-spam IP allow list."""
        from .mail_flow import MailFlowApi

        return MailFlowApi(self)

    @cached_property
    def mail_settings(self) -> MailSettingsApi:
        """One employee's mail settings: sender info and signatures, forwarding and
        auto-reply rules, address collection."""
        from .mail_settings import MailSettingsApi

        return MailSettingsApi(self)

    @cached_property
    def mailboxes(self) -> MailboxesApi:
        """Shared and delegated mailboxes: lists, actors, access changes and their tasks."""
        from .mailboxes import MailboxesApi

        return MailboxesApi(self)

    @cached_property
    def service_apps(self) -> ServiceAppsApi:
        """Token exchange for service applications (oauth host)."""
        from .service_apps import ServiceAppsApi

        return ServiceAppsApi(self)

    @cached_property
    def tracker(self) -> TrackerApi:
        """Tracker users and groups."""
        from .tracker import TrackerApi

        return TrackerApi(self)

    def _http_for(self, host: str) -> httpx.AsyncClient:
        http = self._http.get(host)
        if http is None:
            if self._closed:  # as httpx does for a closed client
                raise RuntimeError("Cannot send a request, as the client has been closed.")
            http = self._http[host] = self._make_http(host, self.urls[host])
        return http

    def _make_http(self, host: str, url: str) -> httpx.AsyncClient:
        inner: httpx.AsyncBaseTransport = (
            _SharedTransport(self._transport) if self._transport is not None
            else httpx.AsyncHTTPTransport(verify=self._tls)
        )
        headers = {"Accept": "application/json"}
        if host == "tracker":
            headers["X-Org-ID"] = str(self.org_id)
            if self._cloud_org_id:
                headers["X-Cloud-Org-ID"] = self._cloud_org_id
        auth = None if host == "oauth" else _TokenAuth(self._token, self._auth_scheme)
        return httpx.AsyncClient(
            base_url=url, auth=auth, headers=headers, timeout=self._timeout,
            transport=RetryTransport(transport=inner, retry=self._reads_retry),
        )

    def with_token(self, token: str | Secret | Any, auth_scheme: str | None = None) -> Y360Client:
        """A new client for another token (e.g. a ``ServiceAppToken`` from
        ``service_apps.exchange``) with the same org, URLs, transport and retry policy.
        A ``ServiceAppToken`` brings its own scheme (``Bearer``)."""
        scheme = auth_scheme or getattr(token, "auth_scheme", None) or self._auth_scheme
        raw = getattr(token, "access_token", token)
        return Y360Client(
            raw, self.org_id, api360_url=self.urls["api360"], cloud_url=self.urls["cloud"],
            oauth_url=self.urls["oauth"], tracker_url=self.urls["tracker"],
            transport=self._transport, timeout=self._timeout, retry=self.retry_policy,
            sleep=self._sleep, auth_scheme=scheme, cloud_org_id=self._cloud_org_id,
            family_urls=self.family_urls,
        )

    def with_retry(self, retry: RetryPolicy) -> Y360Client:
        """A new client for the same token, org, URLs and transport with another retry
        policy (e.g. without 429, for a caller that paces itself on the server's answers)."""
        return Y360Client(
            self._token, self.org_id, api360_url=self.urls["api360"],
            cloud_url=self.urls["cloud"], oauth_url=self.urls["oauth"],
            tracker_url=self.urls["tracker"], transport=self._transport, timeout=self._timeout,
            retry=retry, sleep=self._sleep, auth_scheme=self._auth_scheme,
            cloud_org_id=self._cloud_org_id, family_urls=self.family_urls,
        )

    async def __aenter__(self) -> Y360Client:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the per-host connection pools (an injected transport stays open)."""
        self._closed = True
        for http in self._http.values():
            await http.aclose()

    def __repr__(self) -> str:
        return f"<Y360Client org_id={self.org_id} api360={self.urls['api360']!r} token=***>"

    # --- the request path shared by every sub-client -----------------------------------

    async def send(
        self,
        host: str,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | list[tuple[str, Any]] | None = None,
        json_body: Any = None,
        form: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Send one request to ``host`` ("api360", "cloud", "oauth", "tracker") and return
        the successful response; raise a typed ``ApiError`` for an error status and a
        ``TransportError`` when no answer came (after the retry policy gave up)."""
        method = method.upper()
        extensions = {} if method in IDEMPOTENT_METHODS else {"retry": self._writes_retry}
        try:
            response = await self._http_for(host).request(
                method, path, params=_clean_params(params), json=json_body, data=form,
                extensions=extensions,
            )
        except httpx.TimeoutException as exc:
            raise TransportError(f"timed out ({type(exc).__name__})", method=method,
                                 path=_path_only(path)) from exc
        except httpx.HTTPError as exc:
            raise TransportError(f"{type(exc).__name__}: {exc}", method=method,
                                 path=_path_only(path)) from exc
        if response.is_error:
            error = error_from_response(response)
            # A 404 answering the retry of a DELETE whose first attempt applied says nothing
            # about whether the write happened: callers need to know it was a retry.
            retry = response.extensions.get("retry")
            error.attempts = 1 + int(getattr(retry, "attempts_made", 0) or 0)
            raise error
        return response

    async def call(self, host: str, method: str, path: str, model: type[M] | Any,
                   **kwargs: Any) -> M:
        """``send`` and decode the body into ``model`` (a pydantic model class or any type
        a ``TypeAdapter`` accepts, e.g. ``list[TrackerUser]``); ``None`` skips decoding."""
        response = await self.send(host, method, path, **kwargs)
        return decode(response, model)


def decode(response: httpx.Response, model: Any) -> Any:
    """Parse a response body into ``model``; pydantic reads the bytes directly."""
    if model is None:
        return None
    try:
        if isinstance(model, type) and issubclass(model, BaseModel):
            return model.model_validate_json(response.content)
        return _adapter(model).validate_json(response.content)
    except ValidationError as exc:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ())) or "body"
        raise DecodeError(f"{where}: {first.get('msg', 'invalid body')}",
                          method=response.request.method, path=response.request.url.path,
                          status=response.status_code) from None


_ADAPTERS: dict[Any, TypeAdapter[Any]] = {}


def _adapter(tp: Any) -> TypeAdapter[Any]:
    adapter = _ADAPTERS.get(tp)
    if adapter is None:
        adapter = _ADAPTERS[tp] = TypeAdapter(tp)
    return adapter


def _clean_params(params: Any) -> Any:
    """Drop None values and render bools the way the APIs expect (``true``/``false``)."""
    if params is None:
        return None
    pairs = params.items() if isinstance(params, Mapping) else params
    out = []
    for key, value in pairs:
        if value is None:
            continue
        out.append((key, ("true" if value else "false") if isinstance(value, bool) else value))
    return out


def _path_only(path: str) -> str:
    return path.split("?", 1)[0]


def _family_urls(given: Mapping[str, str] | None) -> dict[str, str]:
    """``family_urls`` checked: known families only (a typo would silently use the default)."""
    out = dict(given or {})
    unknown = sorted(set(out) - set(FAMILY_HOSTS))
    if unknown:
        raise ValueError(f"unknown API families in family_urls: {', '.join(unknown)} "
                         f"(known: {', '.join(sorted(FAMILY_HOSTS))})")
    return out
