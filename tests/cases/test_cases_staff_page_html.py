"""The staff case page's head, actions and answers written in Python (cases/staff_page_html.py,
issue 13): the whole page is the same HTML, byte for byte, as the template it replaced (kept
with its three partials in templates_before/staff_case/), for real cases of three workflows
seen by a case worker and an agency admin, every form refused with every error and what was
typed, in Norwegian and English; every value escaped."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.template.backends.django import DjangoTemplates
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation

from iktipet.accounts.models import User
from iktipet.accounts.testing import sign_in_staff
from iktipet.cases import selectors
from iktipet.cases.models import Case
from iktipet.cases.staff_page_html import actions_html, answers_html, head_html
from iktipet.cases.views.staff import case_context
from support.cases import PDF, submitted_case

BEFORE = Path(__file__).parent / "templates_before" / "staff_case"
HOSTILE = "<script>alert(\"x\")</script> & 'q'"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;"


def _before() -> DjangoTemplates:
    """The project's template engine with the old page (and its partials) found first."""
    template_settings = settings.TEMPLATES[0]
    return DjangoTemplates(
        {
            "NAME": "staff-case-before",
            "DIRS": [BEFORE, *template_settings["DIRS"]],
            "APP_DIRS": False,
            "OPTIONS": dict(template_settings["OPTIONS"]),
        }
    )


@dataclass
class Label:
    """A workflow text (``label.get()``) a test chooses."""

    text: str

    def get(self) -> str:
        return self.text


@dataclass
class Transition:
    id: str
    label: Label


def _request(user: User, case: Case, data: dict[str, Any] | None) -> Any:
    factory = RequestFactory()
    path = f"/saksbehandling/saker/{case.pk}/"
    request = factory.post(path, data) if data is not None else factory.get(path)
    request.user = user
    request.session = {}
    return request


def _both(user, case, *, failed="", errors=None, message="", typed=None, **overrides):
    """The page rendered by the old template and by the new one from the same context."""
    request = _request(user, case, typed if failed else None)
    case = selectors.case_page_for_staff(user, case.pk)
    context = case_context(request, case, failed=failed, errors=errors, message=message)
    context.update(overrides)
    context["head_html"] = head_html(context)
    context["actions_html"] = actions_html(context, context["csrf_token"], user.pk)
    context["answers_html"] = answers_html(context)
    old = _before().get_template("cases/staff/case.html").render(context, request)
    new = render_to_string("cases/staff/case.html", context, request)
    return old, new


def _assert_same(old: str, new: str) -> None:
    if old != new:  # the first difference, readable
        at = next(i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b)
        around = slice(max(at - 200, 0), at + 200)
        raise AssertionError(f"old: {old[around]!r}\nnew: {new[around]!r}")
    assert 'id="actions-heading"' in new and 'id="answers-heading"' in new


@pytest.fixture
def worker(client, agencies):
    return sign_in_staff(client, [("naeringsetaten", "case_worker")])


@pytest.fixture
def admin(client, agencies):
    return sign_in_staff(
        client, [("naeringsetaten", "agency_admin")], username="boss", name=(HOSTILE, "Sjef")
    )


def _hostile(case: Case) -> Case:
    """The person's words in the case, its answers and its file made hostile."""
    Case.objects.filter(pk=case.pk).update(
        title=HOSTILE,
        party_name=HOSTILE,
        party_kind="organisation",
        party_identifier="<b>&'\"9x",  # the column holds 20
        waiting_until=timezone.now(),
        due_date=timezone.localdate() - timezone.timedelta(days=3),
    )
    application = case.application
    application.summary = {
        "sections": [
            {"title": HOSTILE, "rows": [{"label": HOSTILE, "value": f"{HOSTILE}\nto\n\ntre"}]},
            {"title": "Tom", "rows": []},
            {"rows": [{"label": "Uten verdi"}]},
        ]
    }
    application.save(update_fields=["summary"])
    application.attachments.update(original_name=HOSTILE)
    return case


