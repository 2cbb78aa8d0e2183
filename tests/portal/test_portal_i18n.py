"""Norwegian by default; English by the language switch, with every portal string translated."""

from __future__ import annotations

import ast
import gettext
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command

import iktipet
from iktipet.core.demo_data import load_municipality

pytestmark = pytest.mark.django_db


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


PACKAGE = Path(iktipet.__file__).parent
CATALOGUES = sorted(PACKAGE.glob("**/locale/en/LC_MESSAGES/django.po"))
# Each app folder with a locale folder has its own catalogue; the root one (locale/ in the
# package) holds the rest: core, ops, portal, documents and the project's templates.
APPS_WITH_CATALOGUES = sorted(
    po.relative_to(PACKAGE).parts[0] for po in CATALOGUES if po.parents[3] != PACKAGE
)


def catalogue_name(po: Path) -> str:
    return "root" if po.parents[3] == PACKAGE else po.relative_to(PACKAGE).parts[0]


@dataclass
class PoEntry:
    msgid: str
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)


def po_entries(path: Path) -> dict[str, PoEntry]:
    """The catalogue's live entries by msgid (plural forms in msgstr order), header left out.
    As for msgfmt, blank lines are only whitespace: an entry ends where the next one begins."""
    entries: dict[str, PoEntry] = {}
    entry: PoEntry | None = None
    key, flags = None, set()
    for line in [*path.read_text(encoding="utf-8").splitlines(), "#"]:
        if line.startswith("#") or line.startswith("msgid "):
            if entry is not None and entry.msgstr:
                if entry.msgid:
                    entries[entry.msgid] = entry
                entry = None
            key = None
        if line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("msgid "):
            entry, key, flags = PoEntry(ast.literal_eval(line[6:]), flags=flags), "msgid", set()
        elif line.startswith("msgid_plural ") and entry is not None:
            entry.msgid_plural, key = ast.literal_eval(line[13:]), "msgid_plural"
        elif line.startswith("msgstr") and entry is not None:
            entry.msgstr.append(ast.literal_eval(line.partition(" ")[2]))
            key = "msgstr"
        elif line.startswith('"') and entry is not None and key:
            text = ast.literal_eval(line)
            if key == "msgid":
                entry.msgid += text
            elif key == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + text
            else:
                entry.msgstr[-1] += text
    return entries


def test_every_app_folder_has_its_catalogue_or_is_in_the_root_one():
    app_folders = {apps_py.parent.name for apps_py in PACKAGE.glob("*/apps.py")}
    in_the_root_catalogue = {"core", "ops", "portal", "documents"}
    assert app_folders - in_the_root_catalogue == set(APPS_WITH_CATALOGUES)


@pytest.mark.parametrize("po", CATALOGUES, ids=catalogue_name)
def test_every_string_is_translated_and_the_mo_file_is_current(po):
    entries = po_entries(po)
    assert len(entries) > (50 if catalogue_name(po) == "root" else 0)
    untranslated = [e.msgid for e in entries.values() if not e.msgstr or not all(e.msgstr)]
    assert untranslated == []
    fuzzy = [e.msgid for e in entries.values() if "fuzzy" in e.flags]
    assert fuzzy == [], "check these translations and remove their fuzzy flag"
    plurals = [e.msgid for e in entries.values() if e.msgid_plural and len(e.msgstr) != 2]
    assert plurals == [], "English has two plural forms: msgstr[0] and msgstr[1]"
    header = po.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "fuzzy" not in header, "a fuzzy header is dropped by msgfmt, and its Plural-Forms"
    assert "Language: en\\n" in header

    with (po.parent / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = []
    for e in entries.values():
        if e.msgid_plural:
            got = [compiled.ngettext(e.msgid, e.msgid_plural, n) for n in (1, 2)]
        else:
            got = [compiled.gettext(e.msgid)]
        if got != e.msgstr:
            stale.append(e.msgid)
    compiled_ids = {key[0] if isinstance(key, tuple) else key for key in compiled._catalog}
    stale += sorted(compiled_ids - set(entries) - {""})
    assert stale == [], "run compilemessages: the .mo file is older than the .po file"


def _msgids(path: Path) -> set[str]:
    return set(po_entries(path)) | {
        e.msgid_plural for e in po_entries(path).values() if e.msgid_plural
    }


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
@pytest.mark.parametrize("po", CATALOGUES, ids=catalogue_name)
def test_the_catalogue_has_every_string_marked_in_its_source(po, tmp_path, monkeypatch, settings):
    """What makemessages would extract now, from a copy of the source: no string missing
    from the catalogue (run makemessages, then translate) and none left over."""
    copy = tmp_path / "iktipet"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "locale", "*.mo"))
    name = catalogue_name(po)
    folder = copy if name == "root" else copy / name
    (folder / "locale" / "en" / "LC_MESSAGES").mkdir(parents=True)
    monkeypatch.chdir(folder)
    settings.LOCALE_PATHS = []  # makemessages writes to the copy's locale/ only
    ignore = [f"{app}/*" for app in APPS_WITH_CATALOGUES] if name == "root" else []
    call_command("makemessages", locale=["en"], ignore_patterns=ignore, verbosity=0)
    extracted = _msgids(folder / "locale" / "en" / "LC_MESSAGES" / "django.po")
    committed = _msgids(po)
    assert sorted(extracted - committed) == [], f"cd {po.parents[3]} && makemessages -l en"
    assert sorted(committed - extracted) == [], "makemessages --no-obsolete drops these"
