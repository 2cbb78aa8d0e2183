"""The Vipps ePayment plugin against a local Vipps that validates every request and response
against the official OpenAPI document (the fixture fails the test on any contract error)."""

from __future__ import annotations

import json
import socket
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from types import SimpleNamespace

import httpx
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
from iktipet.payments.providers.vipps import VippsProvider, attempt_reference, idempotency_key_for
from support.vipps_server import WEBHOOK_SECRET

VECTOR = Path(__file__).parent / "specs" / "vipps" / "webhook-hmac-test-vector.json"


def payment_request(key: str = "attempt-1", amount: int = 40000, **changes) -> PaymentRequest:
    values = {
        "reference": "IKT-7Q2K",
        "amount_ore": amount,
        "currency": "NOK",
        "description": "Skjenkebevilling for en enkelt anledning",
        "lines": (OrderLine("Gebyr, 101-300 deltakere", 1, amount),),
        "return_url": "https://iktipet.example/betaling/IKT-7Q2K/tilbake/",
        "webhook_url": "https://iktipet.example/betaling/webhook/vipps/",
        "idempotency_key": key,
    }
    values.update(changes)
    return PaymentRequest(**values)


def api_requests(server, path_part: str = "/epayment/") -> list[dict]:
    return [r for r in server.requests if path_part in r["path"]]


# --- payments ------------------------------------------------------------------------------


def test_create_sends_a_web_redirect_payment_with_every_header(vipps_server, make_vipps):
    created = make_vipps().create(payment_request())

    assert created.redirect_url.startswith(f"{vipps_server.url}/landing?token=")
    assert created.provider_reference == "IKT-7Q2K"  # ours, as Vipps takes it
    sent = api_requests(vipps_server)[0]
    body = json.loads(sent["body"])
    assert body["userFlow"] == "WEB_REDIRECT"
    assert body["amount"] == {"currency": "NOK", "value": 40000}
    assert body["returnUrl"] == "https://iktipet.example/betaling/IKT-7Q2K/tilbake/"
    assert body["receipt"]["orderLines"][0]["totalAmount"] == 40000
    headers = sent["headers"]
    assert headers["Idempotency-Key"] == "attempt-1"
    assert headers["Merchant-Serial-Number"] == "123456"
    assert headers["Ocp-Apim-Subscription-Key"] == "subscription-key"
    assert headers["Authorization"].startswith("Bearer ")
    for name in ("Name", "Version", "Plugin-Name", "Plugin-Version"):
        assert headers[f"Vipps-System-{name}"]


def test_a_retried_create_is_the_same_payment_and_a_new_attempt_a_new_one(vipps_server, make_vipps):
    vipps = make_vipps()
    first = vipps.create(payment_request("attempt-1"))
    again = vipps.create(payment_request("attempt-1"))
    second = vipps.create(payment_request("attempt-2", reference="IKT-7Q2K-2"))

    assert again == first
    assert second.provider_reference != first.provider_reference
    assert len(vipps_server.payments) == 2


def test_references_and_keys_fit_vipps_limits():
    assert attempt_reference("B-7K3QX9TD-1", "k") == "B-7K3QX9TD-1"
    for ours in ("a" * 60 + "æ/ø", "B-1"):
        reference = attempt_reference(ours, "k")
        assert 8 <= len(reference) <= 50
        assert all(c.isascii() and (c.isalnum() or c == "-") for c in reference)
        assert attempt_reference(ours, "k") == reference != attempt_reference(ours, "other")
    long_key = "k" * 80
    assert len(idempotency_key_for(long_key)) == 50
    assert idempotency_key_for(long_key) == idempotency_key_for(long_key)
    assert idempotency_key_for("short") == "short"


def test_the_access_token_is_cached_until_shortly_before_it_expires(vipps_server, make_vipps):
    vipps = make_vipps()
    reference = vipps.create(payment_request()).provider_reference
    vipps.get_status(reference)
    make_vipps().get_status(reference)  # another instance, the same merchant
    assert vipps_server.token_requests == 1

    from iktipet.payments.providers.vipps import forget_tokens

    forget_tokens()
    vipps_server.token_lifetime = 60  # shorter than the safety margin: never reused
    vipps.get_status(reference)
    vipps.get_status(reference)
    assert vipps_server.token_requests == 3


def test_a_token_vipps_no_longer_accepts_is_fetched_anew_once(vipps_server, make_vipps):
    vipps = make_vipps()
    reference = vipps.create(payment_request()).provider_reference
    vipps_server.tokens.clear()  # Vipps forgot it

    assert vipps.get_status(reference).state is ProviderState.CREATED
    assert vipps_server.token_requests == 2


