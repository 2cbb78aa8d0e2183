"""Every case page and action × every kind of actor, over HTTP.

The rule (ARCHITECTURE.md § 7): an object a person may not see is a 404 for them, on every
URL and method; never a 403, a 200 or a 500. Anonymous visitors and the wrong kind of login
(a citizen on the staff pages, a staff member on Min side) are sent to their login page and
see nothing of the case. The right actor gets the page, or the redirect after a POST. Every
read of a case by staff is in the audit log; a refused one is not. POSTs need a CSRF token.

The objects are made once per module (``support.case_matrix.build_world``: real submissions and
service calls) inside a transaction rolled back at the end; each test runs in a savepoint of
it, as in Django's TestCase, so a POST that changes a case changes it for that test only.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from iktipet.cases.models import CaseEvent
from iktipet.core.models import AuditEvent
from support.case_matrix import (
    ACTORS,
    MIXED,
    ROUTES,
    STAFF_ACTORS,
    Route,
    World,
    build_world,
    expected,
    sign_in,
    url_names,
)
from support.offline import offline_values


@pytest.fixture(scope="module")
def matrix_storage(tmp_path_factory):
    return tmp_path_factory.mktemp("matrix")


@pytest.fixture(autouse=True)
def _cases_settings(settings, matrix_storage):
    """Overrides tests/cases/conftest.py's: the world's files live for the whole module."""
    for name, value in offline_values(matrix_storage).items():
        setattr(settings, name, value)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, matrix_storage):
    with django_db_blocker.unblock(), override_settings(**offline_values(matrix_storage)):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _client(actor: str, route: Route, world: World, **kwargs) -> tuple[Client, object]:
    client = Client(**kwargs)
    user = sign_in(client, actor, world.case(route.case_key).agency.slug)
    return client, user


def _request(client: Client, route: Route, world: World):
    url = route.url(world)
    if route.method == "POST":
        return client.post(url, route.payload(world))
    return client.get(url)


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _reads_of(case) -> int:
    return AuditEvent.objects.filter(
        action="cases.read", target_type="cases.case", target_id=str(case.pk)
    ).count()


def _params() -> list:
    params = []
    for route in ROUTES:
        for actor in ACTORS:
            params.append(pytest.param(route, actor, id=f"{route.id}-{actor}"))
    return params


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "actor"), _params())
def test_matrix(world, route: Route, actor: str):
    case = world.case(route.case_key)
    verdict = expected(route, actor)
    client, user = _client(actor, route, world)
    reads_before = _reads_of(case)
    before = _counts()

    response = _request(client, route, world)

    assert response.status_code == verdict.status, (route.url(world), actor, _body(response)[:600])
    body = _body(response)
    if verdict.status == 302:
        location = response["Location"]
        if verdict.location:
            assert location.startswith(verdict.location), location
        else:  # the redirect after a successful POST: not to a login page
            assert not location.startswith(
                (reverse("accounts:login"), reverse("accounts:staff_login"))
            ), location
    html = response.get("Content-Type", "").startswith("text/html")
    if verdict.shows_case and html and verdict.status == 200:
        # A positive control for the check below: the right actor's page shows the case.
        assert case.reference in body or world.markers[route.case_key] in body
    if not verdict.shows_case:
        assert case.reference not in body
        assert world.markers[route.case_key] not in body
    # Every answer about a case, allowed or refused, is kept by no cache (ops.caching).
    assert {"private", "no-store"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    refused = verdict.status == 404 or bool(verdict.location)
    if refused:
        assert _counts() == before, "a refused request changed something"

    if route.audience == "staff":
        reads = _reads_of(case) - reads_before
        if verdict.shows_case or (verdict.status == 302 and not verdict.location):
            assert reads >= 1, "an allowed staff read of the case is not in the audit log"
            latest = AuditEvent.objects.filter(action="cases.read", target_id=str(case.pk)).latest(
                "pk"
            )
            assert latest.actor_id == user.pk
            assert latest.target_type == "cases.case"
        else:
            assert reads == 0, "a refused read of the case was written to the audit log"


# --- the matrix covers every URL ------------------------------------------------------------


@pytest.mark.parametrize("namespace", ["cases", "casework", "nabovarsel", "nabovarsel_staff"])
def test_every_object_url_is_in_the_matrix(namespace):
    """A URL added to one of the case modules fails here until the matrix covers it."""
    covered = {route.name for route in ROUTES}
    missing = url_names(namespace) - covered - {"casework:inbox"}
    assert not missing, f"add these to support.case_matrix.ROUTES: {sorted(missing)}"
    assert url_names(namespace), f"nothing mounted under {namespace!r}"


# --- the inbox: no object URL, but another agency's cases must not be listed ----------------


@pytest.mark.django_db
@pytest.mark.parametrize("actor", ACTORS)
def test_inbox(world, actor):
    case = world["decided"]
    client = Client()
    sign_in(client, actor, case.agency.slug)
    response = client.get(reverse("casework:inbox"), {"visning": "alle"})
    body = _body(response)
    # Case numbers repeat across agencies: look for the case's own link.
    link = reverse("casework:case", args=[case.pk])
    if actor in ("case_worker", "agency_admin"):
        assert response.status_code == 200
        assert link in body
        return
    if actor in STAFF_ACTORS:
        # A staff member without a case role, or of another agency.
        assert response.status_code in (200, 403, 404), response.status_code
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:staff_login"))
    assert link not in body
    assert world.markers["decided"] not in body


# --- CSRF --------------------------------------------------------------------------------


def _right_actor(route: Route) -> str:
    return {
        "staff": "case_worker",
        "applicant": "applicant",
        "organisation": "applicant_as_org",
        "neighbour": "neighbour",
    }[route.audience]


POSTS = [pytest.param(route, id=route.id) for route in ROUTES if route.method == "POST"]


def _counts() -> tuple:
    """What a POST could change: rows added, and the states of cases, offers, notices."""
    from iktipet.cases.models import Appeal, Case, Decision, Offer
    from iktipet.messaging.models import Message
    from iktipet.nabovarsel.models import NeighbourNotice

    return (
        CaseEvent.objects.count(),
        Message.objects.count(),
        Appeal.objects.count(),
        Decision.objects.count(),
        list(Case.objects.order_by("pk").values_list("pk", "status", "assignee_id")),
        list(Offer.objects.order_by("pk").values_list("pk", "status")),
        list(NeighbourNotice.objects.order_by("pk").values_list("pk", "replied_at", "consent")),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("route", POSTS)
def test_a_post_without_csrf_token_is_refused(world, route):
    client, _user = _client(_right_actor(route), route, world, enforce_csrf_checks=True)
    before = _counts()
    response = client.post(route.url(world), route.payload(world))
    assert response.status_code == 403, _body(response)[:600]
    assert "Skjemaet er utløpt" in _body(response)  # the CSRF page, not an access refusal
    assert _counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("route", POSTS)
def test_a_post_with_the_csrf_token_goes_through(world, route):
    """The control for the test above: with the token the same POST is taken."""
    actor = _right_actor(route)
    client, _user = _client(actor, route, world, enforce_csrf_checks=True)
    # A page with a form sets the cookie.
    page = "casework:inbox" if route.audience == "staff" else "accounts:my_page"
    client.get(reverse(page))
    token = client.cookies["csrftoken"].value
    response = client.post(route.url(world), {**route.payload(world), "csrfmiddlewaretoken": token})
    assert response.status_code == expected(route, actor).status, _body(response)[:600]


# --- objects of another case, objects that are not there, the wrong method -----------------


@pytest.mark.django_db
@pytest.mark.parametrize("route", [pytest.param(r, id=r.id) for r in MIXED])
def test_the_right_actor_with_an_object_of_another_case_gets_404(world, route):
    client, _user = _client(_right_actor(route), route, world)
    before = _counts()
    response = _request(client, route, world)
    assert response.status_code == 404, (route.url(world), _body(response)[:600])
    assert _counts() == before


UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "args", "actor", "agency"),
    [
        ("casework:case", [UNKNOWN], "case_worker", "naeringsetaten"),
        ("casework:assign_me", [UNKNOWN], "agency_admin", "naeringsetaten"),
        ("casework:decision_letter", [UNKNOWN], "case_worker", "naeringsetaten"),
        ("cases:case", [UNKNOWN], "applicant", "naeringsetaten"),
        ("cases:message", [UNKNOWN], "applicant", "naeringsetaten"),
        ("nabovarsel:notice", [UNKNOWN], "neighbour", "plan-og-bygningsetaten"),
        ("nabovarsel:case_summary", [UNKNOWN], "applicant", "plan-og-bygningsetaten"),
        ("nabovarsel_staff:summary", [UNKNOWN], "case_worker", "plan-og-bygningsetaten"),
    ],
)
def test_an_unknown_object_is_404(world, name, args, actor, agency):
    client = Client()
    sign_in(client, actor, agency)
    url = reverse(name, args=args)
    response = (
        client.post(url, {})
        if name in ("casework:assign_me", "cases:message")
        else (client.get(url))
    )
    assert response.status_code == 404
    # A malformed id does not even match the URL.
    assert client.get(url.replace(UNKNOWN, "ikke-en-uuid")).status_code == 404


@pytest.mark.django_db
def test_an_unknown_transition_is_refused_on_the_page_not_a_500(world):
    case = world["decided"]
    client = Client()
    sign_in(client, "case_worker", case.agency.slug)
    response = client.post(reverse("casework:transition", args=[case.pk, "finnes-ikke"]))
    assert response.status_code == 400
    assert "Denne handlingen finnes ikke for saken." in _body(response)


POST_ONLY = [
    pytest.param(route, id=route.id)
    for route in ROUTES
    if route.method == "POST" and route.name not in ("cases:appeal", "nabovarsel:notice")
]


@pytest.mark.django_db
@pytest.mark.parametrize("route", POST_ONLY)
def test_a_get_of_an_action_is_405(world, route):
    client, _user = _client(_right_actor(route), route, world)
    before = _counts()
    response = client.get(route.url(world))
    assert response.status_code == 405
    assert _counts() == before


# --- a file gone from storage is a 404 for the right actor, never a 500 ---------------------


def _thread_file_gone(world) -> tuple:
    """A new file in the decided case's thread, then removed from storage (this test only:
    the message row rolls back with the test, the file is new)."""
    from iktipet.cases import services
    from iktipet.messaging.models import MessageAttachment
    from support.case_matrix import uploaded

    case = world["decided"]
    message = services.post_citizen_message(
        case, user=case.applicant, body="Enda en fil.", files=[uploaded("borte.pdf")]
    )
    attachment = MessageAttachment.objects.get(message=message)
    attachment.file.storage.delete(attachment.file.name)
    return case, attachment


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "actor"),
    [
        ("cases:attachment", "applicant"),
        ("casework:message_attachment", "case_worker"),
    ],
)
def test_a_thread_file_missing_from_storage_is_404(world, name, actor):
    case, attachment = _thread_file_gone(world)
    client = Client(raise_request_exception=False)
    sign_in(client, actor, case.agency.slug)
    response = client.get(reverse(name, args=[case.pk, attachment.pk]))
    assert response.status_code == 404
