"""SSRF guard for webhook URLs: https only (http only to loopback under DEBUG), and never an
address in a private, loopback, link-local or otherwise internal range unless an operator
allow-listed the host (``IKTIPET_WEBHOOK_ALLOWED_HOSTS``).

Checked when a subscription is saved and again before every delivery (a name may resolve
elsewhere later). Between the check and the connection a name could still change (DNS
rebinding): the short timeout and no redirects limit what that could reach.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class UrlRefused(Exception):
    pass


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise UrlRefused(_("Fant ikke adressen %(host)s.") % {"host": host}) from exc
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


def _internal(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def check_url(url: str) -> None:
    """Raise :class:`UrlRefused` with a translated reason unless ``url`` may get webhooks."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host or parts.username or parts.password:
        raise UrlRefused(_("Adressen må ha et vertsnavn og ingen brukernavn eller passord."))
    addresses = _addresses(host)
    loopback = bool(addresses) and all(a.is_loopback for a in addresses)
    if settings.DEBUG and loopback and parts.scheme in ("http", "https"):
        return  # a receiver on the developer's own machine
    if parts.scheme != "https":
        raise UrlRefused(_("Adressen må begynne med https://."))
    if host in settings.WEBHOOK_ALLOWED_HOSTS:
        return
    if any(_internal(a) for a in addresses):
        raise UrlRefused(
            _("Adressen peker til et internt nett. En driftsoperatør må godkjenne verten.")
        )
