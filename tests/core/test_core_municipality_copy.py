"""The municipality and agencies kept per process (core.selectors): an edit, a cleared cache
and time make a process read them again; a page shows the new name at once; another
process's edit is seen within a second, without a cache read on every request."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from iktipet.core import selectors
from iktipet.core.models import Agency, Municipality

pytestmark = pytest.mark.django_db


def test_the_copy_is_read_once_then_kept(agencies, django_assert_num_queries):
    selectors.current_municipality()
    selectors.agencies()
    with django_assert_num_queries(0):
        assert selectors.current_municipality().name == "Oslo kommune"
        assert {a.slug for a in selectors.agencies()} == set(agencies)


def test_an_edit_is_seen_on_the_next_request(agencies, client):
    assert "Oslo kommune" in client.get("/").content.decode()
    municipality = Municipality.objects.get()
    municipality.name = "Bærum kommune"
    municipality.save()  # the signal gives the copy a new version
    page = client.get("/").content.decode()
    assert "Velkommen til Bærum kommune" in page and "Oslo kommune" not in page


def test_an_agency_edit_reaches_the_front_page(agencies, client):
    client.get("/")
    agency = next(iter(agencies.values()))
    agency.email = "ny-adresse@example.invalid"
    agency.save()
    assert "ny-adresse@example.invalid" in client.get("/").content.decode()


def _later(monkeypatch, seconds: float) -> None:
    later = selectors.time.monotonic() + seconds
    monkeypatch.setattr(selectors.time, "monotonic", lambda: later)


def test_another_process_edit_is_seen_by_its_version_in_the_shared_cache(agencies, monkeypatch):
    assert selectors.current_municipality().name == "Oslo kommune"
    # Another process saved it: the shared cache has a new version, this process's copy not.
    Municipality.objects.update(name="Asker kommune")
    cache.set(selectors._VERSION_KEY, "from-another-process", None)
    assert selectors.current_municipality().name == "Oslo kommune"  # checked a moment ago
    _later(monkeypatch, selectors.CHECK_INTERVAL + 0.01)
    assert selectors.current_municipality().name == "Asker kommune"


def test_within_the_check_interval_the_shared_cache_is_not_read(agencies, monkeypatch):
    selectors.current_municipality()
    reads = []
    real = selectors.cache.get
    monkeypatch.setattr(selectors.cache, "get", lambda *args: reads.append(args) or real(*args))
    for _ in range(3):
        assert selectors.current_municipality().name == "Oslo kommune"
    assert reads == []
    _later(monkeypatch, selectors.CHECK_INTERVAL + 0.01)
    selectors.current_municipality()
    assert len(reads) == 1


def test_a_cleared_cache_reads_again(agencies, monkeypatch):
    assert len(selectors.agencies()) == Agency.objects.count()
    Agency.objects.all().delete()
    cache.clear()
    _later(monkeypatch, selectors.CHECK_INTERVAL + 0.01)
    assert selectors.agencies() == []


def test_the_copy_is_read_again_after_its_age(agencies, monkeypatch):
    assert selectors.current_municipality().name == "Oslo kommune"
    Municipality.objects.update(name="Lier kommune")  # no signal, the cache unchanged
    assert selectors.current_municipality().name == "Oslo kommune"
    later = selectors.time.monotonic() + selectors.MAX_AGE + 1
    monkeypatch.setattr(selectors.time, "monotonic", lambda: later)
    assert selectors.current_municipality().name == "Lier kommune"
