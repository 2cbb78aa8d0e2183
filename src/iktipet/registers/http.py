"""What every register HTTP client shares: timeouts, retries on connect, errors mapped to
:class:`RegisterUnavailable`. API knowledge lives in each client module, not here."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

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
