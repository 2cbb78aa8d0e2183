"""The decision on Min side: shown, delivered on first view, the letter, and the appeal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from iktipet.cases import deadlines, services
from iktipet.cases.models import Appeal, Case, Decision
from iktipet.messaging.models import Message
from support.cases import case_url
from support.pages import text_of

#: A Friday: three weeks later is 26 December 2025 (2. juledag), then a weekend.
DELIVERED = dt.datetime(2025, 12, 5, 10, 0, tzinfo=dt.UTC)
DEADLINE = dt.date(2025, 12, 29)


@pytest.fixture
def decision(case, staff) -> Decision:
    return services.decide_case(
        case,
        user=staff,
        outcome="refused",
        justification="Arrangementet er for stort for parken.",
        legal_basis="Politivedtekten § 3.",
    )


def view_at(client, url: str, moment: dt.datetime, monkeypatch):
    """GET ``url`` as if it were ``moment`` (when the applicant opened the page)."""
    with monkeypatch.context() as patched:
        patched.setattr(timezone, "now", lambda: moment)
        return client.get(url)


def test_the_decision_is_shown_and_the_first_view_starts_the_appeal_deadline(
    kari, case, decision, monkeypatch
):
    assert decision.delivered_at is None
    response = view_at(kari, case_url(case), DELIVERED, monkeypatch)
    assert response.status_code == 200
    decision.refresh_from_db()
    assert decision.delivered_at == DELIVERED
    # Three weeks is 2. juledag; then Saturday and Sunday: Monday 29 December.
    assert decision.appeal_deadline == DEADLINE == deadlines.appeal_deadline(DELIVERED)
    body = text_of(response)
    assert "Vedtak" in body and "Avslått" in body
    assert "Arrangementet er for stort for parken." in body
    assert "Politivedtekten § 3." in body
    assert "Klagefristen er 29.12.2025." in body
    assert "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus" in body
    assert (
        "Du kan klage på vedtaket innen tre uker fra du mottok det (forvaltningsloven § 29)."
        in body
    )
    letter = reverse("cases:decision_letter", args=[case.pk])
    assert f'href="{letter}"' in response.content.decode()

    # A later view changes nothing: the first delivery counts.
    kari.get(case_url(case))
    decision.refresh_from_db()
    assert (decision.delivered_at, decision.appeal_deadline) == (DELIVERED, DEADLINE)
    assert case.events.filter(kind="decision_delivered").count() == 1


def test_the_decision_letter_is_a_pdf(kari, case, decision):
    response = kari.get(reverse("cases:decision_letter", args=[case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_no_decision_no_letter_and_no_appeal(kari, case):
    assert kari.get(reverse("cases:decision_letter", args=[case.pk])).status_code == 404
    assert kari.get(reverse("cases:appeal", args=[case.pk])).status_code == 404
    response = kari.post(reverse("cases:appeal", args=[case.pk]), {"grounds": "Feil"})
    assert response.status_code == 404
    assert "Klag på vedtaket" not in text_of(kari.get(case_url(case)))


def test_an_appeal_opens_a_linked_case_with_the_grounds_as_first_message(kari, case, decision):
    assert kari.get(case_url(case)).status_code == 200
    form = kari.get(reverse("cases:appeal", args=[case.pk]))
    assert form.status_code == 200
    assert 'name="grounds"' in form.content.decode()
    assert "Klagefristen har gått ut" not in text_of(form)

    grounds = "Parken er stor nok.\nSe vedlagt kart."
    response = kari.post(reverse("cases:appeal", args=[case.pk]), {"grounds": grounds})
    assert response.status_code == 302
    appeal = Appeal.objects.get(decision=decision)
    assert not appeal.late
    appeal_case = appeal.case
    assert response.url == case_url(appeal_case)
    assert appeal_case.kind == Case.Kind.APPEAL and appeal_case.appeal_of == case
    assert appeal_case.reference != case.reference
    first = Message.objects.filter(thread=appeal_case.thread).order_by("created_at").first()
    assert (first.side, first.body) == ("citizen", grounds)

    shown = kari.get(response.url)
    body = text_of(shown)
    assert f"Dette er en klage på vedtaket i sak {case.reference}." in body
    assert f'href="{case_url(case)}"' in shown.content.decode()
    assert appeal_case.reference in body and "Klage mottatt" in body
    assert "Parken er stor nok." in body

    original = text_of(kari.get(case_url(case)))
    assert f"klagesak {appeal_case.reference}" in original
    assert "Klag på vedtaket" not in original


def test_a_second_appeal_is_refused_with_the_text_kept(kari, case, decision):
    kari.post(reverse("cases:appeal", args=[case.pk]), {"grounds": "Første klage."})
    response = kari.post(reverse("cases:appeal", args=[case.pk]), {"grounds": "Andre klage."})
    assert response.status_code == 400
    assert "Du har allerede klaget på dette vedtaket." in text_of(response)
    assert "Andre klage.</textarea>" in response.content.decode()
    assert Appeal.objects.filter(decision=decision).count() == 1
    # The form page now says so instead of offering the form again.
    again = kari.get(reverse("cases:appeal", args=[case.pk]))
    assert again.status_code == 200
    assert "Du har allerede klaget på dette vedtaket." in text_of(again)
    assert 'name="grounds"' not in again.content.decode()


def test_an_appeal_without_grounds_is_refused(kari, case, decision):
    response = kari.post(reverse("cases:appeal", args=[case.pk]), {"grounds": "  "})
    assert response.status_code == 400
    body = text_of(response)
    assert "For å gå videre må du rette opp følgende:" in body
    assert "Skriv hvorfor du klager på vedtaket." in body
    assert 'href="#appeal-grounds"' in response.content.decode()
    assert not Appeal.objects.exists()
    assert Case.objects.filter(kind=Case.Kind.APPEAL).count() == 0


def test_a_late_appeal_is_received_and_marked_late(kari, case, decision, monkeypatch):
    view_at(kari, case_url(case), DELIVERED, monkeypatch)  # the deadline passed long ago
    form = kari.get(reverse("cases:appeal", args=[case.pk]))
    assert form.status_code == 200
    body = text_of(form)
    assert "Klagefristen har gått ut" in body
    assert "forvaltningsloven § 31" in body
    assert 'name="grounds"' in form.content.decode()

    response = kari.post(
        reverse("cases:appeal", args=[case.pk]), {"grounds": "Jeg var på sykehus."}
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get(decision=decision)
    assert appeal.late
    assert "Klagen kom etter klagefristen." in text_of(kari.get(response.url))


def test_a_sent_decision_notice_delivers_the_decision(case, decision, staff):
    """The receiver for messaging's "notification sent": a "case.decided" notice counts as
    delivery from the time it was sent."""
    from iktipet.cases.signals import decision_notice_sent
    from iktipet.messaging.models import Notification

    services.post_staff_message(case, user=staff, body="Se vedtaket.")
    other = Notification.objects.get(event="case.message", link_path=case_url(case))
    other.sent_at = DELIVERED
    assert not decision_notice_sent(other)
    decision.refresh_from_db()
    assert decision.delivered_at is None

    notice = Notification.objects.get(event="case.decided", link_path=case_url(case))
    notice.sent_at = DELIVERED
    assert decision_notice_sent(notice)
    decision.refresh_from_db()
    assert (decision.delivered_at, decision.appeal_deadline) == (DELIVERED, DEADLINE)


def test_sending_the_decision_notice_starts_the_appeal_deadline(case, decision):
    """The worker sends the "case.decided" notice; messaging's notification_sent signal
    reaches cases.signals, which marks the decision delivered at the sending time."""
    from iktipet.messaging.models import Notification
    from iktipet.messaging.tasks import send_notification

    notice = Notification.objects.get(event="case.decided", link_path=case_url(case))
    assert send_notification.call(str(notice.pk)) == "sent"
    notice.refresh_from_db()
    decision.refresh_from_db()
    assert decision.delivered_at == notice.sent_at
    assert decision.appeal_deadline == deadlines.appeal_deadline(notice.sent_at)
