"""The browser's part of a login, played with Django's test client and httpx."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx

KARI = "17819049912"  # synthetic (Tenor, month + 80)
OLA = "03868849974"
ORG_KARI_LEADS = "310000019"
ORG_KARI_BOARD_MEMBER = "310000027"


def to_idp(client, path):
    """The browser's first leg: our login page redirects to the provider's authorize URL."""
    response = client.get(path)
    assert response.status_code == 302, response.status_code
    return response["Location"]


def authorize(url):
    """The provider approves and sends the browser back with a code."""
    response = httpx.get(url, follow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text
    return response.headers["location"]


def back_to_rp(client, callback_url):
    parts = urlsplit(callback_url)
    return client.get(f"{parts.path}?{parts.query}")


def log_in(client, path="/logg-inn/?next=/min-side/"):
    """The whole browser round trip; the callback's response."""
    return back_to_rp(client, authorize(to_idp(client, path)))


def query_of(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
