"""The cache-backed rate limit, on locmem and (when it answers) on Redis."""

from __future__ import annotations

import socket
import uuid

import pytest
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.test import override_settings
from django.urls import include, path

from iktipet.core import ratelimit as ratelimit_module
from iktipet.core.ratelimit import Limit, client_ip, hit, ratelimit


@ratelimit("test-login", Limit(2, 60), methods=("POST",))
def limited_view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


# The portal's own URLs too: the 429 page extends base.html, which links to them.
urlpatterns = [path("limited/", limited_view), path("", include("iktipet.urls"))]


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


LOCMEM = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "ratelimit-test",
}


@pytest.fixture(
    params=[
        "locmem",
        pytest.param(
            "redis",
            marks=pytest.mark.skipif(
                not redis_answers(), reason="no Redis answering on 127.0.0.1:6379"
            ),
        ),
    ]
)
def cache_alias(request):
    if request.param == "locmem":
        backend = LOCMEM
    else:
        backend = {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": f"iktipet-test-{uuid.uuid4().hex}",
        }
    with override_settings(CACHES={"default": LOCMEM, "limits": backend}):
        yield "limits"
        if request.param == "locmem":
            caches["limits"].clear()  # Redis keys carry a unique prefix and expire by themselves


def test_hits_within_the_limit_pass_and_the_next_is_refused(cache_alias):
    limit = Limit(3, 60)
    assert [hit("login", "10.0.0.1", limit, cache_alias=cache_alias) for _ in range(5)] == [
        True,
        True,
        True,
        False,
        False,
    ]


def test_keys_and_scopes_are_counted_separately(cache_alias):
    limit = Limit(1, 60)
    assert hit("login", "10.0.0.1", limit, cache_alias=cache_alias)
    assert not hit("login", "10.0.0.1", limit, cache_alias=cache_alias)
    assert hit("login", "10.0.0.2", limit, cache_alias=cache_alias)
    assert hit("sms", "10.0.0.1", limit, cache_alias=cache_alias)


def test_a_new_window_starts_afresh(cache_alias, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit_module.time, "time", lambda: now[0])
    limit = Limit(1, 60)
    assert hit("login", "k", limit, cache_alias=cache_alias)
    assert not hit("login", "k", limit, cache_alias=cache_alias)
    now[0] += 60
    assert hit("login", "k", limit, cache_alias=cache_alias)


@pytest.mark.skipif(not redis_answers(), reason="no Redis answering on 127.0.0.1:6379")
def test_redis_counts_are_shared_between_cache_clients():
    """Two processes (here: two client objects) see one counter: the point of Redis."""
    prefix = f"iktipet-test-{uuid.uuid4().hex}"
    backend = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
        "KEY_PREFIX": prefix,
    }
    with override_settings(CACHES={"default": LOCMEM, "a": backend, "b": dict(backend)}):
        limit = Limit(2, 60)
        assert hit("login", "shared", limit, cache_alias="a")
        assert hit("login", "shared", limit, cache_alias="b")
        assert not hit("login", "shared", limit, cache_alias="a")


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_decorated_view_answers_429_with_a_translated_page(client):
    assert client.post("/limited/").status_code == 200
    assert client.post("/limited/").status_code == 200
    refused = client.post("/limited/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "For mange forespørsler" in refused.content.decode()
    # Only POST is limited for this view.
    assert client.get("/limited/").status_code == 200

    client.cookies["django_language"] = "en"
    refused_en = client.post("/limited/")
    assert refused_en.status_code == 429
    assert "Too many requests" in refused_en.content.decode()


def test_client_ip_is_the_socket_address_without_trusted_proxies(rf, settings):
    settings.TRUSTED_PROXIES = 0
    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "10.1.1.1"


def test_client_ip_behind_trusted_proxies_ignores_what_the_client_claims(rf, settings):
    settings.TRUSTED_PROXIES = 1
    # The client forged 6.6.6.6; our load balancer appended the address it really saw.
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"
    settings.TRUSTED_PROXIES = 2
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7, 10.0.0.9")
    assert client_ip(request) == "203.0.113.7"
    # Fewer entries than proxies: a request that bypassed them; use the socket address.
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client_ip(request) == "10.0.0.2"


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_clients_behind_one_load_balancer_are_limited_separately(client, settings):
    settings.TRUSTED_PROXIES = 1
    for _ in range(2):
        client.post("/limited/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    blocked = client.post("/limited/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert blocked.status_code == 429
    other = client.post("/limited/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert other.status_code == 200