def test_states_map_and_capture_and_refund_show_only_in_the_amounts(vipps_server, make_vipps):
    vipps = make_vipps()
    reference = vipps.create(payment_request()).provider_reference
    assert vipps.get_status(reference).state is ProviderState.CREATED

    vipps_server.approve(reference)
    status = vipps.get_status(reference)
    assert (status.state, status.authorized_ore, status.captured_ore) == (
        ProviderState.AUTHORIZED,
        40000,
        0,
    )

    captured = vipps.capture(reference, 40000, idempotency_key="capture-1")
    assert captured.operation_reference
    assert captured.status is not None and captured.status.captured_ore == 40000
    assert captured.status.state is ProviderState.AUTHORIZED

    refunded = vipps.refund(reference, 15000, idempotency_key="refund-1", reason="for mye")
    status = vipps.get_status(reference)
    assert refunded.status is not None and refunded.status.refunded_ore == 15000
    assert (status.state, status.captured_ore, status.refunded_ore) == (
        ProviderState.AUTHORIZED,
        40000,
        15000,
    )
    # A retried capture with the same key has one effect.
    vipps.capture(reference, 40000, idempotency_key="capture-1")
    assert vipps.get_status(reference).captured_ore == 40000


@pytest.mark.parametrize(
    ("act", "expected"),
    [("abort", ProviderState.ABORTED), ("expire", ProviderState.EXPIRED)],
)
def test_the_person_abandoning_maps_to_its_state(vipps_server, make_vipps, act, expected):
    vipps = make_vipps()
    reference = vipps.create(payment_request()).provider_reference
    getattr(vipps_server, act)(reference)
    assert vipps.get_status(reference).state is expected


def test_cancel_before_and_after_authorisation_is_terminated(vipps_server, make_vipps):
    vipps = make_vipps()
    unpaid = vipps.create(payment_request("a", reference="B-7K3QX9TD-1")).provider_reference
    assert vipps.cancel(unpaid, idempotency_key="cancel-a").status.state is ProviderState.TERMINATED

    paid = vipps.create(payment_request("b", reference="B-7K3QX9TD-2")).provider_reference
    vipps_server.approve(paid)
    result = vipps.cancel(paid, idempotency_key="cancel-b")
    assert vipps_server.payments[paid]["state"] == "AUTHORIZED"  # Vipps' own word
    assert result.status.state is ProviderState.TERMINATED  # the contract's
    assert result.status.cancelled_ore == 40000
    assert vipps.get_status(paid).state is ProviderState.TERMINATED


def test_events_are_read_from_the_event_log(vipps_server, make_vipps):
    vipps = make_vipps()
    reference = vipps.create(payment_request()).provider_reference
    vipps_server.approve(reference)
    vipps.capture(reference, 40000, idempotency_key="capture-1")

    events = vipps.events(reference)
    assert [e.event_name for e in events] == ["CREATED", "AUTHORIZED", "CAPTURED"]
    assert [e.state for e in events] == [ProviderState.CREATED, ProviderState.AUTHORIZED, None]
    assert events[1].authorized_ore == 40000
    assert len({e.event_id for e in events}) == 3


# --- faults --------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_server_errors_are_unavailable(vipps_server, make_vipps, status):
    vipps = make_vipps()
    vipps_server.fail_next(status, "<html>down</html>")
    with pytest.raises(ProviderUnavailable):
        vipps.create(payment_request())


def test_a_slow_vipps_times_out_as_unavailable_and_the_retry_succeeds(vipps_server, make_vipps):
    vipps = make_vipps(timeout=0.3)
    vipps_server.delay_next(1.0)
    with pytest.raises(ProviderUnavailable, match="timed out"):
        vipps.create(payment_request())
    assert vipps.create(payment_request()).redirect_url


def test_a_vipps_that_cannot_be_reached_is_unavailable(make_vipps):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    vipps = make_vipps(base_url=f"http://127.0.0.1:{port}")
    with pytest.raises(ProviderUnavailable):
        vipps.create(payment_request())


def test_a_refusal_carries_vipps_own_code_and_detail(vipps_server, make_vipps):
    vipps = make_vipps()
    reference = vipps.create(payment_request()).provider_reference
    with pytest.raises(ProviderRefused) as refused:
        vipps.capture(reference, 40000, idempotency_key="capture-1")  # not authorised
    assert refused.value.status == 400
    assert refused.value.code == "capture-amount-too-high"
    assert str(refused.value) == "Capture not allowed"


def test_a_reference_used_before_is_refused_with_409(vipps_server, make_vipps):
    vipps = make_vipps()
    vipps.create(payment_request("attempt-1"))
    vipps_server.fail_next(
        409,
        {
            "type": "https://developer.vippsmobilepay.com/docs/APIs/epayment-api/problems#conflict",
            "title": "Conflict",
            "detail": "Reference already used",
            "status": 409,
            "traceId": "t-1",
            "extraDetails": [{"name": "reference", "reason": "in use"}],
        },
    )
    with pytest.raises(ProviderRefused) as refused:
        vipps.create(payment_request("attempt-9"))
    assert (refused.value.status, refused.value.code) == (409, "conflict")
    assert "reference: in use" in str(refused.value)


