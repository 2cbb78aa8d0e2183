"""The admin: an agency admin manages their own agency's webhooks only; the secret is shown
once; operators register API clients, whose staff identity follows the grants."""

from __future__ import annotations

import pytest
from django.test import Client

from iktipet.accounts.testing import sign_in_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def subscriptions(agencies):
    from iktipet.integrations.models import Subscription

    return {
        slug: Subscription.objects.create(agency=agencies[slug], url=f"https://{slug}.example/hook")
        for slug in ("naeringsetaten", "utdanningsetaten")
    }


def test_an_agency_admin_sees_and_adds_only_their_own_agencys_webhooks(
    agencies, subscriptions, settings, monkeypatch
):
    from iktipet.integrations.models import Subscription

    monkeypatch.setattr("iktipet.integrations.webhooks.guard._addresses", _public)
    admin = Client()
    sign_in_staff(admin, [("naeringsetaten", "agency_admin")])
    listing = admin.get("/admin/integrations/subscription/")
    assert listing.status_code == 200
    assert "naeringsetaten.example" in listing.content.decode()
    assert "utdanningsetaten.example" not in listing.content.decode()
    other = subscriptions["utdanningsetaten"]
    assert admin.get(f"/admin/integrations/subscription/{other.pk}/change/").status_code in (
        302,
        404,
    )
    created = admin.post(
        "/admin/integrations/subscription/add/",
        {
            "agency": agencies["naeringsetaten"].pk,
            "url": "https://new.example/hook",
            "event_types": "no.iktipet.case.decided",
            "active": "on",
        },
        follow=True,
    )
    made = Subscription.objects.get(url="https://new.example/hook")
    assert made.event_types == ["no.iktipet.case.decided"]
    assert made.secret in created.content.decode()  # shown once, now
    page = admin.get(f"/admin/integrations/subscription/{made.pk}/change/").content.decode()
    assert made.secret not in page
    refused = admin.post(
        "/admin/integrations/subscription/add/",
        {"agency": agencies["utdanningsetaten"].pk, "url": "https://x.example/h", "active": "on"},
    )
    assert refused.status_code == 200  # the form again: not their agency
    assert not Subscription.objects.filter(url="https://x.example/h").exists()


def test_an_internal_url_is_refused_in_the_admin(agencies):
    from iktipet.integrations.models import Subscription

    admin = Client()
    sign_in_staff(admin, [("naeringsetaten", "agency_admin")])
    response = admin.post(
        "/admin/integrations/subscription/add/",
        {"agency": agencies["naeringsetaten"].pk, "url": "https://10.1.2.3/h", "active": "on"},
    )
    assert response.status_code == 200
    assert "internt nett" in response.content.decode()
    assert not Subscription.objects.exists()


def test_a_case_worker_has_no_webhook_admin(agencies, subscriptions):
    worker = Client()
    sign_in_staff(worker, [("naeringsetaten", "case_worker")])
    assert worker.get("/admin/integrations/subscription/").status_code == 403


def test_an_operator_registers_an_api_client_whose_staff_user_follows_the_grants(agencies):
    from iktipet.cases.permissions import case_agency_ids
    from iktipet.integrations.models import ApiClient

    operator = Client()
    sign_in_staff(operator, [(None, "operator")])
    response = operator.post(
        "/admin/integrations/apiclient/add/",
        {
            "orgnr": "910000123",
            "name": "Fagsystem AS",
            "agencies": [agencies["naeringsetaten"].pk],
            "scopes": ["iktipet:cases.read", "iktipet:cases.write"],
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client = ApiClient.objects.get(orgnr="910000123")
    assert client.scopes == ["iktipet:cases.read", "iktipet:cases.write"]
    assert case_agency_ids(client.service_user) == [agencies["naeringsetaten"].pk]
    assert not client.service_user.has_usable_password()
    operator.post(
        f"/admin/integrations/apiclient/{client.pk}/change/",
        {
            "orgnr": "910000123",
            "name": "Fagsystem AS",
            "agencies": [],
            "scopes": ["iktipet:cases.read"],
        },
    )
    client.refresh_from_db()
    user = client.service_user
    user.__dict__.pop("_case_roles", None)
    assert not client.active
    assert case_agency_ids(user) == []


def _public(host):
    import ipaddress

    return [ipaddress.ip_address("93.184.216.34")]
