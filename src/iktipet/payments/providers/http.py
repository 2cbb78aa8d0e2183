"""What the HTTP payment providers share: explicit timeouts and faults mapped to the contract.

A provider that cannot be reached, times out or answers 5xx raises
:class:`~iktipet.payments.providers.base.ProviderUnavailable` (the order stays, the poller
settles it later); a 4xx raises :class:`~iktipet.payments.providers.base.ProviderRefused`
carrying the provider's own error code and message, read by the plugin's ``parse_error``.
API knowledge (paths, bodies, headers) lives in each plugin, not here.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from iktipet import __version__
from iktipet.payments.providers.base import ProviderRefused, ProviderUnavailable

logger = logging.getLogger(__name__)

USER_AGENT = f"iktipet/{__version__} (payments)"

#: ``(code, message)`` from an error response's parsed JSON body (``None`` if not JSON).
ErrorParser = Callable[[Any], tuple[str, str]]


@dataclass(frozen=True)
class Response:
    status: int
    body: Any  # parsed JSON, or None for an empty body


class ProviderHttp:
    """One httpx client for a provider's base URL.

    The timeout applies to every phase (connect, write, read, pool). A connection that fails
    before the request was sent is retried once by the transport; nothing else is retried
    here: a retry of a POST that may have reached the provider is the caller's, with the same
    idempotency key.
    """

    def __init__(
        self,
        provider: str,
        base_url: str,
        *,
        timeout: float,
        parse_error: ErrorParser,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.provider = provider
        self._parse_error = parse_error
        if transport is not None:
            self._client = _new_client(base_url, timeout, transport)
            return
        # A plugin is built per call; its connections (and TLS sessions) outlive it here.
        key = (base_url.rstrip("/"), timeout)
        with _clients_lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = _new_client(base_url, timeout, None)
        self._client = client

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: Any = None,
        expect: tuple[int, ...] = (200, 201, 204),
    ) -> Response:
        """Send one request; a status outside ``expect`` raises (never returns)."""
        sent = dict(headers or {})
        if body is not None:
            sent.setdefault("Content-Type", "application/json")
        try:
            response = self._client.request(
                method,
                path,
                headers=sent,
                content=None if body is None else json.dumps(body).encode(),
            )
        except httpx.TimeoutException:
            raise self._unavailable("timed out") from None
        except httpx.HTTPError as exc:
            raise self._unavailable(f"request failed ({type(exc).__name__})") from None
        status = response.status_code
        parsed = _json_or_none(response)
        if status in expect:
            if parsed is _MALFORMED:
                raise self._unavailable(f"malformed JSON in HTTP {status} response")
            return Response(status, parsed)
        if status >= 500 or status in (408, 429):
            # Their fault or a throttle: the same request may succeed later.
            raise self._unavailable(f"HTTP {status}")
        if 400 <= status < 500:
            code, message = self._parse_error(None if parsed is _MALFORMED else parsed)
            logger.info(
                "payment provider refused",
                extra={"provider": self.provider, "status": status, "code": code},
            )
            raise ProviderRefused(
                message or f"{self.provider} answered HTTP {status}",
                code=code or str(status),
                status=status,
            )
        raise self._unavailable(f"unexpected HTTP status {status}")

    def _unavailable(self, reason: str) -> ProviderUnavailable:
        logger.warning(
            "payment provider unavailable", extra={"provider": self.provider, "reason": reason}
        )
        return ProviderUnavailable(f"{self.provider}: {reason}")


_MALFORMED = object()
_clients: dict[tuple[str, float], httpx.Client] = {}
_clients_lock = threading.Lock()


def _new_client(
    base_url: str, timeout: float, transport: httpx.BaseTransport | None
) -> httpx.Client:
    return httpx.Client(
        base_url=base_url.rstrip("/"),
        timeout=httpx.Timeout(timeout),
        headers={"Accept": "application/json", "User-Agent": USER_AGENT},
        transport=transport or httpx.HTTPTransport(retries=1),
        follow_redirects=False,
    )


def _json_or_none(response: httpx.Response) -> Any:
    if not response.content.strip():
        return None
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return _MALFORMED


def json_object(answer: Response, provider: str) -> dict[str, Any]:
    """The answer's body, which must be a JSON object (else the provider misbehaves)."""
    if not isinstance(answer.body, dict):
        raise ProviderUnavailable(f"{provider}: expected a JSON object in the response")
    return answer.body


def text(value: Any) -> str:
    """A JSON value as a short string for an error message (``""`` for nothing)."""
    if value is None:
        return ""
    return str(value)[:500]
