"""The staff case page written in Python (cases/staff_page_html.py, cases/staff_sections_html.py;
issue 13): the whole page is the same HTML, byte for byte, as the template it replaced (kept
with its partials in templates_before/staff_case/), for real cases of three workflows seen by
a case worker and an agency admin, every section filled (appeal, hearings, decision, offers,
payments), every form refused with every error and what was typed, in Norwegian and English;
every value escaped."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.template.backends.django import DjangoTemplates
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone, translation

from iktipet.accounts.models import User
from iktipet.accounts.testing import sign_in_staff
from iktipet.cases import selectors
from iktipet.cases.models import Case
from iktipet.cases.views.staff import case_context, write_page
from support.cases import PDF, submitted_case
from support.python_pages import django_settings

BEFORE = Path(__file__).parent / "templates_before" / "staff_case"
HOSTILE = "<script>alert(\"x\")</script> & 'q'"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;q&#x27;"


def _before() -> DjangoTemplates:
    """The project's template engine with the old page (and its partials) found first."""
    template_settings = django_settings()
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
    write_page(context, user.pk)
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
            {"title": HOSTILE, "rows": [{"label": HOSTILE, "value": f"{HOSTILE}\nto\r\n\rtre"}]},
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


class _Shown:
    """A model's stand-in: its attributes, and ``get_<field>_display`` as given."""

    def __init__(self, displays: dict[str, str] | None = None, **values: Any) -> None:
        self.__dict__.update(values)
        for field, text in (displays or {}).items():
            setattr(self, f"get_{field}_display", lambda text=text: text)


def _sections(case: Case) -> dict[str, Any]:
    """Every section below the actions filled, with people's words hostile: an appeal of a
    decided case, three hearings (answered with and without remarks, and open), a decision,
    two offers, three payments."""
    import uuid

    now = timezone.now()
    today = timezone.localdate()
    ids = [uuid.uuid4() for _ in range(6)]
    hearings = [
        _Shown(pk=7, label=HOSTILE, answered_at=now, has_remarks=True, response=HOSTILE),
        _Shown(pk=8, label="Politiet", answered_at=now, has_remarks=False, response=""),
        _Shown(pk=9, label=HOSTILE, answered_at=None, has_remarks=None, response=""),
    ]
    for hearing in hearings:
        hearing.form_name = f"hearing_response-{hearing.pk}"
    return {
        "original": _Shown(pk=ids[3], reference="2026-000001", title=HOSTILE),
        "original_decision": _Shown({"outcome": HOSTILE}, decided_at=now),
        "appeal": _Shown(grounds=f"{HOSTILE}\n\nto", late=True),
        "hearings": hearings,
        "decision": _Shown(
            {"outcome": "innvilget"},
            decided_at=now,
            decided_by_label=HOSTILE,
            appeal_deadline=today,
        ),
        "offers": [
            _Shown(
                {"status": HOSTILE},
                kindergarten_name=HOSTILE,
                start_date=today,
                status="offered",
                answer_by=now,
            ),
            _Shown(
                {"status": "takket ja"},
                kindergarten_name="Solsikken",
                start_date=today,
                status="accepted",
                answer_by=now,
            ),
        ],
        "payments": [
            _Shown(
                order=_Shown(
                    {"state": HOSTILE},
                    pk=ids[4],
                    title=HOSTILE,
                    amount_ore=123456,
                    refunded_ore=100,
                    due_date=None,
                    reference=HOSTILE,
                ),
                is_claim=False,
                claim=None,
            ),
            _Shown(
                order=_Shown(
                    {"state": "betalt"},
                    pk=ids[5],
                    title="Gebyr",
                    amount_ore=50000,
                    refunded_ore=0,
                    due_date=today,
                    reference="P-1",
                ),
                is_claim=True,
                claim=_Shown({"kind": HOSTILE}, reason=HOSTILE),
            ),
            _Shown(
                order=_Shown(
                    {"state": "ny"},
                    pk=ids[5],
                    title="Gebyr",
                    amount_ore=0,
                    refunded_ore=None,
                    due_date=today,
                    reference="P-2",
                ),
                is_claim=True,
                claim=_Shown({"kind": "gebyr"}, reason=""),
            ),
        ],
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_section_below_the_actions(client, worker, language):
    case = _hostile(submitted_case(attachment=PDF))
    sections = _sections(case)
    hearing_form = sections["hearings"][2].form_name
    typed = {
        "has_remarks": "yes",
        "response": HOSTILE,
        "text": HOSTILE,
        "amount": HOSTILE,
        "reason": HOSTILE,
        "due_date": HOSTILE,
        "body": HOSTILE,
    }
    every_error = {
        field: f"{field}: {HOSTILE}"
        for field in (
            "__all__",
            "has_remarks",
            "response",
            "text",
            "amount",
            "reason",
            "due_date",
            "body",
            "files",
        )
    }
    with translation.override(language):
        _assert_same(*_both(worker, case, **sections))
        _assert_same(*_both(worker, case, **sections, may_claim=False))
        for form in (hearing_form, "claim", "message"):
            for errors in (every_error, {}):
                for remarks in ("yes", "no"):
                    old, new = _both(
                        worker,
                        case,
                        failed=form,
                        errors=errors,
                        message=HOSTILE,
                        typed={**typed, "has_remarks": remarks},
                        **sections,
                    )
                    _assert_same(old, new)
        # no appeal, decision without a deadline, no payments, nothing to hear or offer
        _assert_same(
            *_both(
                worker,
                case,
                **{
                    **sections,
                    "original": None,
                    "decision": _Shown(
                        {"outcome": "avslått"},
                        decided_at=timezone.now(),
                        decided_by_label="x",
                        appeal_deadline=None,
                    ),
                    "hearings": [],
                    "offers": [],
                    "payments": [],
                },
            )
        )
        _assert_same(
            *_both(
                worker,
                case,
                **{**sections, "original_decision": None, "appeal": None},
            )
        )
    old, html = _both(
        worker, case, failed=hearing_form, errors=every_error, typed=typed, **sections
    )
    assert "<script" not in html and "'q'" not in html
    assert f'<h3 class="ds-heading" data-size="xs" id="hearing-{sections["hearings"][0].pk}' in html
    assert f">{ESCAPED}</textarea>" in html  # the hearing's typed response
    assert 'id="payments-heading"' in html and 'id="claim-form"' in html
