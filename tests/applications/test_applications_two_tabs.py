"""Two tabs: the summary carries the draft's version; a submit from a summary whose draft was
changed since (in another tab) is not sent but shows the summary again, with a notice."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse
from test_applications_journey import STEPS, fill, start, step_url

from iktipet.applications.models import Application
from support.applications import form_service, publish
from support.pages import text_of

NOTICE = "Søknaden ble endret etter at du åpnet denne oppsummeringen"


@pytest.fixture
def version(db):
    return publish(form_service(STEPS))


def _summary_version(client, application) -> str:
    page = client.get(reverse("applications:summary", args=[application.pk]))
    assert page.status_code == 200
    found = re.search(rb'name="version" value="([0-9a-f]+)"', page.content)
    assert found, "the summary's submit form carries the draft's version"
    return found.group(1).decode()


def test_a_submit_from_a_stale_summary_shows_the_summary_again(kari_client, version):
    application = start(kari_client)
    fill(kari_client, application)
    first_tab = _summary_version(kari_client, application)
    # The other tab renames the event.
    r = kari_client.post(
        step_url(application, "om"),
        {"navn": "Vinterfest", "antall": "3", "mer": "no", "_action": "next"},
    )
    assert r.status_code == 302
    submit = reverse("applications:submit", args=[application.pk])
    r = kari_client.post(submit, {"version": first_tab})
    assert r.status_code == 409
    page = text_of(r)
    assert NOTICE in page
    assert "Vinterfest" in page and "Sommerfest" not in page  # what would now be sent
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    # The summary shown again carries the new version: sending from it goes through.
    fresh = re.search(rb'name="version" value="([0-9a-f]+)"', r.content).group(1).decode()
    assert fresh != first_tab
    r = kari_client.post(submit, {"version": fresh})
    assert r.status_code == 302
    assert r.url == reverse("applications:receipt", args=[application.pk])
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.answers["navn"] == "Vinterfest"


def test_an_unchanged_summary_submits_and_a_resubmit_shows_the_receipt(kari_client, version):
    application = start(kari_client)
    fill(kari_client, application)
    current = _summary_version(kari_client, application)
    assert _summary_version(kari_client, application) == current  # a reload is not a change
    submit = reverse("applications:submit", args=[application.pk])
    r = kari_client.post(submit, {"version": current})
    assert r.status_code == 302
    # The back button and "Send inn" again: the receipt, not a notice.
    r = kari_client.post(submit, {"version": "0" * 24})
    assert r.status_code == 302
    assert r.url == reverse("applications:receipt", args=[application.pk])


def test_the_notice_in_english(kari_client, version):
    application = start(kari_client)
    fill(kari_client, application)
    kari_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    r = kari_client.post(
        reverse("applications:submit", args=[application.pk]), {"version": "stale"}
    )
    assert r.status_code == 409
    assert "The application was changed after you opened this summary" in text_of(r)
