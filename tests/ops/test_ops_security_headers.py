"""Security headers on every response; HSTS and Secure cookies when the base URL is https."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from iktipet.accounts.testing import sign_in_citizen


def directives(policy: str) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip().partition(" ")[2]
        for part in policy.split(";")
        if part.strip()
    }


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/healthz", "/finnes-ikke/", "/static/iktipet/portal.css"])
def test_every_response_has_a_strict_policy_and_frame_denial(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    parts = directives(policy)
    assert parts["default-src"] == "'self'"
    assert parts["script-src"] == "'self'"
    assert parts["style-src"] == "'self'"
    assert parts["object-src"] == "'none'"
    assert parts["frame-ancestors"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_no_hsts_on_plain_http_loopback(client):
    assert "Strict-Transport-Security" not in client.get("/healthz")


@pytest.mark.django_db
def test_cookies_are_httponly_and_samesite_on_loopback_http(client):
    sign_in_citizen(client)
    response = client.get("/")  # the logout form carries a CSRF token (the language form none)
    cookie = response.cookies["csrftoken"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert not cookie["secure"]  # plain http on loopback: a Secure cookie would never return

    switched = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    language = switched.cookies["django_language"]
    assert language["httponly"] is True
    assert language["samesite"] == "Lax"


HTTPS_SCRIPT = """
import django, json
django.setup()
from django.conf import settings
from django.test import Client

host = "iktipet.example"
client = Client()
secure = client.get("/healthz", secure=True, HTTP_HOST=host)
proxied = client.get("/healthz", HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https")
plain = client.get("/healthz", HTTP_HOST=host)
switched = client.post(
    "/i18n/setlang/", {"language": "en", "next": "/"}, secure=True, HTTP_HOST=host
)
cookie = switched.cookies["django_language"]
print(json.dumps({
    "secure_hsts": secure.get("Strict-Transport-Security"),
    "proxied_hsts": proxied.get("Strict-Transport-Security"),
    "plain_hsts": plain.get("Strict-Transport-Security"),
    "language_cookie": {"secure": bool(cookie["secure"]), "httponly": bool(cookie["httponly"]),
                        "samesite": cookie["samesite"]},
    "session": [settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY,
                settings.SESSION_COOKIE_SAMESITE],
    "csrf": [settings.CSRF_COOKIE_SECURE, settings.CSRF_COOKIE_HTTPONLY,
             settings.CSRF_COOKIE_SAMESITE],
    "trusted": settings.CSRF_TRUSTED_ORIGINS,
}))
"""


def run_with_base_url(subprocess_env, base_url):
    env = {
        **subprocess_env,
        "DJANGO_SETTINGS_MODULE": "iktipet.settings",
        "IKTIPET_BASE_URL": base_url,
        "IKTIPET_SECRET_KEY": "x" * 50,
    }
    result = subprocess.run(
        [sys.executable, "-c", HTTPS_SCRIPT], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_https_base_url_gives_hsts_on_secure_requests_and_secure_cookies(subprocess_env):
    outcome = run_with_base_url(subprocess_env, "https://iktipet.example")
    assert outcome["secure_hsts"] == "max-age=31536000; includeSubDomains"
    # Behind a TLS-terminating proxy that says so.
    assert outcome["proxied_hsts"] == "max-age=31536000; includeSubDomains"
    assert outcome["plain_hsts"] is None
    assert outcome["language_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert outcome["session"] == [True, True, "Lax"]
    assert outcome["csrf"] == [True, True, "Lax"]
    assert outcome["trusted"] == ["https://iktipet.example"]


def test_http_base_url_off_loopback_still_gets_secure_cookies(subprocess_env):
    # A non-loopback host over plain http is a misconfiguration; cookies stay Secure anyway.
    outcome = run_with_base_url(subprocess_env, "http://iktipet.example")
    assert outcome["session"][0] is True
    assert outcome["secure_hsts"] is None
