"""The accessibility statement's feedback channel: a form (name and email optional, message
required) that becomes a message to the operator: kept, shown read-only in the admin, and
emailed to IKTIPET_FEEDBACK_EMAIL when set."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from iktipet.accounts.models import User
from iktipet.accounts.testing import sign_in_staff
from iktipet.core.demo_data import load_municipality
from iktipet.core.models import AuditEvent
from iktipet.portal.models import Feedback
from support.payments import run_worker

pytestmark = pytest.mark.django_db

FORM = "/tilgjengelighet/tilbakemelding/"
SENT = "/tilgjengelighet/tilbakemelding/sendt/"
MESSAGE = "Skjemaet for barnehageplass leses ikke opp riktig med skjermleser."


@pytest.fixture(autouse=True)
def oslo(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.FEEDBACK_EMAIL = ""
    load_municipality()


def _post(client, **data):
    return client.post(FORM, {"name": "", "email": "", "message": "", **data})


def test_the_statement_links_to_the_form_and_keeps_the_uutilsynet_link(client):
    page = client.get(reverse("accessibility")).content.decode()
    assert f'href="{FORM}"' in page
    assert 'href="https://www.uutilsynet.no/"' in page
    form = client.get(FORM)
    assert form.status_code == 200
    html = form.content.decode()
    assert "<script" not in html.split("<main", 1)[1]  # no JavaScript needed
    assert 'name="csrfmiddlewaretoken"' in html
    for name in ("name", "email", "message"):
        assert re.search(rf'<label class="ds-label" for="id_{name}">', html), name


def test_feedback_is_kept_audited_and_ends_on_a_thank_you_page(client):
    r = _post(client, name="Ada Test", email="ada@example.invalid", message=MESSAGE)
    assert r.status_code == 302 and r.url == SENT  # POST-redirect-GET
    sent = client.get(SENT)
    assert sent.status_code == 200
    assert "Vi har mottatt meldingen din." in sent.content.decode()
    feedback = Feedback.objects.get()
    assert (feedback.name, feedback.email, feedback.message) == (
        "Ada Test",
        "ada@example.invalid",
        MESSAGE,
    )
    event = AuditEvent.objects.get(action="portal.feedback_received")
    assert event.target_id == str(feedback.pk) and event.details == {}  # not what was written
    # No address configured: kept for the admin, nothing mailed.
    assert run_worker() == 0 and mail.outbox == []


def test_name_and_email_are_optional(client):
    assert _post(client, message=MESSAGE).url == SENT
    assert Feedback.objects.get().name == ""


def test_it_is_emailed_to_the_operator_when_an_address_is_set(client, settings):
    settings.FEEDBACK_EMAIL = "uu@oslo.example.invalid"
    _post(client, name="Ada Test", email="ada@example.invalid", message=MESSAGE)
    assert mail.outbox == []  # in the background, not in the request
    assert run_worker() == 1
    (email,) = mail.outbox
    assert email.to == ["uu@oslo.example.invalid"]
    assert email.reply_to == ["ada@example.invalid"]
    assert email.subject == "Tilbakemelding om tilgjengelighet"
    assert MESSAGE in email.body and "Navn: Ada Test" in email.body


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        (
            {"name": "Ada Test", "email": "ada@example.invalid"},
            "message",
            "Skriv hva som ikke fungerte.",
        ),
        (
            {"name": "Ada Test", "email": "ada(at)example", "message": MESSAGE},
            "email",
            "Skriv e-postadressen som navn@eksempel.no.",
        ),
        (
            {"name": "Ada Test", "email": "", "message": "x" * 5001},
            "message",
            "Meldingen kan ha høyst 5000 tegn (den har 5001).",
        ),
        ({"name": "Ada\x1bTest", "email": "", "message": MESSAGE}, "name", None),
    ],
)
def test_errors_stand_beside_their_field_and_what_was_typed_is_kept(client, data, field, error):
    r = _post(client, **data)
    assert r.status_code == 400
    html = r.content.decode()
    assert html.count('class="ds-validation-message"') == 1
    beside = re.search(
        rf'for="id_{field}">[^<]*<div class="ds-validation-message"[^>]*>([^<]+)<', html
    )
    assert beside, html
    if error:
        assert beside.group(1) == error
    assert f'<a class="ds-link" href="#id_{field}">{beside.group(1)}</a>' in html  # the summary
    assert re.search(rf'id="id_{field}"[^>]*aria-invalid="true"', html)
    assert "<title>Feil:" in html
    if data["name"] and "\x1b" not in data["name"]:
        assert 'value="Ada Test"' in html
    if data.get("email"):
        assert f'value="{data["email"]}"' in html
    if data.get("message") and len(data["message"]) < 100:
        assert f">{MESSAGE}</textarea>" in html
    assert not Feedback.objects.exists()


def test_english(client):
    client.cookies["django_language"] = "en"
    r = _post(client, name="Ada")
    html = r.content.decode()
    assert "Write what did not work." in html and "What did not work for you?" in html
    assert 'value="Ada"' in html


def test_a_post_without_the_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    assert _post(client, message=MESSAGE).status_code == 403
    assert not Feedback.objects.exists()


def test_too_many_messages_from_one_address_are_refused(client):
    for _ in range(5):
        assert _post(client, message=MESSAGE).status_code == 302
    r = _post(client, message=MESSAGE)
    assert r.status_code == 429 and r["Retry-After"] == "3600"
    assert Feedback.objects.count() == 5
    assert client.get(FORM).status_code == 200  # the form itself is still shown


def test_operators_read_it_in_the_admin_but_nobody_changes_it(client):
    _post(Client(), name="Ada Test", message=MESSAGE)
    feedback = Feedback.objects.get()
    sign_in_staff(client, [(None, "operator")], username="operator")
    User.objects.filter(username="operator").update(is_staff=True)
    listing = client.get(reverse("admin:portal_feedback_changelist"))
    assert listing.status_code == 200 and "Ada Test" in listing.content.decode()
    change = reverse("admin:portal_feedback_change", args=[feedback.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"message": "endret"}).status_code == 403
    assert client.get(reverse("admin:portal_feedback_add")).status_code == 403
    feedback.refresh_from_db()
    assert feedback.message == MESSAGE


def test_a_case_worker_does_not_see_it(client):
    sign_in_staff(client, [("naeringsetaten", "case_worker")], username="worker")
    User.objects.filter(username="worker").update(is_staff=True)
    assert client.get(reverse("admin:portal_feedback_changelist")).status_code == 403


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_a_browser_by_keyboard_with_axe_on_every_page(page, live_server, axe_check):
    page.goto(f"{live_server.url}/tilgjengelighet/")
    link = page.get_by_role("link", name="Meld fra om tilgjengelighet")
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    axe_check(page)
    page.get_by_label("Navn (valgfritt)").fill("Ada Test")
    with page.expect_navigation():
        page.get_by_role("button", name="Send tilbakemeldingen").click()
    assert "Skriv hva som ikke fungerte." in page.locator(".ds-error-summary").inner_text()
    assert page.get_by_label("Navn (valgfritt)").input_value() == "Ada Test"
    axe_check(page)
    page.get_by_label("Hva fungerte ikke for deg?").fill(MESSAGE)
    with page.expect_navigation():
        page.get_by_role("button", name="Send tilbakemeldingen").click()
    assert page.url.endswith(SENT)
    assert page.locator("h1").inner_text() == "Takk for tilbakemeldingen"
    axe_check(page)
    assert page.csp_violations == []
    assert Feedback.objects.get().name == "Ada Test"
