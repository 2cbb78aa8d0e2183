"""Submitting a nabovarsel sends a notice to each owner of each neighbouring property."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from iktipet.accounts.parties import ActingParty
from iktipet.accounts.pid import pid_lookup_hash
from iktipet.applications.engine.names import count_input, row_input
from iktipet.messaging.models import Notification
from iktipet.nabovarsel import services
from iktipet.nabovarsel.models import NeighbourNotice
from iktipet.registers.errors import RegisterUnavailable
from iktipet.registers.property import BasePropertyRegister, property_registers
from support.nabovarsel import (
    AKSEL,
    FATIMA,
    JONAS,
    KARI,
    NORA,
    fill_nabovarsel,
    signed_in,
    submit,
    submit_nabovarsel,
)

OSLO = ZoneInfo("Europe/Oslo")
UTC = dt.UTC


@property_registers.register("nabovarsel-test-down")
class _DownPropertyRegister(BasePropertyRegister):
    """A property register that cannot answer (an outage at Kartverket)."""

    label = "always unavailable"

    @classmethod
    def options_from_settings(cls, conf):
        return {}

    def get_property(self, kommunenummer, gnr, bnr, fnr=0, snr=0):
        raise RegisterUnavailable("property register test: down")

    def neighbours(self, property):
        raise RegisterUnavailable("property register test: down")

    def properties_owned_by(self, *, pid=None, orgnr=None):
        raise RegisterUnavailable("property register test: down")


def _sent(case):
    return {(n.property, n.name): n for n in case.neighbour_notices.all()}


def test_one_notice_per_neighbour_listing_each_of_their_properties(nabovarsel_service):
    before = dt.datetime.now(UTC)
    _client, case = submit_nabovarsel()
    notices = _sent(case)
    # 0301-901/12's neighbours: /10 Nora; /11 Fatima; /14 an AS; /20 Aksel and Nora (co-owners).
    # Nora owns two adjoining properties: one notice, listing both.
    assert set(notices) == {
        ("0301-901/10", "Nora Lie-Test"),
        ("0301-901/11", "Fatima Ali-Test"),
        ("0301-901/14", "Dahl Eksempelbygg AS"),
        ("0301-901/20", "Aksel Lie-Test"),
    }
    nora = notices[("0301-901/10", "Nora Lie-Test")]
    assert [p["property"] for p in nora.properties] == ["0301-901/10", "0301-901/20"]
    assert nora.properties_text == "0301-901/10, 0301-901/20"
    assert notices[("0301-901/11", "Fatima Ali-Test")].further_properties == []
    fatima = notices[("0301-901/11", "Fatima Ali-Test")]
    assert fatima.pid_hash == pid_lookup_hash(FATIMA)
    assert FATIMA not in fatima.pid_encrypted and fatima.pid_encrypted
    assert fatima.address == "Testveien 11, 0560 OSLO"
    assert fatima.owner_kind == "person" and fatima.delivery == "digital"
    # Reserved in the contact register (Aksel), contact data too old (Nora): a letter.
    assert notices[("0301-901/20", "Aksel Lie-Test")].delivery == "letter"
    assert notices[("0301-901/10", "Nora Lie-Test")].delivery == "letter"
    company = notices[("0301-901/14", "Dahl Eksempelbygg AS")]
    assert (company.owner_kind, company.orgnr, company.pid_hash) == (
        "organisation",
        "310000027",
        "",
    )
    assert company.delivery == "letter" and company.by_post_or_hand

    for notice in notices.values():
        local = notice.deadline.astimezone(OSLO)
        assert (local.hour, local.minute, local.second) == (23, 59, 59)
        assert local.date() >= (notice.sent_at.astimezone(OSLO) + dt.timedelta(days=14)).date()
        assert local.weekday() < 5
        assert notice.sent_at >= before
    case.refresh_from_db()
    assert case.status == "notices_sent"
    assert case.waiting_until == max(n.deadline for n in notices.values())

    # Each person notice is queued for the notification worker, by pid, linking the notice.
    queued = Notification.objects.filter(event="nabovarsel.notice")
    assert queued.count() == 3
    assert {n.recipient_pid_hash for n in queued} == {
        pid_lookup_hash(p) for p in (NORA, FATIMA, AKSEL)
    }
    link = reverse("nabovarsel:notice", args=[fatima.pk])
    mine = queued.get(link_path=link)
    assert mine.context["reference"] == case.reference
    assert mine.context["deadline"] == fatima.deadline.astimezone(OSLO).date().isoformat()
    assert fatima.notification_id == mine.pk
    # The timeline says the notices went out, without names.
    event = case.events.get(kind="neighbours_notified")
    assert event.visible_to_applicant and event.details["notices"] == 4
    assert "Fatima" not in str(event.details) and "Fatima" not in event.note


def test_the_applicant_is_not_notified_as_their_own_neighbour(nabovarsel_service):
    # Nora builds on 0301-901/14; she co-owns the neighbouring 0301-901/20 with Aksel.
    _client, case = submit_nabovarsel(pid=NORA, bnr="14")
    names = sorted((n.property, n.name) for n in case.neighbour_notices.all())
    assert ("0301-901/20", "Aksel Lie-Test") in names
    assert ("0301-901/20", "Nora Lie-Test") not in names
    assert not case.neighbour_notices.filter(pid_hash=pid_lookup_hash(NORA)).exists()
    assert ("0301-901/12", "Kari Nordmann-Test") in names
    assert ("0301-901/40", "Konkursbo Eksempelhandel AS") in names


def test_a_property_register_outage_does_not_lose_the_submission(nabovarsel_service, settings):
    client = signed_in(KARI)
    application = fill_nabovarsel(client)
    rows = application.answers["neighbours"]
    settings.PROPERTY_REGISTER = "nabovarsel-test-down"
    case = submit(client, application)
    notices = list(case.neighbour_notices.all())
    # Made from the applicant's rows as they wrote them, to go out by post or by hand.
    assert sorted(n.name for n in notices) == sorted(r["name"] for r in rows)
    assert all(n.delivery == "letter" and not n.in_register and n.by_post_or_hand for n in notices)
    assert all(n.pid_hash == "" and n.orgnr == "" for n in notices)
    assert not Notification.objects.filter(event="nabovarsel.notice").exists()
    assert case.events.get(kind="neighbours_notified").details["register_failed"] is True


def test_a_row_for_a_property_the_register_does_not_know_is_kept_for_a_letter(
    nabovarsel_service,
):
    from support.nabovarsel import _url, form_fields

    client = signed_in(KARI)
    application = fill_nabovarsel(client)
    page = client.get(_url(application, "neighbours"))
    fields = form_fields(page.content)
    rows = int(fields[count_input("neighbours")][0])
    r = client.post(_url(application, "neighbours"), {**fields, "_action": "add-row:neighbours"})
    fields = form_fields(r.content)
    address = row_input("neighbours", rows, "address")
    lot = row_input("neighbours", rows, "property")
    fields.update(
        {
            row_input("neighbours", rows, "name"): "Festeren Testesen",
            f"{address}-street": "Testveien 99",
            f"{address}-postnummer": "0560",
            f"{address}-poststed": "Oslo",
            f"{lot}-kommunenummer": "0301",
            f"{lot}-gnr": "901",
            f"{lot}-bnr": "99",
            row_input("neighbours", rows, "relation"): "fester",
            "_action": "next",
        }
    )
    r = client.post(_url(application, "neighbours"), fields)
    assert r.status_code == 302, r.content.decode()[:3000]
    client.post(_url(application, "confirm"), {"confirmation": "yes", "_action": "next"})
    case = submit(client, application)
    extra = case.neighbour_notices.get(name="Festeren Testesen")
    assert (extra.property, extra.relation, extra.delivery) == ("0301-901/99", "fester", "letter")
    assert not extra.in_register and extra.by_post_or_hand
    assert case.neighbour_notices.count() == 5


@pytest.mark.parametrize(
    ("sent", "deadline"),
    [
        # 14 days after 15 March is Sunday 29 March, the day summer time begins: Monday 30th,
        # end of day in Oslo, which is then UTC+2.
        (
            dt.datetime(2026, 3, 15, 10, 0, tzinfo=UTC),
            dt.datetime(2026, 3, 30, 21, 59, 59, tzinfo=UTC),
        ),
        # Sent 00:30 in Oslo on the 16th (still the 15th in UTC): counted from the 16th.
        (
            dt.datetime(2026, 3, 15, 23, 30, tzinfo=UTC),
            dt.datetime(2026, 3, 30, 21, 59, 59, tzinfo=UTC),
        ),
        # 14 days after 19 March is Skjærtorsdag; then Langfredag, Saturday, Easter Sunday and
        # Monday: Tuesday 7 April.
        (
            dt.datetime(2026, 3, 19, 12, 0, tzinfo=UTC),
            dt.datetime(2026, 4, 7, 21, 59, 59, tzinfo=UTC),
        ),
        # Winter time: 23:59:59 in Oslo is 22:59:59 UTC.
        (
            dt.datetime(2026, 2, 2, 9, 0, tzinfo=UTC),
            dt.datetime(2026, 2, 16, 22, 59, 59, tzinfo=UTC),
        ),
    ],
)
def test_deadlines_of_the_notices(nabovarsel_service, sent, deadline):
    _client, case = submit_nabovarsel(dispensation=False)
    case.neighbour_notices.all().delete()
    notices = services.send_notices(case, now=sent)
    assert notices and {n.deadline for n in notices} == {deadline}
    assert all(n.sent_at == sent for n in notices)
    stored = NeighbourNotice.objects.filter(case=case)
    assert {n.deadline for n in stored} == {deadline}
    case.refresh_from_db()
    assert case.waiting_until == deadline


def test_sending_twice_sends_once(nabovarsel_service):
    _client, case = submit_nabovarsel(dispensation=False)
    again = services.send_notices(case)
    assert len(again) == 4 and case.neighbour_notices.count() == 4
    assert Notification.objects.filter(event="nabovarsel.notice").count() == 3


def test_neighbours_find_their_notices_on_min_side(nabovarsel_service):
    _client, case = submit_nabovarsel()
    fatima = signed_in(FATIMA)
    page = fatima.get(reverse("accounts:my_page")).content.decode()
    notice = case.neighbour_notices.get(name="Fatima Ali-Test")
    assert reverse("nabovarsel:notice", args=[notice.pk]) in page
    assert "Nabovarsel om tiltak på Testveien 12, 0560 OSLO" in page
    assert "Ikke besvart" in page

    # Nora owns two of the properties: one notice naming both; Kari, the applicant, sees none.
    nora_page = signed_in(NORA).get(reverse("accounts:my_page")).content.decode()
    # Twice: under "Trenger svar fra deg" (unanswered) and in the list of notices.
    assert nora_page.count("/min-side/nabovarsel/") == 2
    assert "Gjelder 0301-901/10, 0301-901/20" in nora_page
    kari_page = signed_in(KARI).get(reverse("accounts:my_page")).content.decode()
    assert "/min-side/nabovarsel/" not in kari_page

    # The daglig leder acting for the company that owns 0301-901/14 sees its notice.
    company = case.neighbour_notices.get(orgnr="310000027")
    acting = ActingParty("organisation", "310000027", "Dahl Eksempelbygg AS")
    jonas = signed_in(JONAS, acting_for=acting)
    page = jonas.get(reverse("accounts:my_page")).content.decode()
    assert reverse("nabovarsel:notice", args=[company.pk]) in page
    assert jonas.get(reverse("nabovarsel:notice", args=[company.pk])).status_code == 200
    # As himself, the link (SMS, email, Min side) switches to the company he leads.
    himself = signed_in(JONAS)
    response = himself.get(reverse("nabovarsel:notice", args=[company.pk]))
    assert response.status_code == 200
    assert "på vegne av Dahl Eksempelbygg AS" in response.content.decode()
    # Nobody else reaches it: Fatima holds no role in the company.
    assert fatima.get(reverse("nabovarsel:notice", args=[company.pk])).status_code == 404


def test_the_neighbours_notice_text_names_the_deadline(nabovarsel_service):
    from iktipet.messaging.delivery import render

    _client, case = submit_nabovarsel(dispensation=False)
    notice = case.neighbour_notices.get(name="Fatima Ali-Test")
    rendered = render(notice.notification, "nb")
    local = notice.deadline.astimezone(OSLO).date()
    assert f"innen {local.day}. " in rendered.body and str(local.year) in rendered.body
    assert case.reference in rendered.body
    assert reverse("nabovarsel:notice", args=[notice.pk]) in rendered.body
