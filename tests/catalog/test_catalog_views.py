"""The catalogue and service pages over HTTP, in bokmål and English."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from iktipet.catalog import plugins
from iktipet.catalog.services import load_service_definitions, publish_version, unpublish_version
from support.catalog import write_definition
from support.pages import text_of

pytestmark = [pytest.mark.django_db]
CATALOGUE = "/tjenester/"


def _get(client, url, language="nb"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(url)


def test_catalogue_url_name_is_kept():
    assert reverse("catalog:catalogue") == CATALOGUE


def test_empty_catalogue(client, agencies):
    response = _get(client, CATALOGUE)
    assert response.status_code == 200
    assert "Ingen tjenester er publisert ennå." in text_of(response)


def test_catalogue_in_bokmal(client, published):
    response = _get(client, CATALOGUE)
    text = text_of(response)
    assert response.status_code == 200
    for heading in (
        "Næringsetaten",
        "Plan- og bygningsetaten",
        "Utdanningsetaten",
        "Bymiljøetaten",
    ):
        assert f"{heading}" in text
    assert "Skjenkebevilling" in text and "Nabovarsel" in text and "Søk barnehageplass" in text
    assert "Virksomheter (sendes av daglig leder eller styreleder)" in text
    assert "minst 6 400 kr per år" in text
    assert "Inntil 4 måneder fra søknaden er komplett" in text
    assert "ID-porten, høyt nivå" in text and "ID-porten, betydelig nivå" in text
    assert 'href="/tjenester/skjenkebevilling/"' in response.text
    # Agencies first, other authorities last.
    assert (
        text.index("Bymiljøetaten")
        < text.index("Utdanningsetaten")
        < text.index("Andre offentlige")
    )


def test_catalogue_in_english(client, published):
    response = _get(client, CATALOGUE, "en")
    text = text_of(response)
    assert '<html lang="en"' in response.text
    assert "Licence to serve alcohol" in text and "Notice to neighbours" in text
    assert "Agency for Business Development" in text
    assert "Businesses (sent by general manager or chair of the board)" in text
    assert "Up to 4 months from when the application is complete" in text
    assert "Skjenkebevilling" not in text


def test_link_entries_go_straight_out_marked_external(client, published):
    response = _get(client, CATALOGUE)
    assert (
        'href="https://www.skatteetaten.no/person/skatt/skatteoppgjor/" rel="external noopener"'
        in response.text
    )
    assert "Sjekk skatten (ekstern tjeneste hos Skatteetaten)" in text_of(response)
    english = text_of(_get(client, CATALOGUE, "en"))
    assert "Check your tax (external service at the Norwegian Tax Administration)" in english


@pytest.fixture
def no_booking_plugin():
    """The catalogue as it is before the booking app registers its step (it does at start-up),
    the booking app's plugin put back after."""
    from iktipet.catalog.cache import invalidate_catalogue

    registered = (
        plugins.step_plugins.get_class("booking") if "booking" in plugins.step_plugins else None
    )
    plugins.unregister("booking")
    invalidate_catalogue()
    yield
    plugins.unregister("booking")
    if registered is not None:
        plugins.register("booking")(registered)
    invalidate_catalogue()


def test_booking_service_says_booking_is_not_available_yet(client, published, no_booking_plugin):
    text = text_of(_get(client, CATALOGUE))
    assert "Timebestilling er ikke tilgjengelig ennå" in text
    page = _get(client, "/tjenester/timebestilling-servicetorget/")
    assert page.status_code == 200
    assert "Timebestilling er ikke tilgjengelig ennå" in text_of(page)
    assert 'data-variant="primary" href="/' not in page.text  # no start button
    assert "Booking is not available yet" in text_of(_get(client, CATALOGUE, "en"))


def test_booking_marker_goes_when_a_plugin_is_registered(client, published, no_booking_plugin):
    from iktipet.catalog.cache import invalidate_catalogue

    @plugins.register("booking")
    class Booking(plugins.BaseStepPlugin):
        pass

    try:
        invalidate_catalogue()
        assert "Timebestilling er ikke tilgjengelig ennå" not in text_of(_get(client, CATALOGUE))
    finally:
        plugins.unregister("booking")


def _start_url(service_id):
    try:
        return reverse("applications:start", args=[service_id])
    except NoReverseMatch:
        return None


