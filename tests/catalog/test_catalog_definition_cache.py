"""A version's parsed definition is cached per content hash, so a version fetched without
its JSON (``defer("definition")``) reads the JSON only when the cache does not hold it."""

from __future__ import annotations

import pytest

from iktipet.catalog import models
from iktipet.catalog.models import ServiceVersion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("agencies")]


def test_a_cached_definition_needs_no_json(published, django_assert_num_queries):
    version = published["nabovarsel"]
    expected = version.definition_model
    deferred = ServiceVersion.objects.defer("definition").get(pk=version.pk)
    with django_assert_num_queries(0):
        assert deferred.definition_model is expected


def test_an_uncached_definition_reads_its_json_once(published, django_assert_num_queries):
    version = published["nabovarsel"]
    models._parsed.pop(version.content_hash, None)
    deferred = ServiceVersion.objects.defer("definition").get(pk=version.pk)
    with django_assert_num_queries(1):
        parsed = deferred.definition_model
        assert deferred.definition_model is parsed
    assert parsed.id == "nabovarsel"