def test_wrong_credentials_are_refused(vipps_server, make_vipps):
    with pytest.raises(ProviderRefused) as refused:
        make_vipps(client_secret="wrong").create(payment_request())
    assert refused.value.status == 401


def test_a_garbled_answer_is_unavailable(vipps_server, make_vipps):
    vipps = make_vipps()
    reference = vipps.create(payment_request()).provider_reference
    vipps_server.fail_next(200, None)  # 200 with no body
    with pytest.raises(ProviderUnavailable):
        vipps.get_status(reference)


def test_the_contract_check_catches_a_request_off_the_document(vipps_server, make_vipps):
    """The fixture's contract check is real: a body without userFlow is reported."""
    token = make_vipps()._token()
    httpx.post(
        f"{vipps_server.url}/epayment/v1/payments",
        json={"amount": {"currency": "NOK", "value": 1000}, "reference": "reference-1"},
        headers={
            "Authorization": f"Bearer {token}",
            "Ocp-Apim-Subscription-Key": "subscription-key",
            "Merchant-Serial-Number": "123456",
            "Idempotency-Key": "k",
        },
    )
    assert vipps_server.contract_errors
    vipps_server.contract_errors.clear()


# --- webhooks ------------------------------------------------------------------------------


def _at(moment: datetime):
    return lambda: moment


def test_the_signature_test_vector_from_vipps_passes():
    vector = json.loads(VECTOR.read_text())
    sent = parsedate_to_datetime(vector["headers"]["x-ms-date"])
    vipps = VippsProvider(webhook_secret=vector["secret"], clock=_at(sent + timedelta(seconds=3)))
    path = "/" + vector["url"].split("/", 3)[3]
    with pytest.raises(WebhookRejected) as rejected:
        # The vector's body is no ePayment event: verified, then refused as a body (400).
        vipps.verify_webhook(
            body=vector["body"].encode(), headers=vector["headers"], path_and_query=path
        )
    assert rejected.value.status == 400
    assert "reference" in str(rejected.value)
    # The string to sign is Vipps' own.
    from iktipet.payments.providers.vipps_webhooks import content_hash, string_to_sign

    headers = vector["headers"]
    assert content_hash(vector["body"].encode()) == headers["x-ms-content-sha256"]
    assert (
        string_to_sign(
            method="POST",
            path_and_query=path,
            date=headers["x-ms-date"],
            host=headers["host"],
            hashed=headers["x-ms-content-sha256"],
        )
        == vector["string_to_sign"]
    )


def test_the_test_vector_fails_with_another_secret_or_path():
    vector = json.loads(VECTOR.read_text())
    sent = parsedate_to_datetime(vector["headers"]["x-ms-date"])
    path = "/" + vector["url"].split("/", 3)[3]
    for secret, where in (("another-secret", path), (vector["secret"], path + "?x=1")):
        vipps = VippsProvider(webhook_secret=secret, clock=_at(sent))
        with pytest.raises(WebhookRejected) as rejected:
            vipps.verify_webhook(
                body=vector["body"].encode(), headers=vector["headers"], path_and_query=where
            )
        assert rejected.value.status == 401


def test_a_signed_webhook_becomes_a_status(vipps_server, make_vipps):
    vipps = make_vipps()
    body, headers = vipps_server.webhook(
        secret=WEBHOOK_SECRET, reference="IKT-7Q2K-abcdef1234", name="AUTHORIZED", value=40000
    )
    status = vipps.verify_webhook(
        body=body, headers=headers, path_and_query="/betaling/webhook/vipps/"
    )
    assert status.provider_reference == "IKT-7Q2K-abcdef1234"
    assert (status.state, status.authorized_ore) == (ProviderState.AUTHORIZED, 40000)
    assert status.event_name == "AUTHORIZED" and status.event_id.startswith("vipps-")
    # The same delivery twice is the same event.
    again = vipps.verify_webhook(
        body=body, headers=headers, path_and_query="/betaling/webhook/vipps/"
    )
    assert again.event_id == status.event_id


@pytest.mark.parametrize(
    ("name", "success", "state"),
    [
        ("CREATED", True, ProviderState.CREATED),
        ("ABORTED", True, ProviderState.ABORTED),
        ("EXPIRED", True, ProviderState.EXPIRED),
        ("TERMINATED", True, ProviderState.TERMINATED),
        ("CANCELLED", True, ProviderState.TERMINATED),
        ("CAPTURED", True, None),
        ("REFUNDED", True, None),
        ("AUTHORIZED", False, None),
    ],
)
def test_every_epayment_event_maps(vipps_server, make_vipps, name, success, state):
    body, headers = vipps_server.webhook(
        secret=WEBHOOK_SECRET, reference="reference-1", name=name, value=100, success=success
    )
    status = make_vipps().verify_webhook(
        body=body, headers=headers, path_and_query="/betaling/webhook/vipps/"
    )
    assert status.state is state
    assert status.captured_ore is None and status.refunded_ore is None  # never totals


