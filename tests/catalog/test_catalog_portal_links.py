"""Catalogue entries for services that are pages of the portal but not forms: the exam seat
and the school premises, booked in the booking app. They are listed under their agency as
every service is, described on their catalogue page, and start inside the portal (not
marked as another authority's service); a path that is no page of ours is refused."""

from __future__ import annotations

import copy

import pytest
from django.conf import settings
from pydantic import ValidationError

from iktipet.catalog.checks import check_definition
from iktipet.catalog.schema import LinkService, parse_definition
from support.pages import text_of

LINK = {
    "schema_version": 1,
    "kind": "link",
    "id": "proven",
    "title": {"nb": "Prøven", "en": "The exam"},
    "summary": {"nb": "Bestill plass.", "en": "Book a seat."},
    "provider": {"nb": "Næringsetaten", "en": "the Agency for Business Development"},
    "agency": "naeringsetaten",
    "url": "/timebestilling/kunnskapsproven-naeringsetaten/",
}


def _link(url: str) -> LinkService:
    data = copy.deepcopy(LINK)
    data["url"] = url
    definition = parse_definition(data)
    assert isinstance(definition, LinkService)
    return definition


def test_a_link_is_another_authoritys_https_address_or_a_path_of_the_portal():
    assert not _link("/timebestilling/kunnskapsproven-naeringsetaten/").external
    assert _link("https://www.skatteetaten.no/person/").external
    for refused in ("http://example.org/", "//evil.example/x/", "timebestilling/x/", "/X/"):
        with pytest.raises(ValidationError):
            _link(refused)


@pytest.mark.django_db
def test_a_path_that_is_no_page_of_the_portal_is_a_problem():
    assert check_definition(_link("/timebestilling/kunnskapsproven-naeringsetaten/")) == []
    problems = [str(p) for p in check_definition(_link("/finnes-ikke/"))]
    assert problems == ["url: no page of this portal at '/finnes-ikke/'"]


def _get(client, url, language="nb"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(url)


@pytest.mark.django_db
def test_the_exam_and_the_premises_are_found_in_the_catalogue(client, published):
    page = _get(client, "/tjenester/")
    text = text_of(page)
    assert 'href="/tjenester/kunnskapsproven/"' in page.text
    assert 'href="/tjenester/leie-av-skolelokaler/"' in page.text
    assert "Kunnskapsprøven i alkoholloven" in text and "Leie av skolelokaler" in text
    # Only the tax service is another authority's.
    assert text.count("ekstern tjeneste hos") == 1
    næring = page.text.index('id="group-naeringsetaten"')
    utdanning = page.text.index('id="group-utdanningsetaten"')
    assert næring < page.text.index("/tjenester/kunnskapsproven/") < utdanning


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("service", "title", "start"),
    [
        ("kunnskapsproven", "Kunnskapsprøven i alkoholloven",
         "/timebestilling/kunnskapsproven-naeringsetaten/"),
        ("leie-av-skolelokaler", "Leie av skolelokaler", "/timebestilling/gymsal-testlia-skole/"),
    ],
)  # fmt: skip
def test_the_service_page_starts_inside_the_portal(client, published, service, title, start):
    page = _get(client, f"/tjenester/{service}/")
    assert page.status_code == 200
    text = text_of(page)
    assert title in text
    assert f'href="{start}"' in page.text
    assert "Start" in text and "Du forlater kommunens nettsider" not in text
    assert 'rel="external' not in page.text
    english = text_of(_get(client, f"/tjenester/{service}/", "en"))
    assert "You leave the municipality's website" not in english
