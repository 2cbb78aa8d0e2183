"""Norwegian by default; English by the language switch, with every portal string translated."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

import iktipet
from iktipet.core.demo_data import load_municipality

pytestmark = pytest.mark.django_db

LOCALE = Path(iktipet.__file__).parent / "locale" / "en" / "LC_MESSAGES"


@pytest.fixture
def oslo():
    load_municipality()


def switch_to_english(client, next_url="/"):
    response = client.post("/i18n/setlang/", {"language": "en", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == next_url
    return response


def test_language_switch_turns_pages_english_and_back(client, oslo):
    assert "Velkommen til Oslo kommune" in client.get("/").content.decode()
    switch_to_english(client, "/personvern/")

    html = client.get("/personvern/").content.decode()
    assert '<html lang="en"' in html
    assert "<h1" in html and ">Privacy</h1>" in html
    assert "Skip to main content" in html
    assert 'value="nb"' in html  # the switch now offers bokmål

    client.post("/i18n/setlang/", {"language": "nb", "next": "/"})
    assert ">Personvern</h1>" in client.get("/personvern/").content.decode()


def test_english_from_the_browser_language(client, oslo):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert "Welcome to Oslo kommune" in html


def test_unknown_language_is_ignored_not_an_error(client, oslo):
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="nb"' in client.get("/").content.decode()


def test_setlang_does_not_redirect_off_site(client, oslo):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


NORWEGIAN_LETTERS = re.compile(r"[æøåÆØÅ]")


# The portal's own pages; each app checks its own.
@pytest.mark.parametrize("path", ["/", "/tilgjengelighet/", "/personvern/", "/x/"])
def test_english_pages_contain_no_bokmal_left_over(client, oslo, path):
    switch_to_english(client)
    html = client.get(path).content.decode()
    # The button that switches back to bokmål is rightly in bokmål.
    html = re.sub(r'<button[^>]*lang="nb"[^>]*>.*?</button>', "", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html)
    assert not NORWEGIAN_LETTERS.findall(text), re.findall(r"[^\s]*[æøåÆØÅ][^\s]*", text)


def po_entries(path: Path) -> dict[str, str]:
    entries, current, key = {}, {"msgid": [], "msgstr": []}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith(("msgid ", "msgstr ")):
            key, _, rest = line.partition(" ")
            if key == "msgid" and current["msgstr"]:
                entries["".join(current["msgid"])] = "".join(current["msgstr"])
                current = {"msgid": [], "msgstr": []}
            current[key].append(ast.literal_eval(rest))
        elif line.startswith('"') and key:
            current[key].append(ast.literal_eval(line))
        elif line.startswith("#~"):
            key = None
    if current["msgid"]:
        entries["".join(current["msgid"])] = "".join(current["msgstr"])
    entries.pop("", None)
    return entries


def test_every_string_is_translated_and_the_mo_file_is_current():
    entries = po_entries(LOCALE / "django.po")
    assert len(entries) > 50
    untranslated = [msgid for msgid, msgstr in entries.items() if not msgstr]
    assert untranslated == []
    with (LOCALE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = [msgid for msgid, msgstr in entries.items() if compiled.gettext(msgid) != msgstr]
    assert stale == [], "run compilemessages: the .mo file is older than the .po file"