def test_service_page_in_both_languages(client, published):
    response = _get(client, "/tjenester/skjenkebevilling/")
    text = text_of(response)
    assert response.status_code == 200
    assert "<h1" in response.text and "Skjenkebevilling" in text
    assert "Tilbys av Næringsetaten." in text
    assert "Ved overtakelse av et skjenkested må du søke innen 30 dager." in text
    assert "Avtale om overtakelse (hvis det gjelder deg)" in text
    assert "Firmaattest" in text
    start = _start_url("skjenkebevilling")
    if start:
        assert f'href="{start}"' in response.text
    else:
        assert "Søknad i portalen er ikke åpnet ennå." in text
    english = text_of(_get(client, "/tjenester/skjenkebevilling/", "en"))
    assert (
        "Licence to serve alcohol" in english
        and "Offered by Agency for Business Development." in english
    )
    assert "Takeover agreement (if it applies to you)" in english


def test_link_service_page_points_out(client, published):
    response = _get(client, "/tjenester/sjekk-skatten/")
    assert response.status_code == 200
    assert "Gå til tjenesten hos Skatteetaten" in text_of(response)
    assert 'href="https://www.skatteetaten.no/person/skatt/skatteoppgjor/"' in response.text


def test_unpublished_service_is_not_listed_and_its_page_is_404(
    client, published, django_capture_on_commit_callbacks
):
    assert "Nabovarsel" in text_of(_get(client, CATALOGUE))  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        unpublish_version(None, published["nabovarsel"])
    assert "Nabovarsel" not in text_of(_get(client, CATALOGUE))
    assert _get(client, "/tjenester/nabovarsel/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        publish_version(None, published["nabovarsel"])
    assert "Nabovarsel" in text_of(_get(client, CATALOGUE))
    assert _get(client, "/tjenester/nabovarsel/").status_code == 200


def test_loaded_but_never_published_service_is_hidden(client, agencies, tmp_path, minimal):
    write_definition(tmp_path, minimal)
    load_service_definitions([tmp_path])
    assert _get(client, "/tjenester/testtjeneste/").status_code == 404
    assert "Testtjeneste" not in text_of(_get(client, CATALOGUE))


@pytest.mark.parametrize("url", ["/tjenester/finnes-ikke/", "/tjenester/Skjenkebevilling/"])
def test_unknown_service_is_404(client, published, url):
    assert _get(client, url).status_code == 404


def test_catalogue_fragment_is_cached_and_dropped_on_publish(
    client, agencies, tmp_path, minimal, django_capture_on_commit_callbacks
):
    write_definition(tmp_path, minimal)
    load_service_definitions([tmp_path], publish=True)
    assert "Testtjeneste" in text_of(_get(client, CATALOGUE))
    with CaptureQueriesContext(connection) as queries:
        assert "Testtjeneste" in text_of(_get(client, CATALOGUE))
    assert not [q for q in queries.captured_queries if "catalog_" in q["sql"]]
    minimal["title"]["nb"] = "Ny tittel"
    write_definition(tmp_path, minimal)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        load_service_definitions([tmp_path], publish=True)
    # Until the publish commits, everyone still gets the cached page.
    assert "Testtjeneste" in text_of(_get(client, CATALOGUE))
    for callback in callbacks:
        callback()
    text = text_of(_get(client, CATALOGUE))
    assert "Ny tittel" in text and "Testtjeneste" not in text


def test_pages_are_csp_clean(client, published):
    for url in (CATALOGUE, "/tjenester/barnehageplass/"):
        body = _get(client, url).text
        assert "style=" not in body and "<script" not in body and "onclick" not in body


def test_a_version_the_schema_no_longer_accepts_is_left_out(client, published):
    from django.utils import timezone

    from iktipet.catalog.models import Service, ServiceVersion

    service = Service.objects.create(service_id="gammel", kind="form", title_nb="Gammel")
    ServiceVersion.objects.create(
        service=service, number=1, definition={"kind": "form", "id": "gammel"}
    )
    ServiceVersion.objects.filter(service=service).update(published_at=timezone.now())
    response = _get(client, CATALOGUE)
    assert response.status_code == 200 and "Skjenkebevilling" in text_of(response)
