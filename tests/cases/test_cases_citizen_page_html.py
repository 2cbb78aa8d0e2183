"""The applicant's case page written in Python (``cases.citizen_html.case_page_html``, issue
13): the whole page is the same HTML, byte for byte, as the template it replaced (kept with its
partials in ``templates_before/citizen_case/``), rendered from the context the view made for
real cases: with history, a request for information, messages and claims; refused forms; a
decision, its appeal and the appeal case; kindergarten offers open, answered and expired; a
closed case; another app's section. In Norwegian and English; every value a person, a case
worker or an agency wrote escaped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.template.backends.django import DjangoTemplates
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from iktipet.accounts.testing import sign_in_staff
from iktipet.cases import services
from iktipet.cases.citizen_html import case_page_html
from iktipet.cases.models import Case, Offer
from iktipet.cases.selectors import CasePayment
from iktipet.cases.views import citizen
from support.cases import case_url, submitted_case
from support.python_pages import django_settings

BEFORE = Path(__file__).parent / "templates_before" / "citizen_case"
HOSTILE = "<script>alert(\"x\")</script> & 'q'"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;"
LANGUAGES = ["nb", "en"]
#: Across the switch to summer time: 00:30 UTC is 01:30 or 02:30 in Oslo.
SPRING = dt.datetime(2026, 3, 29, 0, 30, tzinfo=dt.UTC)


def _before() -> DjangoTemplates:
    """The project's template engine with the old page (and its partials) found first."""
    template_settings = django_settings()
    return DjangoTemplates(
        {
            "NAME": "citizen-case-before",
            "DIRS": [BEFORE, *template_settings["DIRS"]],
            "APP_DIRS": False,
            "OPTIONS": dict(template_settings["OPTIONS"]),
        }
    )


class Page:
    """Each page the view renders: its request and context, kept to render again."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.seen: list[tuple[Any, dict[str, Any]]] = []
        real = citizen.render

        def render(request: Any, template: str, context: dict[str, Any], **kwargs: Any) -> Any:
            if template == "cases/citizen/case.html":
                self.seen.append((request, context))
            return real(request, template, context, **kwargs)

        monkeypatch.setattr(citizen, "render", render)

    def both(self, client: Client, url: str, data: dict[str, Any] | None = None, **overrides):
        """The page at ``url`` (posted ``data``) by the old template and by the new page,
        from the view's context with ``overrides``."""
        self.seen.clear()
        response = client.post(url, data) if data is not None else client.get(url)
        assert response.status_code in (200, 400), response.status_code
        ((request, context),) = self.seen
        assert context["reply_action"] == reverse("cases:message", args=[context["case"].pk])
        if not overrides:  # the response itself is the new page
            assert response.content.decode() == render_to_string(
                "cases/citizen/case.html", context, request
            )
        context = {**context, **overrides}
        context["page_head"], context["page_tail"] = case_page_html(context)
        old = _before().get_template("cases/citizen/case.html").render(context, request)
        new = render_to_string("cases/citizen/case.html", context, request)
        return old, new


def _assert_same(old: str, new: str) -> str:
    if old != new:  # the first difference, readable
        at = next(i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b)
        around = slice(max(at - 200, 0), at + 200)
        raise AssertionError(f"old: {old[around]!r}\nnew: {new[around]!r}")
    assert 'id="timeline-heading"' in new and 'id="meldinger"' in new
    assert "<script>" not in new
    return new


@pytest.fixture
def page(monkeypatch):
    return Page(monkeypatch)


@pytest.fixture
def office(agencies) -> Client:
    client = Client()
    sign_in_staff(client, [("naeringsetaten", "case_worker")])
    return client


def _hostile_case(case: Case) -> Case:
    """The case's and the agency's words made hostile, as the page reads them."""
    case.title = HOSTILE
    case.party_kind, case.party_name = "organisation", HOSTILE
    case.agency.name_nb = case.agency.name_en = HOSTILE
    case.agency.email = f"{HOSTILE}@example.no"
    return case


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_new_case_and_one_with_history_messages_claims_and_a_request(
    kari, staff, office, page, language
):
    case = submitted_case()
    url = case_url(case)
    with translation.override(language):
        _assert_same(*page.both(kari, url))  # one event, no message
    for body in (HOSTILE, f"{HOSTILE}\nto\n\ntre"):
        services.post_staff_message(case, user=staff, body=body)
    due = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    for text in (HOSTILE, "Befaring"):
        response = office.post(
            reverse("casework:claim", args=[case.pk]),
            {"text": text, "amount": "1234.5", "reason": HOSTILE, "due_date": due},
        )
        assert response.status_code == 302, response.content.decode()[:500]
    services.request_information(case, user=staff, body=f"{HOSTILE}\n\nSend tegningen.")
    kari.post(reverse("cases:message", args=[case.pk]), {"body": "Her er svaret."})
    case.refresh_from_db()
    services.request_information(case, user=staff, body=HOSTILE)
    with translation.override(language):
        new = _assert_same(*page.both(kari, url))  # more than five events
        assert ESCAPED in new and "mycase-earlier" in new and "mycase-payment" in new
        assert "mycase-request" in new
        _assert_same(
            *page.both(
                kari,
                url,
                case=_hostile_case(page.seen[0][1]["case"]),
                expected_by=dt.date(2026, 12, 24),
                reply_errors={"body": HOSTILE, "files": HOSTILE},
                reply_body=HOSTILE,
            )
        )
        # A message refused: its error and what was typed.
        old, new = page.both(kari, reverse("cases:message", args=[case.pk]), {"body": "x" * 10001})
        assert "reply-error-summary" in _assert_same(old, new)
        # No timeline, no thread.
        _assert_same(*page.both(kari, url, timeline=None, thread_messages=[]))


