"""``iktipet vipps_webhooks``: registering the webhook at a local Vipps prints its secret."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings


def run(*args: str) -> str:
    out = StringIO()
    call_command("vipps_webhooks", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def vipps_settings(vipps_server):
    with override_settings(
        VIPPS_CLIENT_ID=vipps_server.client_id,
        VIPPS_CLIENT_SECRET=vipps_server.client_secret,
        VIPPS_SUBSCRIPTION_KEY=vipps_server.subscription_key,
        VIPPS_MSN=vipps_server.msn,
        VIPPS_BASE_URL=vipps_server.url,
        VIPPS_WEBHOOK_SECRET="",
    ):
        yield vipps_server


def test_register_prints_the_secret_vipps_returns_and_list_and_delete_work(vipps_settings):
    out = run("register", "--url", "https://iktipet.example/betaling/webhook/vipps/")

    (hook,) = vipps_settings.webhooks.values()
    assert f"IKTIPET_VIPPS_WEBHOOK_SECRET={hook['secret']}" in out
    assert hook["url"] == "https://iktipet.example/betaling/webhook/vipps/"
    assert "epayments.payment.authorized.v1" in hook["events"]
    assert len(hook["events"]) == 8

    listed = run("list")
    assert hook["id"] in listed and hook["secret"] not in listed

    assert "Deleted" in run("delete", "--id", hook["id"])
    assert vipps_settings.webhooks == {}
    assert "No webhooks registered." in run("list")


def test_register_refuses_a_url_that_is_not_https(vipps_settings):
    with pytest.raises(CommandError, match="https"):
        run("register", "--url", "http://iktipet.example/betaling/webhook/vipps/")
    assert vipps_settings.webhooks == {}


def test_a_vipps_refusal_is_a_command_error(vipps_settings):
    vipps_settings.fail_next(400, {"title": "Bad Request", "status": 400, "detail": "No"})
    with pytest.raises(CommandError, match="Vipps answered: No"):
        run("register", "--url", "https://iktipet.example/betaling/webhook/vipps/")


def test_without_configuration_it_names_what_is_missing():
    with (
        override_settings(VIPPS_CLIENT_ID="", VIPPS_MSN=""),
        pytest.raises(CommandError, match="IKTIPET_VIPPS_CLIENT_ID"),
    ):
        run("list")
