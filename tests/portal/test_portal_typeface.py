"""The typeface and the icon as files and markup (the browser test loads them for real)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import iktipet

pytestmark = pytest.mark.django_db

STATIC = Path(iktipet.__file__).parent / "static"


def test_inter_is_vendored_as_woff2_with_swap():
    css = (STATIC / "vendor/inter/inter.css").read_text()
    sources = re.findall(r"url\(([^)]+)\)", css)
    assert sources and all(source.endswith(".woff2") for source in sources)
    for source in sources:
        assert (STATIC / "vendor/inter" / source).stat().st_size > 10_000
    faces = css.count("@font-face")
    assert faces == css.count("font-display: swap") == len(sources)
    assert {"400", "500", "600"} <= set(re.findall(r"font-weight: (\d+)", css))
    assert "Open Font License" in (STATIC / "vendor/inter/LICENSE").read_text()


def test_the_font_stack_falls_back_to_the_systems_sans_serif():
    css = (STATIC / "iktipet/portal.css").read_text()
    stack = re.search(r"--ds-font-family: ([^;]+);", css).group(1)
    assert stack.startswith('"Inter"') and stack.endswith("sans-serif")


def test_every_page_links_the_font_and_the_icon(client):
    html = client.get("/finnes-ikke/").content.decode()
    assert re.search(r'<link rel="stylesheet" href="/static/vendor/inter/inter[^"]*\.css">', html)
    assert re.search(r'<link rel="icon" href="/static/iktipet/favicon[^"]*\.svg"', html)


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert re.match(r"/static/iktipet/favicon[^/]*\.svg$", response["Location"])
