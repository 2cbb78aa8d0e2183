"""NUL and the other control characters in every text input of the case pages: an error on
the field with what was typed kept, never a 500 (PostgreSQL refuses NUL in text); and a
cursor the inbox did not make (one that overflows in UTC too) is the first page.

Run on PostgreSQL too: IKTIPET_DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db>.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iktipet.accounts.testing import sign_in_citizen, sign_in_staff
from iktipet.cases import inbox
from iktipet.cases.models import Case, CaseEvent, Decision, HearingRequest
from iktipet.messaging.models import Message
from support.cases import KARI, submitted_case

#: What :mod:`iktipet.core.forms` refuses and an HTTP client can send (no lone surrogates).
CONTROLS = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]] + [
    chr(c) for c in range(0x80, 0xA0)
]
REFUSED = "usynlig kontrolltegn"
INBOX = reverse("casework:inbox")

#: Text holding at least one refused character somewhere.
with_control = st.builds(
    lambda before, control, after: before + control + after,
    st.text(max_size=12),
    st.sampled_from(CONTROLS),
    st.text(max_size=12),
)
examples = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _cursor(moment: str, pk: uuid.UUID | None = None) -> str:
    raw = json.dumps([moment, str(pk or uuid.uuid4())]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _refs(response) -> list[str]:
    return re.findall(r">(\d{4}/\d{6})</a>", response.content.decode())


@pytest.fixture
def worker(client, agencies):
    return sign_in_staff(client, [("naeringsetaten", "case_worker")])


# --- the inbox ----------------------------------------------------------------------------


@examples
@given(typed=with_control)
def test_inbox_search_with_a_control_character_is_an_error_on_the_field(client, worker, typed):
    response = client.get(INBOX + "?" + urlencode({"sok": typed, "visning": "alle"}))
    assert response.status_code == 400
    body = response.content.decode()
    assert REFUSED in body
    assert 'aria-invalid="true"' in body
    assert f'value="{escape(typed.strip()[: inbox.MAX_QUERY])}"' in body  # as typed


INBOX_PARAMS = ["virksomhet", "visning", "tjeneste", "status", "forfalt", "lukkede", "sok"]


@examples
@given(param=st.sampled_from([*INBOX_PARAMS, "etter", "foer"]), value=with_control)
def test_no_inbox_parameter_gives_a_500(client, worker, param, value):
    response = client.get(INBOX + "?" + urlencode({param: value}))
    assert response.status_code in (200, 400)


def test_a_cursor_past_year_one_in_utc_is_the_first_page(client, worker):
    case = submitted_case()
    crafted = _cursor("0001-01-01T00:00:00+14:00")
    with pytest.raises(inbox.InvalidCursor):
        inbox.inbox_page(worker, case.agency, view="all", after=crafted)
    for param in ("etter", "foer"):
        response = client.get(INBOX + "?" + urlencode({"visning": "alle", param: crafted}))
        assert response.status_code == 200
        assert _refs(response) == [case.reference]


@examples
@given(cursor=st.text(max_size=80) | st.builds(_cursor, st.text(max_size=40)))
def test_any_cursor_is_a_page(client, worker, cursor):
    for param in ("etter", "foer"):
        response = client.get(INBOX + "?" + urlencode({"visning": "alle", param: cursor}))
        assert response.status_code in (200, 400)  # 400: a control character in it


# --- the citizen's message ----------------------------------------------------------------


@pytest.fixture
def kari_case(client, agencies):
    case = submitted_case()
    sign_in_citizen(client, KARI)
    return case


@examples
@given(body=with_control)
def test_a_citizens_message_with_a_control_character_is_refused_and_kept(client, kari_case, body):
    cache.clear()  # the rate limit on messages is per minute; hypothesis posts faster
    before = Message.objects.count()
    response = client.post(reverse("cases:message", args=[kari_case.pk]), {"body": body})
    assert response.status_code == 400
    page = response.content.decode()
    assert REFUSED in page
    assert escape(body) in page  # the textarea shows what was typed
    assert Message.objects.count() == before


def test_tab_and_line_breaks_are_text(client, kari_case):
    body = "Første linje\r\n\tinnrykket andre linje"
    response = client.post(reverse("cases:message", args=[kari_case.pk]), {"body": body})
    assert response.status_code == 302
    assert Message.objects.filter(body=body.strip()).exists()


# --- the case worker's actions --------------------------------------------------------------


def _staff_url(name, case, *args):
    return reverse(f"casework:{name}", args=[case.pk, *args])


#: (url name, the fields of a valid post, the text fields to spoil one at a time)
STAFF_ACTIONS = [
    ("transition", {"note": "Ser på den."}, ["note"]),
    ("request_information", {"body": "Send tegningen.", "answer_days": "14"}, ["body"]),
    ("message", {"body": "Takk for søknaden."}, ["body"]),
    (
        "decide",
        {
            "outcome": "granted",
            "justification": "Vilkårene er oppfylt.",
            "legal_basis": "Alkoholloven § 1-7",
            "appeal_body": "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus",
        },
        ["outcome", "justification", "legal_basis", "appeal_body"],
    ),
]


@examples
@given(action=st.sampled_from(STAFF_ACTIONS), data=st.data())
def test_staff_actions_refuse_control_characters_on_the_field(client, worker, action, data):
    name, valid, fields = action
    case = _staff_case()
    field = data.draw(st.sampled_from(fields), label="field")
    value = data.draw(with_control, label="value")
    args = ["start_review"] if name == "transition" else []
    events = CaseEvent.objects.filter(case=case).count()
    response = client.post(_staff_url(name, case, *args), {**valid, field: value})
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    if field != "outcome":  # a radio button: its value is not shown as text
        assert escape(value) in response.content.decode()
    assert CaseEvent.objects.filter(case=case).count() == events
    assert not Decision.objects.filter(case=case).exists()


def _staff_case() -> Case:
    """One case for every example of a test (the database outlives the examples)."""
    found = Case.objects.filter(application__service_version__service__service_id="testsak")
    return found.first() or submitted_case()


@examples
@given(value=with_control)
def test_a_hearing_response_refuses_control_characters(client, worker, value):
    case = Case.objects.filter(workflow="skjenkebevilling").first()
    if case is None:
        case = submitted_case("skjenke", workflow="skjenkebevilling")
        client.post(_staff_url("transition", case, "start_review"))
        client.post(_staff_url("hearing", case))
    hearing = HearingRequest.objects.filter(case=case).first()
    response = client.post(
        _staff_url("hearing_response", case, hearing.pk), {"has_remarks": "yes", "response": value}
    )
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    hearing.refresh_from_db()
    assert hearing.answered_at is None
