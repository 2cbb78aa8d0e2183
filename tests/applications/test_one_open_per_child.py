"""Barnehageplass's ``one_open_per: child``: a second application for the same child is
pointed out (a warning with links, not a block) on the child step and on the summary; only
the person's own open applications count."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from iktipet.accounts.testing import sign_in_citizen
from iktipet.applications.models import Application
from support.applications import KARI, make_citizen, publish, seed
from support.form_browser import form_fields, submit_page

EMMA = "14832699927"  # Kari's daughter
NOAH = "02902399812"  # Kari's son
WARNING = "Du har allerede en åpen søknad om barnehageplass for dette barnet."


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    """The children's rights (shown on the child step) depend on today."""
    real = timezone.localdate
    monkeypatch.setattr(
        "django.utils.timezone.localdate",
        lambda value=None, timezone=None: (
            datetime.date(2026, 11, 27) if value is None else real(value, timezone)
        ),
    )


@pytest.fixture
def parent(client, kari, db):
    from iktipet.core.demo_data import load_municipality

    load_municipality()
    publish(seed("barnehageplass"))
    sign_in_citizen(client, KARI, level="high")
    return client


def _start(client) -> Application:
    url = reverse("applications:start", args=["barnehageplass"])
    page = client.get(url)
    token = re.search(rb'name="start_token" value="([^"]+)"', page.content).group(1).decode()
    client.post(url, {"start_token": token})
    return Application.objects.latest("created_at")


def _child_url(application: Application) -> str:
    return reverse("applications:step", args=[application.pk, "child"])


def _choose(client, application: Application, pid: str):
    """Choose the child and press "Neste steg" until the step lets go (or 3 times)."""
    r = submit_page(client, _child_url(application), {"child": pid})
    for _ in range(3):
        if r.status_code == 302 and r.url != _child_url(application):
            return r
        page = client.get(_child_url(application)) if r.status_code == 302 else r
        r = client.post(_child_url(application), {**form_fields(page.content), "_action": "next"})
    return r


def _summary(client, application: Application) -> str:
    return client.get(reverse("applications:summary", args=[application.pk])).content.decode()


def test_a_second_draft_for_the_same_child_is_warned_about_with_a_link(parent):
    first = _start(parent)
    _choose(parent, first, EMMA)
    second = _start(parent)
    r = submit_page(parent, _child_url(second), {"child": EMMA})
    # The child step stays to show the child's right, and now says so too.
    assert r.status_code == 200
    page = r.content.decode()
    assert WARNING in page
    assert f'href="{reverse("applications:resume", args=[first.pk])}"' in page
    assert "Utkast, sist endret" in page
    # A warning, not a block: the next press goes on, and the answer is kept.
    r = parent.post(_child_url(second), {**form_fields(page), "_action": "next"})
    assert r.status_code == 302
    assert r.url == reverse("applications:step", args=[second.pk, "kindergartens"])
    second.refresh_from_db()
    assert second.answers["child"] == EMMA
    summary = _summary(parent, second)
    assert WARNING in summary and reverse("applications:resume", args=[first.pk]) in summary
    # The first draft is told of the second, too.
    assert WARNING in _summary(parent, first)


def test_a_step_posted_without_having_seen_the_warning_shows_it_before_going_on(parent):
    first = _start(parent)
    _choose(parent, first, EMMA)
    second = _start(parent)
    _choose(parent, second, NOAH)
    # A page from before (Noah chosen, no warning), changed to Emma and sent on.
    stale = form_fields(parent.get(_child_url(second)).content)
    assert "_open_seen" not in stale
    r = parent.post(_child_url(second), {**stale, "child": EMMA, "_action": "next"})
    assert r.status_code == 302 and r.url == _child_url(second)
    page = parent.get(_child_url(second)).content.decode()
    assert WARNING in page
    r = parent.post(_child_url(second), {**form_fields(page), "_action": "next"})
    assert r.url == reverse("applications:step", args=[second.pk, "kindergartens"])


def test_another_child_is_not_warned_about(parent):
    first = _start(parent)
    _choose(parent, first, EMMA)
    second = _start(parent)
    r = _choose(parent, second, NOAH)
    assert r.url == reverse("applications:step", args=[second.pk, "kindergartens"])
    assert WARNING not in parent.get(_child_url(second)).content.decode()
    assert WARNING not in _summary(parent, second)


def _submitted(application: Application, reference: str) -> None:
    Application.objects.filter(pk=application.pk).update(
        status=Application.Status.SUBMITTED, reference=reference, submitted_at=timezone.now()
    )


def _case(application: Application, *, is_open: bool):
    from iktipet.cases.models import Case
    from iktipet.core.models import Agency

    return Case.objects.create(
        agency=Agency.objects.get(slug="utdanningsetaten"),
        year=2026,
        sequence=Case.objects.count() + 1,
        kind=Case.Kind.APPLICATION,
        application=application,
        service_id="barnehageplass",
        title="Barnehageplass for Emma",
        workflow="barnehage",
        status="received" if is_open else "closed",
        is_open=is_open,
        applicant=application.applicant,
        party_name="Kari Nordmann-Test",
        received_at=timezone.now(),
    )


def test_a_submitted_application_counts_until_its_case_is_closed(parent):
    first = _start(parent)
    _choose(parent, first, EMMA)
    _submitted(first, "BHG-TEST-1")
    second = _start(parent)
    _choose(parent, second, EMMA)
    receipt = reverse("applications:receipt", args=[first.pk])
    # Sent, its case not yet opened: open.
    summary = _summary(parent, second)
    assert WARNING in summary and receipt in summary and "referanse BHG-TEST-1" in summary
    case = _case(first, is_open=True)
    assert receipt in _summary(parent, second)
    case.is_open = False
    case.save(update_fields=["is_open"])
    assert WARNING not in _summary(parent, second)
    assert WARNING not in parent.get(_child_url(second)).content.decode()


def test_someone_elses_application_for_the_child_is_never_mentioned(parent):
    mine = _start(parent)
    _choose(parent, mine, EMMA)
    jonas = make_citizen("30879549945", "Jonas", "Haugen-Test")
    theirs = Application.objects.create(
        service_version=mine.service_version,
        service_id="barnehageplass",
        applicant=jonas,
        answers={"child": EMMA},
    )
    page = _summary(parent, mine)
    assert WARNING not in page and str(theirs.pk) not in page


def test_the_warning_in_english(parent):
    first = _start(parent)
    _choose(parent, first, EMMA)
    second = _start(parent)
    _choose(parent, second, EMMA)
    parent.cookies["django_language"] = "en"
    page = parent.get(_child_url(second), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You already have an open application for a kindergarten place for this child." in page
    assert "Draft, last changed" in page
    assert "You can still go on with this application." in page


def test_the_definition_must_name_a_field_that_exists():
    from pydantic import ValidationError

    from iktipet.catalog.schema.definition import parse_definition

    data = seed("barnehageplass")
    assert parse_definition(data).one_open_per.field == "child"
    data["one_open_per"]["field"] = "sibling"
    with pytest.raises(ValidationError, match=re.escape("one_open_per.field: no field 'sibling'")):
        parse_definition(data)
