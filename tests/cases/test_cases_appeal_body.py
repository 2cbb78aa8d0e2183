"""The appeal body comes from configuration, per municipality and service (Oslo: Statsforvalteren
i Østfold, Buskerud, Oslo og Akershus since 1 July 2024), and an appeal case promises no date
it cannot keep."""

from __future__ import annotations

import pytest
from django.urls import reverse

from iktipet.accounts.testing import sign_in_staff
from iktipet.cases import appeal_bodies, services
from iktipet.cases.models import Appeal, Case, Decision
from iktipet.core.models import Municipality
from support.cases import submitted_case
from support.pages import text_of

OSLO = "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus"
DECISION = {
    "outcome": "refused",
    "justification": "Arrangementet er for stort for parken.",
    "legal_basis": "Politivedtekten § 3.",
}


@pytest.fixture
def worker(client, agencies):
    return sign_in_staff(client, [("naeringsetaten", "case_worker")])


def _url(name, case, *args):
    return reverse(f"casework:{name}", args=[case.pk, *args])


def test_oslo_is_configured_with_the_body_s_current_name():
    bodies = appeal_bodies.configured()
    assert bodies["0301"].default == OSLO
    names = [bodies["0301"].default, *bodies["0301"].services.values()]
    assert not any("Viken" in name for name in names)


def test_the_decision_form_starts_with_the_configured_body_and_the_letter_names_it(client, worker):
    case = submitted_case()
    page = client.get(reverse("casework:case", args=[case.pk])).content.decode()
    assert f'value="{OSLO}"' in page and "Viken" not in page
    # Left empty, the decision still names the configured body.
    r = client.post(_url("decide", case), {**DECISION, "appeal_body": ""})
    assert r.status_code == 302
    assert Decision.objects.get(case=case).appeal_body == OSLO


def test_a_service_may_appeal_to_another_body(client, worker, monkeypatch):
    case = submitted_case()
    bodies = {
        "0301": appeal_bodies.MunicipalityBodies(
            default=OSLO, services={case.service_id: "Kommunens klagenemnd"}
        )
    }
    monkeypatch.setattr(appeal_bodies, "configured", lambda: bodies)
    page = client.get(reverse("casework:case", args=[case.pk])).content.decode()
    assert 'value="Kommunens klagenemnd"' in page
    assert client.post(_url("decide", case), DECISION).status_code == 302
    assert Decision.objects.get(case=case).appeal_body == "Kommunens klagenemnd"


def test_an_unconfigured_municipality_needs_the_body_written(client, worker):
    case = submitted_case()
    Municipality.objects.filter(pk=case.agency.municipality_id).update(kommunenummer="3301")
    r = client.post(_url("decide", case), {**DECISION, "appeal_body": ""})
    assert r.status_code == 400
    assert "Skriv hvem som avgjør en klage" in r.content.decode()
    assert not Decision.objects.filter(case=case).exists()
    r = client.post(
        _url("decide", case), {**DECISION, "appeal_body": "Statsforvalteren i Buskerud"}
    )
    assert r.status_code == 302


def test_the_appeal_case_shows_no_expected_date_but_staff_keep_their_month(
    client, kari, case, staff
):
    decision = services.decide_case(case, user=staff, **DECISION)
    page = text_of(kari.get(reverse("cases:case", args=[case.pk])))
    assert OSLO in page
    r = kari.post(reverse("cases:appeal", args=[case.pk]), {"grounds": "Parken er stor nok."})
    assert r.status_code == 302
    appeal_case = Appeal.objects.get(decision=decision).case
    assert appeal_case.kind == Case.Kind.APPEAL
    page = text_of(kari.get(reverse("cases:case", args=[appeal_case.pk])))
    assert "Klage mottatt" in page
    assert "Forventet svar innen" not in page
    # The agency's own deadline (fvl. § 11a: a preliminary answer within a month) remains.
    assert appeal_case.due_date is not None
    assert (appeal_case.due_date - appeal_case.received_at.date()).days >= 28
    # An ordinary application still shows its processing time.
    ordinary = submitted_case("vanlig")
    page = text_of(kari.get(reverse("cases:case", args=[ordinary.pk])))
    assert ordinary.due_date is not None
    assert "Forventet svar innen" in page