@pytest.mark.parametrize("language", LANGUAGES)
def test_payments_of_every_kind(kari, page, language):
    case = submitted_case()

    def order(state: str, due: dt.date | None, amount: Any = 123450) -> Any:
        from iktipet.payments.models import PaymentOrder

        found = PaymentOrder(
            title=HOSTILE, amount_ore=amount, state=state, due_date=due, payable_kind="case"
        )
        found.pk = "5b0b8a3c-6f5e-4a5b-9c1d-000000000001"
        return found

    payments = [
        CasePayment(order("open", dt.date(2026, 3, 29)), None),
        CasePayment(order("open", None), SimpleNamespace(reason=HOSTILE)),
        CasePayment(order("captured", dt.date(2026, 3, 29), 5), SimpleNamespace(reason="")),
        CasePayment(order("cancelled", dt.date(2026, 3, 29), 0), None),
    ]
    with translation.override(language):
        new = _assert_same(*page.both(kari, case_url(case), payments=payments))
    assert new.count('class="mycase-payment"') == 4


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_decision_its_appeal_and_the_appeal_case(kari, staff, page, language):
    case = submitted_case()
    url = case_url(case)
    services.decide_case(
        case,
        user=staff,
        outcome="refused",
        justification=f"{HOSTILE}\n\nTo.",
        legal_basis=HOSTILE,
        appeal_body=HOSTILE,
    )
    with translation.override(language):
        _assert_same(*page.both(kari, url))  # delivered on this view
        _assert_same(*page.both(kari, url, appeal_deadline_passed=True))
        _assert_same(*page.both(kari, url, case=_hostile_case(page.seen[0][1]["case"])))
    response = kari.post(reverse("cases:appeal", args=[case.pk]), {"grounds": HOSTILE})
    assert response.status_code == 302
    appeal_case = Case.objects.get(appeal_of=case)
    with translation.override(language):
        new = _assert_same(*page.both(kari, url))  # the appeal listed; no second appeal
        assert reverse("cases:appeal", args=[case.pk]) not in new
        assert reverse("cases:case", args=[appeal_case.pk]) in new
        _assert_same(*page.both(kari, url, may_appeal=True, appeal_deadline_passed=True))
        _assert_same(*page.both(kari, case_url(appeal_case)))
        page.seen[0][1]["appeal_case"].late = True
        late = page.seen[0][1]["appeal_case"]
        _assert_same(*page.both(kari, case_url(appeal_case), appeal_case=late))
        Case.objects.filter(pk=case.pk).update(is_open=False, status="closed")
        _assert_same(*page.both(kari, url))  # closed: the agency's address, no form
        _assert_same(*page.both(kari, url, case=_hostile_case(page.seen[0][1]["case"])))
        page.seen[0][1]["case"].agency.email = ""
        _assert_same(*page.both(kari, url, case=page.seen[0][1]["case"]))


@pytest.mark.parametrize("language", LANGUAGES)
def test_kindergarten_offers_open_answered_and_expired(kari, page, language):
    kindergarten_staff = sign_in_staff(Client(), [("utdanningsetaten", "case_worker")])
    case = submitted_case("barnehagesak", workflow="barnehage", title="Søknad om barnehageplass")
    offer = services.make_offer(
        case,
        user=kindergarten_staff,
        kindergarten_id="bhg-001",
        start_date=timezone.localdate() + dt.timedelta(days=40),
    )
    url = case_url(case)

    def past(status: str) -> Offer:
        return Offer(
            case=case,
            kindergarten_name=HOSTILE,
            start_date=dt.date(2026, 8, 1),
            answer_by=SPRING,
            answered_at=SPRING + dt.timedelta(hours=1),
            status=status,
        )

    answered = [past("accepted"), past("declined"), past("expired")]
    with translation.override(language):
        new = _assert_same(*page.both(kari, url))
        assert reverse("cases:answer_offer", args=[case.pk, offer.pk]) in new
        _assert_same(*page.both(kari, url, past_offers=answered, offer_error=HOSTILE))
        _assert_same(*page.both(kari, url, open_offer=None, past_offers=answered))
        # Refused: neither yes nor no.
        old, new = page.both(kari, reverse("cases:answer_offer", args=[case.pk, offer.pk]), {})
        assert 'data-color="danger"' in _assert_same(old, new)


@pytest.mark.parametrize("language", LANGUAGES)
def test_another_apps_section_between_in_oslo_time(kari, page, language):
    case = submitted_case()
    section = {
        "deadline": SPRING,
        "notices": [],
        "answered": 0,
        "by_post_or_hand": [SimpleNamespace(name=HOSTILE, address=HOSTILE, properties_text="")],
        "summary_url": "",
    }
    sections = [{"template": "nabovarsel/_replies.html", "context": section}] * 2
    with translation.override(language):
        new = _assert_same(*page.both(kari, case_url(case), sections=sections))
    assert new.count("nabovarsel-replies-heading") == 4
