"""Light on the wire: static files under hashed names, precompressed and cached for ever once
collectstatic has run (plain names before), pages gzipped, and only the part of
Designsystemet's stylesheet the templates use (ops.staticfiles, ops.cssusage)."""

from __future__ import annotations

import gzip

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import Client

from iktipet.ops import cssusage

FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]


@pytest.fixture
def static_source(settings, tmp_path):
    """One stylesheet as the only static source, and an empty STATIC_ROOT."""
    source = tmp_path / "source"
    (source / "app").mkdir(parents=True)
    (source / "app" / "site.css").write_text("body { color: #123456; }\n" * 40)
    settings.STATICFILES_DIRS = [source]
    settings.STATICFILES_FINDERS = FINDERS
    settings.STATIC_ROOT = str(tmp_path / "static")
    return tmp_path


def _static_url(name: str) -> str:
    return Template("{% load static %}{% static name %}").render(Context({"name": name}))


def test_before_collectstatic_the_plain_name_is_served_from_the_sources(static_source):
    assert _static_url("app/site.css") == "/static/app/site.css"
    response = Client().get("/static/app/site.css")
    assert response.status_code == 200
    assert b"#123456" in b"".join(response.streaming_content)


def test_after_collectstatic_a_hashed_name_is_served_compressed_and_immutable(static_source):
    call_command("collectstatic", "--no-input", "--verbosity", "0")
    url = _static_url("app/site.css")
    assert url.startswith("/static/app/site.") and url.endswith(".css") and url.count(".") == 2
    assert (static_source / "static" / url.removeprefix("/static/")).with_suffix(".css.br").exists()

    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]


def test_a_file_added_after_collectstatic_keeps_its_plain_name(static_source):
    call_command("collectstatic", "--no-input", "--verbosity", "0")
    (static_source / "source" / "app" / "new.css").write_text("p { margin: 0; }\n")
    assert _static_url("app/new.css") == "/static/app/new.css"


@pytest.mark.django_db
def test_pages_are_gzipped_for_a_browser_that_accepts_it(agencies):
    response = Client().get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"<html" in gzip.decompress(response.content)
    assert "Content-Encoding" not in Client().get("/").headers


def test_the_used_stylesheet_is_current():
    """Fails when a template names a ds-* class the generated stylesheet left out, or the
    bundle changed: run `.venv/bin/python -m iktipet.ops.cssusage` and commit the result."""
    assert cssusage.USED.read_text() == cssusage.build()


def test_the_purge_keeps_what_a_used_class_or_no_class_needs():
    css = (
        "@layer a, b;"
        ":root{--x:1}"
        ".ds-used{color:red}"
        ".ds-unused{color:blue}"
        ".ds-used,.ds-unused>p{margin:0}"
        "[data-size]:not(.ds-unused){padding:0}"
        ":is(.ds-unused,.ds-other)>input{border:0}"
        ":is(.ds-unused,.ds-used)>input{outline:0}"
        "@layer b{.ds-unused{top:0}.ds-used:hover{top:1px}}"
        "@media (forced-colors:active){.ds-unused{left:0}}"
        "@keyframes ds-spin{to{rotate:1turn}}"
    )
    out = cssusage.purged(css, {"ds-used"})
    assert "@layer a, b;" in out
    assert ":root{--x:1}" in out
    assert ".ds-used{color:red}" in out
    assert "color:blue" not in out
    assert ".ds-used{margin:0}" in out  # the unused alternative of the list goes
    assert "[data-size]:not(.ds-unused){padding:0}" in out  # :not() of an unused class matches
    assert "border:0" not in out
    assert ":is(.ds-unused,.ds-used)>input{outline:0}" in out
    assert "@layer b{.ds-used:hover{top:1px}}" in out
    assert "forced-colors" not in out  # emptied, so gone
    assert "@keyframes ds-spin" in out
