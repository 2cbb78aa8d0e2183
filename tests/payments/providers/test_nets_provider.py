"""The Nets Easy plugin against a local Nets (real sockets), and every official webhook body."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from types import SimpleNamespace

import pytest

from iktipet.payments.providers.base import (
    OrderLine,
    PaymentRequest,
    ProviderRefused,
    ProviderState,
    ProviderUnavailable,
    WebhookRejected,
    payment_providers,
)
from iktipet.payments.providers.nets import NetsProvider, order_items, parse_error

PAYLOADS = Path(__file__).parent / "specs" / "nets-webhooks"
SECRET = "a1B2c3D4e5F6g7H8i9J0"


def payment_request(amount: int = 1184800, **changes) -> PaymentRequest:
    values = {
        "reference": "IKT-9XY3",
        "amount_ore": amount,
        "currency": "NOK",
        "description": "Skjenkebevilling <alminnelig>",
        "lines": (OrderLine("Årsgebyr skjenkebevilling", 1, amount),),
        "return_url": "https://iktipet.example/betaling/IKT-9XY3/tilbake/",
        "webhook_url": "https://iktipet.example/betaling/webhook/nets/",
        "webhook_secret": SECRET,
        "language": "en",
        "idempotency_key": "attempt-1",
    }
    values.update(changes)
    return PaymentRequest(**values)


def paid(nets_server, nets) -> str:
    payment_id = nets.create(payment_request()).provider_reference
    nets_server.reserve(payment_id)
    return payment_id


# --- payments ------------------------------------------------------------------------------


def test_create_sends_a_hosted_payment_with_per_payment_webhooks(nets_server, make_nets):
    created = make_nets().create(payment_request())

    assert created.provider_reference in nets_server.payments
    assert created.redirect_url.startswith(f"{nets_server.url}/hpp/?pid=")
    assert created.redirect_url.endswith("&language=en-GB")
    sent = nets_server.requests[0]
    assert sent["headers"]["Authorization"] == nets_server.secret_key  # the key itself
    body = json.loads(sent["body"])
    assert body["checkout"]["integrationType"] == "HostedPaymentPage"
    assert body["checkout"]["termsUrl"] == "https://iktipet.example/betaling/vilkar/"
    assert body["checkout"]["charge"] is False
    assert body["order"]["amount"] == 1184800
    hooks = body["notifications"]["webHooks"]
    assert {h["eventName"] for h in hooks} >= {
        "payment.reservation.created.v2",
        "payment.charge.created.v2",
        "payment.cancel.created",
    }
    assert all(h["authorization"] == SECRET for h in hooks)
    assert all(h["url"] == "https://iktipet.example/betaling/webhook/nets/" for h in hooks)
    assert "<" not in body["order"]["items"][0]["name"] + json.dumps(body["order"])


def test_order_items_add_up_with_vat_or_fall_back_to_one_line():
    with_vat = payment_request(
        amount=12500,
        lines=(OrderLine("Leie", 2, 5000, vat_percent=25), OrderLine("Gebyr", 1, 2500)),
    )
    items = order_items(with_vat)
    assert [i["grossTotalAmount"] for i in items] == [10000, 2500]
    assert items[0]["netTotalAmount"] == 8000 and items[0]["taxAmount"] == 2000
    assert items[0]["taxRate"] == 2500
    odd = payment_request(amount=999, lines=(OrderLine("Gebyr", 1, 500),))
    assert [i["grossTotalAmount"] for i in order_items(odd)] == [999]
    rounded = order_items(payment_request(amount=2997, lines=(OrderLine("Leie", 3, 999, 25),)))
    for item in [*items, *rounded]:  # what Nets checks of every item
        assert item["unitPrice"] * item["quantity"] == item["netTotalAmount"]
        assert item["netTotalAmount"] + item["taxAmount"] == item["grossTotalAmount"]


def test_a_webhook_secret_nets_would_refuse_is_refused_before_calling(nets_server, make_nets):
    with pytest.raises(ProviderRefused) as refused:
        make_nets().create(payment_request(webhook_secret="short_"))
    assert refused.value.code == "invalid_webhook_secret"
    assert nets_server.requests == []


def test_the_state_comes_from_the_summary(nets_server, make_nets):
    nets = make_nets()
    payment_id = nets.create(payment_request()).provider_reference
    assert nets.get_status(payment_id).state is ProviderState.CREATED

    nets_server.reserve(payment_id)
    status = nets.get_status(payment_id)
    assert (status.state, status.authorized_ore, status.captured_ore) == (
        ProviderState.AUTHORIZED,
        1184800,
        0,
    )

    charge = nets.capture(payment_id, 1184800, idempotency_key="capture-1")
    assert charge.operation_reference
    again = nets.capture(payment_id, 1184800, idempotency_key="capture-1")
    assert again.operation_reference == charge.operation_reference  # one charge
    status = nets.get_status(payment_id)
    assert (status.state, status.captured_ore) == (ProviderState.AUTHORIZED, 1184800)

    refund = nets.refund(payment_id, 400000, idempotency_key="refund-1", reason="delvis")
    assert refund.operation_reference
    status = nets.get_status(payment_id)
    assert (status.captured_ore, status.refunded_ore) == (1184800, 400000)
    sent = next(r for r in nets_server.requests if r["path"].endswith("/refunds"))
    assert sent["path"] == f"/v1/charges/{charge.operation_reference}/refunds"
    assert sent["headers"]["Idempotency-Key"] == "refund-1"


def test_cancel_releases_the_whole_reservation_and_is_a_no_op_the_second_time(
    nets_server, make_nets
):
    nets = make_nets()
    payment_id = paid(nets_server, nets)
    result = nets.cancel(payment_id, idempotency_key="cancel-1")
    assert (result.status.state, result.status.cancelled_ore) == (
        ProviderState.TERMINATED,
        1184800,
    )
    cancels = [r for r in nets_server.requests if r["path"].endswith("/cancels")]
    assert json.loads(cancels[0]["body"]) == {"amount": 1184800}
    assert nets.cancel(payment_id, idempotency_key="cancel-1").status.state is (
        ProviderState.TERMINATED
    )
    assert len([r for r in nets_server.requests if r["path"].endswith("/cancels")]) == 1


def test_cancel_of_an_unpaid_checkout_terminates_it(nets_server, make_nets):
    nets = make_nets()
    payment_id = nets.create(payment_request()).provider_reference
    assert nets.cancel(payment_id, idempotency_key="c").status.state is ProviderState.TERMINATED
    assert any(r["path"].endswith("/terminate") for r in nets_server.requests)


def test_a_refund_without_a_charge_is_refused(nets_server, make_nets):
    nets = make_nets()
    payment_id = paid(nets_server, nets)
    with pytest.raises(ProviderRefused) as refused:
        nets.refund(payment_id, 100, idempotency_key="r")
    assert refused.value.code == "no_charge"


# --- faults --------------------------------------------------------------------------------


def test_nets_validation_errors_become_a_refusal_with_its_words(nets_server, make_nets):
    nets = make_nets()
    payment_id = paid(nets_server, nets)
    with pytest.raises(ProviderRefused) as refused:
        nets.capture(payment_id, 99999999, idempotency_key="too-much")
    assert (refused.value.status, refused.value.code) == (400, "validation")
    assert "amount: Amount exceeds the reserved amount" in str(refused.value)


def test_nets_coded_errors_become_a_refusal_with_its_code(nets_server, make_nets):
    nets = make_nets()
    payment_id = nets.create(payment_request()).provider_reference
    with pytest.raises(ProviderRefused) as refused:
        nets.capture(payment_id, 100, idempotency_key="early")  # nothing reserved
    assert (refused.value.code, str(refused.value)) == ("1003", "The payment is not reserved")
    with pytest.raises(ProviderRefused) as unknown:
        nets.get_status("0" * 32)
    assert unknown.value.status == 404


def test_a_wrong_secret_key_is_refused(nets_server, make_nets):
    with pytest.raises(ProviderRefused) as refused:
        make_nets(secret_key="test-secret-key-wrong").create(payment_request())
    assert refused.value.status == 401


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_are_unavailable(nets_server, make_nets, status):
    nets_server.fail_next(status, {"message": "Internal error", "code": "9000", "source": "x"})
    with pytest.raises(ProviderUnavailable):
        make_nets().create(payment_request())


def test_a_slow_nets_times_out_and_recovers(nets_server, make_nets):
    nets = make_nets(timeout=0.3)
    nets_server.delay_next(1.0)
    with pytest.raises(ProviderUnavailable, match="timed out"):
        nets.create(payment_request())
    assert nets.create(payment_request()).provider_reference


def test_a_nets_that_cannot_be_reached_is_unavailable(make_nets):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ProviderUnavailable):
        make_nets(base_url=f"http://127.0.0.1:{port}").get_status("x")


def test_parse_error_reads_both_shapes():
    assert parse_error({"errors": {"amount": ["too big", "really"]}}) == (
        "validation",
        "amount: too big really",
    )
    assert parse_error({"message": "No", "code": "1001", "source": "Internal"}) == ("1001", "No")
    assert parse_error(None) == ("", "")


# --- webhooks ------------------------------------------------------------------------------

EXPECTED = {
    "payment.created.json": (ProviderState.CREATED, None, None),
    "payment.reservation.created.v1.json": (ProviderState.AUTHORIZED, 10000, None),
    "payment.reservation.created.v2.json": (ProviderState.AUTHORIZED, 10000, None),
    "payment.checkout.completed.json": (ProviderState.AUTHORIZED, 5500, None),
    "payment.checkout.completed.missingData.json": (ProviderState.AUTHORIZED, 5500, None),
    "payment.reservation.failed.json": (ProviderState.FAILED, None, None),
    "payment.charge.created.v2.json": (None, None, None),
    "payment.charge.failed.json": (None, None, None),
    "payment.refund.initiated.v2.json": (None, None, None),
    "payment.refund.completed.json": (None, None, None),
    "payment.refund.failed.json": (None, None, None),
    "payment.cancel.created.json": (ProviderState.TERMINATED, None, 5500),
    "payment.cancel.failed.json": (None, None, None),
}


def test_every_official_example_is_covered():
    assert sorted(p.name for p in PAYLOADS.glob("*.json")) == sorted(EXPECTED)


@pytest.mark.parametrize("example", sorted(p.name for p in PAYLOADS.glob("*.json")))
def test_every_official_webhook_body_parses_and_maps(example):
    body = (PAYLOADS / example).read_bytes()
    original = json.loads(body)
    status = NetsProvider().verify_webhook(
        body=body,
        headers={"Authorization": SECRET},
        path_and_query="/betaling/webhook/nets/",
        secret=SECRET,
    )
    state, authorized, cancelled = EXPECTED[example]
    assert status.provider_reference == original["data"]["paymentId"]
    assert (status.state, status.authorized_ore, status.cancelled_ore) == (
        state,
        authorized,
        cancelled,
    )
    assert status.captured_ore is None and status.refunded_ore is None  # never totals
    assert status.event_name == original["event"]
    assert status.event_id.endswith(original["id"])
    assert status.occurred_at == original["timestamp"]


def test_events_that_share_an_id_are_still_told_apart():
    # Nets' own charge.created.v2 and refund.initiated.v2 examples carry the same id.
    ids = {
        NetsProvider()
        .verify_webhook(
            body=(PAYLOADS / name).read_bytes(),
            headers={"authorization": SECRET},
            path_and_query="/",
            secret=SECRET,
        )
        .event_id
        for name in ("payment.charge.created.v2.json", "payment.refund.initiated.v2.json")
    }
    assert len(ids) == 2


def test_a_webhook_from_the_server_about_a_created_payment(nets_server, make_nets):
    nets = make_nets()
    payment_id = paid(nets_server, nets)
    body, headers = nets_server.webhook("payment.reservation.created.v2.json", payment_id, SECRET)
    status = nets.verify_webhook(body=body, headers=headers, path_and_query="/", secret=SECRET)
    assert status.provider_reference == payment_id
    assert status.state is ProviderState.AUTHORIZED


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "wrong-secret-value"}, {"Authorization": SECRET + "x"}]
)
def test_a_webhook_without_the_payments_secret_is_401(headers):
    body = (PAYLOADS / "payment.reservation.created.v2.json").read_bytes()
    with pytest.raises(WebhookRejected) as rejected:
        NetsProvider().verify_webhook(body=body, headers=headers, path_and_query="/", secret=SECRET)
    assert rejected.value.status == 401
    with pytest.raises(WebhookRejected):  # and no secret at all accepts nothing
        NetsProvider().verify_webhook(
            body=body, headers={"Authorization": ""}, path_and_query="/", secret=""
        )


@pytest.mark.parametrize(
    "body", [b"not json", b"[]", b'{"event": "payment.created"}', b'{"event": "x", "data": {}}']
)
def test_a_malformed_webhook_is_400(body):
    with pytest.raises(WebhookRejected) as rejected:
        NetsProvider().verify_webhook(
            body=body, headers={"Authorization": SECRET}, path_and_query="/", secret=SECRET
        )
    assert rejected.value.status == 400


# --- configuration -------------------------------------------------------------------------


def test_check_config_names_what_is_missing():
    text = " ".join(NetsProvider(base_url="http://test.api.dibspayment.eu").check_config())
    assert "IKTIPET_NETS_SECRET_KEY" in text
    assert "IKTIPET_NETS_TERMS_URL" in text
    assert "IKTIPET_NETS_BASE_URL" in text
    ready = NetsProvider(secret_key="test-secret-key-abc", terms_url="https://x.example/vilkar")
    assert ready.check_config() == []
    live_key_on_test = NetsProvider(secret_key="live-secret-key-abc", terms_url="https://x")
    assert "live key" in " ".join(live_key_on_test.check_config())


def test_options_come_from_the_settings():
    conf = SimpleNamespace(
        NETS_SECRET_KEY="test-secret-key-abc",
        NETS_BASE_URL="https://test.api.dibspayment.eu",
        NETS_TERMS_URL="https://iktipet.example/vilkar",
        PAYMENT_PROVIDER_TIMEOUT=4,
    )
    nets = payment_providers.create("nets", **payment_providers.options("nets", conf))
    assert isinstance(nets, NetsProvider) and nets.check_config() == []
