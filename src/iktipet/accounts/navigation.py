"""Where to send the browser after login: only paths on this site."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme

# Never back into the login or logout machinery: that would loop.
_NOT_AFTER_LOGIN = ("/logg-inn/", "/logg-ut/", "/ansatt/logg-inn/")


def safe_next(request: HttpRequest, value: str | None, default: str) -> str:
    """``value`` if it is a path on this site, else ``default``.

    Only a path (with optional query) is accepted: no scheme, no host, no ``//`` or ``\\``
    that a browser would read as another host, no control characters.
    """
    if not value or len(value) > 2000:
        return default
    if any(ord(char) < 32 or ord(char) == 127 for char in value) or "\\" in value:
        return default
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return default
    if parts.path.startswith("//") or parts.path.startswith(_NOT_AFTER_LOGIN):
        return default
    return value