def test_forged_webhooks_are_401(vipps_server, make_vipps):
    vipps = make_vipps()
    path = "/betaling/webhook/vipps/"
    body, headers = vipps_server.webhook(
        secret="not-the-secret", reference="reference-1", name="AUTHORIZED", value=100
    )
    cases = [
        (body, headers),  # signed with another secret
        (body, {k: v for k, v in headers.items() if k != "authorization"}),  # unsigned
    ]
    for forged_body, forged_headers in cases:
        with pytest.raises(WebhookRejected) as rejected:
            vipps.verify_webhook(body=forged_body, headers=forged_headers, path_and_query=path)
        assert rejected.value.status == 401


def test_a_tampered_body_is_refused_although_the_signature_is_vipps(vipps_server, make_vipps):
    body, headers = vipps_server.webhook(
        secret=WEBHOOK_SECRET, reference="reference-1", name="AUTHORIZED", value=100
    )
    tampered = body.replace(b'"value": 100', b'"value": 999')
    assert tampered != body
    with pytest.raises(WebhookRejected, match="not the one signed") as rejected:
        make_vipps().verify_webhook(
            body=tampered, headers=headers, path_and_query="/betaling/webhook/vipps/"
        )
    assert rejected.value.status == 401


@pytest.mark.parametrize("offset", [timedelta(minutes=-6), timedelta(minutes=6)])
def test_a_webhook_outside_the_replay_window_is_400(vipps_server, make_vipps, offset):
    now = datetime(2026, 12, 7, 3, 0, tzinfo=UTC)
    body, headers = vipps_server.webhook(
        secret=WEBHOOK_SECRET, reference="reference-1", name="AUTHORIZED", value=100, now=now
    )
    vipps = make_vipps(clock=_at(now + offset))
    with pytest.raises(WebhookRejected, match="replay window") as rejected:
        vipps.verify_webhook(body=body, headers=headers, path_and_query="/betaling/webhook/vipps/")
    assert rejected.value.status == 400
    inside = make_vipps(clock=_at(now + offset / 3))
    assert (
        inside.verify_webhook(
            body=body, headers=headers, path_and_query="/betaling/webhook/vipps/"
        ).state
        is ProviderState.AUTHORIZED
    )


def test_without_a_webhook_secret_every_webhook_is_refused(vipps_server, make_vipps):
    body, headers = vipps_server.webhook(
        secret="", reference="reference-1", name="AUTHORIZED", value=100
    )
    with pytest.raises(WebhookRejected) as rejected:
        make_vipps(webhook_secret="").verify_webhook(
            body=body, headers=headers, path_and_query="/betaling/webhook/vipps/"
        )
    assert rejected.value.status == 401


# --- configuration -------------------------------------------------------------------------


def test_check_config_names_what_is_missing():
    problems = VippsProvider(base_url="http://apitest.vipps.no", msn="12").check_config()
    text = " ".join(problems)
    for name in (
        "IKTIPET_VIPPS_CLIENT_ID",
        "IKTIPET_VIPPS_CLIENT_SECRET",
        "IKTIPET_VIPPS_SUBSCRIPTION_KEY",
        "IKTIPET_VIPPS_WEBHOOK_SECRET",
    ):
        assert name in text
    assert "IKTIPET_VIPPS_MSN='12'" in text
    assert "IKTIPET_VIPPS_BASE_URL" in text
    ready = VippsProvider(
        client_id="a", client_secret="b", subscription_key="c", msn="123456", webhook_secret="s"
    )
    assert ready.check_config() == []


def test_options_come_from_the_settings_and_an_agency_may_bring_its_own():
    conf = SimpleNamespace(
        VIPPS_CLIENT_ID="id",
        VIPPS_CLIENT_SECRET="secret",
        VIPPS_SUBSCRIPTION_KEY="key",
        VIPPS_MSN="654321",
        VIPPS_BASE_URL="https://api.vipps.no",
        VIPPS_WEBHOOK_SECRET="hook",
        PAYMENT_PROVIDER_TIMEOUT=7,
    )
    options = payment_providers.options("vipps", conf)
    assert options["msn"] == "654321" and options["timeout"] == 7
    vipps = payment_providers.create("vipps", **options)
    assert isinstance(vipps, VippsProvider) and vipps.check_config() == []
    agency = payment_providers.create("vipps", **{**options, "msn": "111111"})
    assert agency.msn == "111111"
