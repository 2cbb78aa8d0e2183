"""A client for a generic SMS gateway: ``POST {"to", "message"}`` as JSON, bearer token.

It knows the HTTP API only; the ``http`` SMS channel maps its errors to our domain.
"""

from __future__ import annotations

import httpx

from iktipet import __version__

USER_AGENT = f"iktipet/{__version__} (messaging)"


class SmsGatewayError(Exception):
    """The gateway did not accept the message. ``str(exc)`` holds no number or text."""


class SmsGatewayClient:
    def __init__(
        self,
        url: str,
        *,
        token: str,
        timeout: float,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            headers={"Authorization": f"Bearer {token}", "User-Agent": USER_AGENT},
            # No retries here: a message the gateway may have sent must not go out twice.
            # The notification task retries with backoff instead.
            transport=transport,
            follow_redirects=False,
        )

    def send(self, *, to: str, message: str) -> None:
        try:
            response = self._client.post(self.url, json={"to": to, "message": message})
        except httpx.TimeoutException:
            raise SmsGatewayError("SMS gateway timed out") from None
        except httpx.HTTPError as exc:
            raise SmsGatewayError(f"SMS gateway request failed ({type(exc).__name__})") from None
        if not 200 <= response.status_code < 300:
            raise SmsGatewayError(f"SMS gateway answered HTTP {response.status_code}")

    def close(self) -> None:
        self._client.close()