LANGUAGES = ["nb", "en"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_received_case_for_a_worker_and_an_admin(client, worker, language):
    case = submitted_case(attachment=PDF)
    other = submitted_case(publish_service=False)
    Case.objects.filter(pk=other.pk).update(assignee=worker, due_date=None)
    admin = sign_in_staff(
        client, [("naeringsetaten", "agency_admin")], username="boss", name=(HOSTILE, "Sjef")
    )
    with translation.override(language):
        _assert_same(*_both(worker, case))
        _assert_same(*_both(worker, other))  # the viewer's own: release, no "assign me"
        _assert_same(*_both(admin, case))
        _assert_same(*_both(admin, other))  # another's: release and assign to
        Case.objects.filter(pk=case.pk).update(status="closed")
        old, new = _both(worker, case)  # no action from a closed case
        _assert_same(old, new)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_form_refused_with_every_error(client, worker, language):
    case = _hostile(submitted_case(attachment=PDF))
    admin = sign_in_staff(
        client, [("naeringsetaten", "agency_admin")], username="boss", name=(HOSTILE, "Sjef")
    )
    Case.objects.filter(pk=case.pk).update(assignee=worker)
    typed = {
        "note": HOSTILE,
        "body": HOSTILE,
        "answer_days": HOSTILE,
        "outcome": "granted",
        "justification": HOSTILE,
        "legal_basis": HOSTILE,
        "appeal_body": HOSTILE,
        "kindergarten": "bhg-001",
        "start_date": HOSTILE,
        "assignee": HOSTILE,
    }
    every_error = {
        field: f"{field}: {HOSTILE}"
        for field in (
            "__all__",
            "assignee",
            "note",
            "body",
            "files",
            "answer_days",
            "outcome",
            "justification",
            "legal_basis",
            "appeal_body",
            "kindergarten",
            "start_date",
        )
    }
    forms = [
        "assign",
        "transition-start_review",
        "transition-close",
        "request_information",
        "hearing",
        "decide",
        "offer",
        "claim",
        "message",
    ]
    extra = {
        "hearing_transition": Transition("hearing", Label(HOSTILE)),
        "offer_transition": Transition("offer", Label(HOSTILE)),
        "kindergartens": [("bhg-002", HOSTILE), ("bhg-001", "Solsikken"), (HOSTILE, "x")],
        "default_appeal_body": HOSTILE,
        "generic_transitions": [
            Transition("start_review", Label(HOSTILE)),
            Transition("close", Label("Lukk «saken»")),
        ],
    }
    with translation.override(language):
        for viewer in (worker, admin):
            _assert_same(*_both(viewer, case, **extra))
            for form in forms:
                for errors in (every_error, {"__all__": HOSTILE}, {}):
                    old, new = _both(
                        viewer,
                        case,
                        failed=form,
                        errors=errors,
                        message=HOSTILE if errors else "",
                        typed=typed,
                        **extra,
                    )
                    _assert_same(old, new)
        # no kindergartens to offer, no sections, no files
        _assert_same(
            *_both(worker, case, **{**extra, "kindergartens": []}, sections=[], attachments=[])
        )
        _assert_same(
            *_both(worker, case, failed="decide", typed={"outcome": "rejected"}, errors={})
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_hearing_and_offer_workflows(client, agencies, language):
    from django.urls import reverse

    roles = [("naeringsetaten", "case_worker"), ("utdanningsetaten", "case_worker")]
    worker = sign_in_staff(client, roles)
    hearing = submitted_case("skjenke", workflow="skjenkebevilling")
    client.post(reverse("casework:transition", args=[hearing.pk, "start_review"]))
    offer = submitted_case("barnehagesak", workflow="barnehage", title="Søknad om plass")
    client.post(reverse("casework:transition", args=[offer.pk, "start_review"]))
    with translation.override(language):
        for case in (hearing, offer):
            old, new = _both(worker, case)
            _assert_same(old, new)
        old, new = _both(worker, hearing)
        assert 'id="hearing-form"' in new
        old, new = _both(worker, offer, failed="offer", typed={"kindergarten": "bhg-001"})
        _assert_same(old, new)


def test_people_s_words_are_escaped(client, worker):
    case = _hostile(submitted_case(attachment=PDF))
    admin = sign_in_staff(
        client, [("naeringsetaten", "agency_admin")], username="boss", name=(HOSTILE, "Sjef")
    )
    Case.objects.filter(pk=case.pk).update(assignee=admin)
    _old, html = _both(
        admin,
        case,
        failed="decide",
        errors={"justification": HOSTILE},
        message=HOSTILE,
        typed={"justification": HOSTILE, "appeal_body": HOSTILE},
    )
    assert "<script" not in html and "'q'" not in html
    assert f"{ESCAPED}</h1>" in html  # the title
    assert f"<dd>{ESCAPED}<br>to<br><br>tre</dd>" in html  # an answer, its lines kept
    assert f" download>{ESCAPED}</a>" in html  # the file's name
    assert f'maxlength="200" value="{ESCAPED}"' in html  # typed
    assert f'id="decide-justification-error">{ESCAPED}</div>' in html
