"""The payments webhook endpoint with the Vipps and Nets plugins behind it: a forged delivery
is refused with the plugin's status, a genuine one about an unknown payment is acknowledged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings

from support.vipps_server import WEBHOOK_SECRET

PATH = "/betaling/webhook/vipps/"


def post(client, path, body, headers):
    meta = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()}
    meta["HTTP_HOST"] = "testserver"
    return client.post(path, data=body, content_type="application/json", **meta)


@pytest.fixture
def vipps_configured(vipps_server):
    with override_settings(
        PAYMENT_PROVIDERS=["testbank", "vipps", "nets"],
        VIPPS_BASE_URL=vipps_server.url,
        VIPPS_WEBHOOK_SECRET=WEBHOOK_SECRET,
    ):
        yield vipps_server


@pytest.mark.django_db
def test_a_signed_vipps_webhook_is_accepted_and_a_forged_or_old_one_refused(
    client, vipps_configured
):
    def webhook(secret=WEBHOOK_SECRET, now=None):
        return vipps_configured.webhook(
            secret=secret,
            reference="B-7K3QX9TD-1",
            name="AUTHORIZED",
            value=40000,
            path=PATH,
            host="testserver",
            now=now,
        )

    assert post(client, PATH, *webhook()).status_code == 200
    assert post(client, PATH, *webhook(secret="forged")).status_code == 401
    old = datetime.now(UTC) - timedelta(minutes=10)
    assert post(client, PATH, *webhook(now=old)).status_code == 400


@pytest.mark.django_db
def test_a_nets_webhook_without_the_payments_secret_is_401(client, vipps_configured):
    body = b'{"id": "1", "event": "payment.created", "data": {"paymentId": "abc"}}'
    response = post(client, "/betaling/webhook/nets/", body, {"Authorization": "guess-guess"})
    assert response.status_code == 401
