"""The portal's public pages: landmarks, skip link, no JavaScript, no inline styles."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from iktipet.core.demo_data import load_municipality

pytestmark = pytest.mark.django_db

PAGES = {
    "/": "Velkommen til Oslo kommune",
    "/tjenester/": "Tjenester",
    "/tilgjengelighet/": "Tilgjengelighetserklæring",
    "/personvern/": "Personvern",
}


@pytest.fixture
def oslo():
    load_municipality()


def h1(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert match, "no <h1>"
    return re.sub(r"\s+", " ", match.group(1)).strip()


@pytest.mark.parametrize(("path", "heading"), PAGES.items())
def test_page_renders_with_heading_and_title(client, oslo, path, heading):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert h1(html) == heading
    assert re.search(r"<title>[^<]+ – Oslo kommune</title>", html)
    assert '<html lang="nb"' in html


@pytest.mark.parametrize("path", PAGES)
def test_page_has_landmarks_and_the_skip_link_comes_first(client, oslo, path):
    html = client.get(path).content.decode()
    body = html[html.index("<body") :]
    first_focusable = re.search(r"<(a|button|input|select|textarea)\b[^>]*>", body)
    assert first_focusable and 'href="#main"' in first_focusable.group(0)
    assert 'class="ds-skip-link"' in first_focusable.group(0)
    assert body.count("<header") == 1
    assert re.search(r'<nav aria-label="[^"]+"', body)
    assert re.search(r'<main id="main"[^>]*>', body)
    assert body.count("<main") == 1
    assert body.count("<footer") == 1


@pytest.mark.parametrize("path", [*PAGES, "/finnes-ikke/"])
def test_page_needs_no_javascript_and_has_no_inline_style(client, oslo, path):
    html = client.get(path).content.decode()
    assert "<script" not in html
    assert not re.search(r"\sstyle=", html)
    assert "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)


@pytest.mark.parametrize("path", PAGES)
def test_pages_refuse_post_and_answer_head(client, oslo, path):
    assert client.head(path).status_code == 200
    assert client.post(path).status_code == 405


def test_front_page_lists_the_agencies(client):
    call_command("load_demo", verbosity=0)
    html = client.get("/").content.decode()
    for name in ("Næringsetaten", "Plan- og bygningsetaten", "Utdanningsetaten", "Bymiljøetaten"):
        assert name in html


def test_fresh_install_without_a_municipality_still_renders(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Velkommen til Iktipet" in response.content.decode()


def test_front_page_query_count_stays_small(client, oslo, django_assert_max_num_queries):
    client.get("/")  # warm the municipality and agency caches
    with django_assert_max_num_queries(1):
        assert client.get("/").status_code == 200


def test_an_edited_agency_shows_at_once_despite_the_cache(client, oslo):
    from iktipet.core.models import Agency

    client.get("/")
    agency = Agency.objects.get(slug="bymiljoetaten")
    agency.name_nb = "Bymiljøetaten (ny)"
    agency.save()
    assert "Bymiljøetaten (ny)" in client.get("/").content.decode()
    agency.delete()
    assert "Bymiljøetaten" not in client.get("/").content.decode()
