"""What every register HTTP client shares: timeouts, retries on connect, errors mapped to
:class:`RegisterUnavailable`. API knowledge lives in each client module, not here."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar

import httpx

from iktipet import __version__
from iktipet.registers.errors import RegisterUnavailable

logger = logging.getLogger(__name__)

USER_AGENT = f"iktipet/{__version__} (registers)"


def build_client(
    base_url: str,
    *,
    timeout: float,
    headers: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """An httpx client with a timeout on every phase and one retry on connection failure."""
    return httpx.Client(
        base_url=base_url.rstrip("/") + "/",
        timeout=httpx.Timeout(timeout),
        headers={"Accept": "application/json", "User-Agent": USER_AGENT, **(headers or {})},
        transport=transport or httpx.HTTPTransport(retries=1),
        follow_redirects=False,
    )


def request_json(
    client: httpx.Client,
    register: str,
    method: str,
    path: str,
    *,
    params: Any = None,
    body: Any = None,
    headers: Mapping[str, str] | None = None,
    passthrough: Iterable[int] = (),
) -> tuple[int, Any]:
    """``(status, parsed JSON or None)`` for 2xx and the ``passthrough`` statuses.

    Anything else (network error, timeout, other status, a body that is not JSON) raises
    :class:`RegisterUnavailable`. ``path`` is never logged: it may hold a fødselsnummer.
    """
    allowed = set(passthrough)
    try:
        response = client.request(
            method, path.lstrip("/"), params=params, json=body, headers=headers
        )
    except httpx.TimeoutException:
        raise _unavailable(register, "timed out") from None
    except httpx.HTTPError as exc:
        raise _unavailable(register, f"request failed ({type(exc).__name__})") from None
    status = response.status_code
    if not (200 <= status < 300 or status in allowed):
        raise _unavailable(register, f"unexpected HTTP status {status}")
    if not response.content.strip():
        return status, None
    try:
        return status, response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise _unavailable(register, f"malformed JSON in HTTP {status} response") from None


class RegisterClient:
    """Where every register API client starts: one httpx client for ``base_url`` (a timeout
    on every phase, one retry on connect) and :meth:`_request`, which maps every failure to
    :class:`RegisterUnavailable`. A subclass adds the API's calls and nothing else."""

    #: The register's name in logs and errors (``"krr"``).
    register: ClassVar[str]
    #: The public production endpoint, if the register has one.
    default_url: ClassVar[str] = ""

    def __init__(
        self,
        base_url: str | None = None,
        *,
        timeout: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        url = self.default_url if base_url is None else base_url
        self._http = build_client(url, timeout=timeout, transport=transport)

    def close(self) -> None:
        self._http.close()

    def _request(self, method: str, path: str, **options: Any) -> tuple[int, Any]:
        """:func:`request_json` against this register."""
        return request_json(self._http, self.register, method, path, **options)


class TokenRegisterClient(RegisterClient):
    """A client for an API that wants a bearer token (Maskinporten). ``token_provider`` is
    asked before every request: a token agent rotates the token in its file."""

    #: False where the API answers without a token too (a facade inside the city's network).
    token_required: ClassVar[bool] = True

    def __init__(
        self,
        base_url: str | None = None,
        *,
        token_provider: Callable[[], str],
        timeout: float = 5.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        super().__init__(base_url, timeout=timeout, transport=transport)
        self._token_provider = token_provider

    def _auth(self) -> dict[str, str]:
        """The Authorization header, or RegisterUnavailable when a required token is missing."""
        token = self._token_provider()
        if token:
            return {"Authorization": f"Bearer {token}"}
        if self.token_required:
            raise RegisterUnavailable(self.register, "no access token available")
        return {}


def _unavailable(register: str, reason: str) -> RegisterUnavailable:
    logger.warning("register unavailable", extra={"register": register, "reason": reason})
    return RegisterUnavailable(register, reason)


def read_token_file(path: str) -> str:
    """A bearer token kept fresh in a file by a token agent (e.g. for Maskinporten)."""
    if not path:
        return ""
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def token_file_problems(path: str, variable: str) -> list[str]:
    if not path:
        return [f"{variable} is not set: the register needs a bearer token."]
    if not Path(path).is_file():
        return [f"{variable}={path!r} does not exist."]
    if not read_token_file(path):
        return [f"{variable}={path!r} is empty or unreadable."]
    return []
