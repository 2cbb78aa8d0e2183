"""The permission matrix of case handling: the objects, the actors, the URLs, the verdicts.

``build_world()`` opens real cases by submitting applications over HTTP (the cases and
applications tests' helpers; the shipped nabovarsel service for the neighbour notices) and
moves them with ``iktipet.cases.services`` into the states the pages and actions need.
``ROUTES`` names every object URL of ``cases:*``, ``casework:*``, ``nabovarsel:*`` and
``nabovarsel_staff:*`` with the objects it takes; ``expected(route, actor)`` is the verdict
of the rule "the wrong actor gets a 404, never a 403, a 200 or a 500".
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from support.applications import KARI, OLA, publish, seed
from support.cases import case_service, submitted_case
from support.form_browser import PDF, PNG, form_fields, submit_page

#: The neighbour: Fatima Ali-Test owns 0301-901/11, next to Kari's 0301-901/12
#: (demo/properties.json). Ola co-owns 0301-901/12 with Kari: no neighbour, no applicant.
NEIGHBOUR = "19859349903"
OTHER = OLA
ORGANISATION = ("310000019", "Testgrillen Restaurant AS")
#: Nora Lie-Test is only a board member (MEDL) of Testgrillen: not a role that may act for it.
BOARD_MEMBER = "24927149989"

#: A case's agency → the agency whose case worker is "of another agency" (it has cases too).
OTHER_AGENCY = {
    "naeringsetaten": "utdanningsetaten",
    "utdanningsetaten": "naeringsetaten",
    "plan-og-bygningsetaten": "naeringsetaten",
}

#: ``board_member_as_org`` has the organisation in her session as if she had forged a role
#: code at /velg-aktor/ (issue 9): the register must be asked wherever the party is used.
CITIZEN_ACTORS = (
    "applicant",
    "applicant_as_org",
    "board_member_as_org",
    "other_citizen",
    "neighbour",
)
STAFF_ACTORS = ("case_worker", "case_worker_other_agency", "agency_admin", "service_admin")
ACTORS = ("anonymous", *CITIZEN_ACTORS, *STAFF_ACTORS)


# --- actors -------------------------------------------------------------------------------


def staff_username(agency: str, role: str) -> str:
    return f"matrix-{role}-{agency}"


def sign_in(client: Any, actor: str, agency: str) -> Any:
    """Log ``client`` in as ``actor`` relative to a case of ``agency``; the user (or None)."""
    from iktipet.accounts.parties import ActingParty
    from iktipet.accounts.testing import sign_in_citizen, sign_in_staff

    if actor == "anonymous":
        return None
    if actor == "applicant":
        return sign_in_citizen(client, KARI).user
    if actor == "applicant_as_org":
        orgnr, name = ORGANISATION
        return sign_in_citizen(
            client, KARI, acting_for=ActingParty(kind="organisation", id=orgnr, name=name)
        ).user
    if actor == "board_member_as_org":
        orgnr, name = ORGANISATION
        return sign_in_citizen(
            client,
            BOARD_MEMBER,
            name=("Nora", "Lie-Test"),
            acting_for=ActingParty(kind="organisation", id=orgnr, name=name),
        ).user
    if actor == "other_citizen":
        return sign_in_citizen(client, OTHER, name=("Ola", "Nordmann-Test")).user
    if actor == "neighbour":
        return sign_in_citizen(client, NEIGHBOUR, name=("Fatima", "Ali-Test")).user
    slug, role = {
        "case_worker": (agency, "case_worker"),
        "case_worker_other_agency": (OTHER_AGENCY[agency], "case_worker"),
        "agency_admin": (agency, "agency_admin"),
        "service_admin": (agency, "service_admin"),
    }[actor]
    return sign_in_staff(client, [(slug, role)], username=staff_username(slug, role))


# --- the world ----------------------------------------------------------------------------


@dataclass
class World:
    """The cases (by key) and the objects the URLs take (``"<case key>.<object>"``)."""

    objects: dict[str, Any] = field(default_factory=dict)
    #: A text only the case's own pages show (in the application's answers).
    markers: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.objects[key]

    def case(self, key: str) -> Any:
        return self.objects[key.split(".")[0]]


def uploaded(name: str, content: bytes = PDF, content_type: str = "application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type)


def _staff(agency: str, role: str = "case_worker"):
    from django.test import Client

    from iktipet.accounts.testing import sign_in_staff

    return sign_in_staff(Client(), [(agency, role)], username=staff_username(agency, role))


def _marked_case(world: World, key: str, service_id: str, **kwargs: Any) -> Any:
    marker = f"Matrisemerke-{key}-{uuid.uuid4().hex[:8]}"
    case = submitted_case(service_id, navn=marker, **kwargs)
    world.objects[key] = case
    world.markers[key] = marker
    return case


def submit_nabovarsel(pid: str = KARI) -> Any:
    """The shipped nabovarsel service over HTTP, as tests/applications do it; the Case.

    The property 0301-901/12 has four neighbouring properties in the demo register; their
    owners get a notice each (not the applicant, who co-owns the property).
    """
    from django.test import Client
    from django.urls import reverse

    from iktipet.accounts.testing import sign_in_citizen
    from iktipet.applications.models import Application
    from iktipet.cases.models import Case

    publish(seed("nabovarsel"))
    client = Client()
    person = sign_in_citizen(client, pid)
    start = reverse("applications:start", args=["nabovarsel"])
    page = client.get(start)
    token = re.search(rb'name="start_token" value="([^"]+)"', page.content).group(1).decode()
    client.post(start, {"start_token": token})
    application = Application.objects.filter(applicant=person.user).latest("created_at")

    def url(step: str) -> str:
        return reverse("applications:step", args=[application.pk, step])

    response = client.post(url("precheck"), {"project_kind": "other", "_action": "next"})
    assert response.status_code == 302, response.content.decode()[:2000]
    response = submit_page(
        client,
        url("property"),
        {
            "byggested-kommunenummer": "0301",
            "byggested-gnr": "901",
            "byggested-bnr": "12",
            "tiltakshaver_kind": "person",
        },
    )
    response = client.post(url("property"), {**form_fields(response.content), "_action": "next"})
    assert response.status_code == 302, response.content.decode()[:2000]
    response = submit_page(client, url("neighbours"))
    assert response.status_code == 302, response.content.decode()[:2000]
    response = submit_page(
        client,
        url("project"),
        {
            "tiltakstyper": ["tilbygg"],
            "description": "Tilbygg på 12 m².",
            "needs_dispensation": "no",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(
        url("attachments"),
        {
            "situasjonskart": uploaded("kart.pdf"),
            "drawings": uploaded("fasade.png", PNG, "image/png"),
            "_action": "next",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(url("confirm"), {"confirmation": "yes", "_action": "next"})
    assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(reverse("applications:submit", args=[application.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    application.refresh_from_db()
    assert application.status == "submitted", application.status
    return Case.objects.select_related("application", "agency").get(application=application)


def build_world() -> World:
    """Every object the matrix's URLs take, through real submissions and service calls.

    Needs the demo agencies and a database; call it inside a transaction the caller rolls
    back (the cases are numbered per agency and year).
    """
    from django.utils import timezone

    from iktipet.accounts.testing import sign_in_citizen
    from iktipet.applications.models import Attachment
    from iktipet.cases import services
    from iktipet.cases.models import Case
    from iktipet.core.demo_data import load_municipality
    from iktipet.messaging.models import MessageAttachment
    from iktipet.nabovarsel import services as nabovarsel
    from iktipet.nabovarsel.contents import notice_file_ids
    from iktipet.nabovarsel.models import NeighbourNotice

    load_municipality()
    world = World()
    for agency in OTHER_AGENCY:
        for role in ("case_worker", "agency_admin", "service_admin"):
            _staff(agency, role)
    from django.test import Client

    for pid, name in ((KARI, ("Kari", "Nordmann-Test")), (OLA, ("Ola", "Nordmann-Test"))):
        sign_in_citizen(Client(), pid, name=name)
    sign_in_citizen(Client(), NEIGHBOUR, name=("Fatima", "Ali-Test"))
    worker = _staff("naeringsetaten")

    # A standard case taken all the way to a decision: a file with the application, a
    # request for information with a file, the applicant's answer, the decision.
    case_service("matrisesak", workflow="standard", title="Matrisesøknad")
    decided = _marked_case(world, "decided", "matrisesak", publish_service=False, attachment=PDF)
    services.assign_case(decided, user=worker, assignee=worker)
    services.request_information(
        decided, user=worker, body="Send en tegning.", files=[uploaded("skisse.pdf")]
    )
    kari = decided.applicant
    services.post_citizen_message(
        decided, user=kari, body="Her er tegningen.", files=[uploaded("tegning-svar.pdf")]
    )
    decided.refresh_from_db()
    services.decide_case(
        decided,
        user=worker,
        outcome="granted",
        justification="Vilkårene er oppfylt.",
        legal_basis="Politivedtekten § 3.",
    )
    decided.refresh_from_db()
    world.objects["decided.attachment"] = Attachment.objects.get(
        application_id=decided.application_id
    ).pk
    world.objects["decided.message_attachment"] = (
        MessageAttachment.objects.filter(message__thread=decided.thread)
        .order_by("message__created_at")
        .first()
        .pk
    )

    # A case just received: request information and decide from here; assigned to nobody.
    fresh = _marked_case(world, "fresh", "matrisesak", publish_service=False, attachment=PDF)
    world.objects["fresh.attachment"] = Attachment.objects.get(
        application_id=fresh.application_id
    ).pk

    # Skjenkebevilling: one under review (send to hearing), one in hearing (record answers).
    case_service("matriseskjenk", workflow="skjenkebevilling", title="Matriseskjenk")
    review = _marked_case(world, "review", "matriseskjenk", publish_service=False)
    services.transition_case(review, "start_review", user=worker)
    hearing = _marked_case(world, "hearing", "matriseskjenk", publish_service=False)
    services.transition_case(hearing, "start_review", user=worker)
    services.send_to_hearing(hearing, user=worker)
    world.objects["hearing.hearing"] = hearing.hearings.order_by("pk").first().pk

    # Barnehage: one received (make an offer), one with an open offer (answer it).
    nursery_worker = _staff("utdanningsetaten")
    case_service("matrisebhg", workflow="barnehage", title="Matrisebarnehage")
    _marked_case(world, "nursery", "matrisebhg", publish_service=False, workflow="barnehage")
    offered = _marked_case(
        world, "offered", "matrisebhg", publish_service=False, workflow="barnehage"
    )
    offer = services.make_offer(
        offered,
        user=nursery_worker,
        kindergarten_id="bhg-002",
        start_date=timezone.localdate() + dt.timedelta(days=40),
    )
    world.objects["offered.offer"] = offer.pk

    # An organisation's case: Kari applied for Testgrillen (she is its daglig leder); a request
    # with a file, her answer, the decision. Only those acting for Testgrillen may see it.
    from iktipet.accounts.parties import ActingParty

    case_service(
        "matriseorg", workflow="standard", title="Matriseorg", representation_roles=("DAGL",)
    )
    as_org = ActingParty("organisation", ORGANISATION[0], ORGANISATION[1])
    org = _marked_case(
        world, "org", "matriseorg", publish_service=False, attachment=PDF, acting_for=as_org
    )
    services.request_information(
        org, user=worker, body="Send plantegningen.", files=[uploaded("plan.pdf")]
    )
    services.post_citizen_message(
        org, user=org.applicant, body="Her er den.", files=[uploaded("plan-svar.pdf")]
    )
    org.refresh_from_db()
    services.decide_case(
        org,
        user=worker,
        outcome="granted",
        justification="Vilkårene er oppfylt.",
        legal_basis="Alkoholloven § 1-7.",
    )
    world.objects["org"] = Case.objects.select_related("application", "agency").get(pk=org.pk)
    world.objects["org.application"] = org.application_id
    world.objects["org.attachment"] = Attachment.objects.get(application_id=org.application_id).pk
    world.objects["org.message_attachment"] = (
        MessageAttachment.objects.filter(message__thread=org.thread)
        .order_by("message__created_at")
        .first()
        .pk
    )

    # Nabovarsel: the neighbour replies with a file; the round is then closed as if its
    # deadline had passed (the summary PDF). The neighbour's deadline itself is still ahead.
    case = submit_nabovarsel()
    world.objects["notice"] = case
    world.markers["notice"] = "Tilbygg på 12 m²"
    notice = NeighbourNotice.objects.get(
        case=case, property="0301-901/11", owner_kind=NeighbourNotice.OwnerKind.PERSON
    )
    fatima = sign_in_citizen(Client(), NEIGHBOUR, name=("Fatima", "Ali-Test")).user
    nabovarsel.reply_to_notice(
        notice,
        user=fatima,
        consent=False,
        remark="Tilbygget tar utsikten.",
        files=[uploaded("utsikt.pdf")],
    )
    world.objects["notice.notice"] = notice.pk
    world.objects["notice.other_notice"] = (
        NeighbourNotice.objects.filter(case=case, owner_kind=NeighbourNotice.OwnerKind.PERSON)
        .exclude(pk=notice.pk)
        .exclude(pid_hash=notice.pid_hash)
        .first()
        .pk
    )
    world.objects["notice.notice_file"] = uuid.UUID(
        notice_file_ids(case.application.answers or {})[0]
    )
    world.objects["notice.reply_file"] = notice.attachments.get().pk
    case = Case.objects.select_related("agency", "application", "applicant").get(pk=case.pk)
    assert nabovarsel.close_notice_round(case, now=notice.deadline + dt.timedelta(days=1))
    world.objects["notice"] = Case.objects.get(pk=case.pk)
    return world


# --- the URLs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One object URL, the world's objects it takes, and what the right actor gets."""

    name: str
    args: tuple[str, ...]
    method: str = "GET"
    #: "applicant" (Min side), "organisation" (Min side, acting for the applicant
    #: organisation), "neighbour" (the notice) or "staff" (case handling).
    audience: str = "staff"
    data: Callable[[World], dict[str, Any]] | None = None
    #: The right actors' status when not 200 (GET) / 302 (POST), by actor.
    right: tuple[tuple[str, int], ...] = ()

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}({','.join(self.args)})"

    @property
    def case_key(self) -> str:
        return self.args[0].split(".")[0]

    def url(self, world: World) -> str:
        from django.urls import reverse

        return reverse(self.name, args=[resolve_arg(world, key) for key in self.args])

    def payload(self, world: World) -> dict[str, Any]:
        return self.data(world) if self.data else {}


def _decision_data(world: World) -> dict[str, Any]:
    return {
        "outcome": "granted",
        "justification": "Vilkårene er oppfylt.",
        "legal_basis": "Politivedtekten § 3.",
        "appeal_body": "",
    }


def _offer_data(world: World) -> dict[str, Any]:
    start = dt.date.today() + dt.timedelta(days=40)
    return {"kindergarten": "bhg-002", "start_date": start.isoformat()}


def _claim_data(world: World) -> dict[str, Any]:
    due = dt.date.today() + dt.timedelta(days=20)
    return {"text": "Ny befaring", "amount": "500", "reason": "Ny kontroll.", "due_date": due}


def _assign_data(world: World) -> dict[str, Any]:
    from iktipet.accounts.models import User

    return {
        "assignee": User.objects.get(username=staff_username("naeringsetaten", "case_worker")).pk
    }


ROUTES: tuple[Route, ...] = (
    # The applicant's case pages (cases:*).
    Route("cases:case", ("decided",), audience="applicant"),
    Route(
        "cases:message",
        ("decided",),
        "POST",
        audience="applicant",
        data=lambda w: {"body": "Et spørsmål til."},
    ),
    Route("cases:attachment", ("decided", "decided.message_attachment"), audience="applicant"),
    Route("cases:decision_letter", ("decided",), audience="applicant"),
    Route("cases:appeal", ("decided",), audience="applicant"),
    Route(
        "cases:appeal",
        ("decided",),
        "POST",
        audience="applicant",
        data=lambda w: {"grounds": "Jeg er uenig i vedtaket."},
    ),
    Route(
        "cases:answer_offer",
        ("offered", "offered.offer"),
        "POST",
        audience="applicant",
        data=lambda w: {"accept": "yes"},
    ),
    # An organisation's case, its application's receipt and files (issue 9: a role code named
    # in the request gave a board member all of these).
    Route("cases:case", ("org",), audience="organisation"),
    Route(
        "cases:message",
        ("org",),
        "POST",
        audience="organisation",
        data=lambda w: {"body": "Et spørsmål fra virksomheten."},
    ),
    Route("cases:attachment", ("org", "org.message_attachment"), audience="organisation"),
    Route("cases:decision_letter", ("org",), audience="organisation"),
    Route("cases:appeal", ("org",), audience="organisation"),
    Route(
        "cases:appeal",
        ("org",),
        "POST",
        audience="organisation",
        data=lambda w: {"grounds": "Virksomheten er uenig."},
    ),
    Route("applications:receipt", ("org.application",), audience="organisation"),
    Route("applications:receipt_pdf", ("org.application",), audience="organisation"),
    Route("applications:attachment", ("org.attachment",), audience="organisation"),
    # The applicant's nabovarsel downloads (nabovarsel:case_*).
    Route("nabovarsel:case_summary", ("notice",), audience="applicant"),
    Route("nabovarsel:case_reply_file", ("notice", "notice.reply_file"), audience="applicant"),
    # The neighbour's notice (nabovarsel:notice*).
    Route("nabovarsel:notice", ("notice.notice",), audience="neighbour"),
    Route(
        "nabovarsel:notice",
        ("notice.notice",),
        "POST",
        audience="neighbour",
        data=lambda w: {"consent": "yes", "remark": ""},
    ),
    Route("nabovarsel:notice_file", ("notice.notice", "notice.notice_file"), audience="neighbour"),
    Route(
        "nabovarsel:own_reply_file", ("notice.notice", "notice.reply_file"), audience="neighbour"
    ),
    # The case workers' pages (casework:*).
    Route("casework:case", ("decided",)),
    Route("casework:case", ("notice",)),
    Route("casework:case", ("offered",)),
    Route("casework:decision_letter", ("decided",)),
    Route("casework:attachment", ("decided", "decided.attachment")),
    Route("casework:message_attachment", ("decided", "decided.message_attachment")),
    Route("casework:transition", ("review", "=end_hearing"), "POST", right=(("*", 400),)),
    Route("casework:transition", ("decided", "=close"), "POST"),
    Route("casework:assign_me", ("fresh",), "POST"),
    Route("casework:release", ("decided",), "POST"),
    Route("casework:assign", ("fresh",), "POST", data=_assign_data),
    Route(
        "casework:request_information",
        ("fresh",),
        "POST",
        data=lambda w: {"body": "Send mer.", "answer_days": "14"},
    ),
    Route("casework:message", ("decided",), "POST", data=lambda w: {"body": "Hei."}),
    Route("casework:hearing", ("review",), "POST", data=lambda w: {"note": ""}),
    Route(
        "casework:hearing_response",
        ("hearing", "hearing.hearing"),
        "POST",
        data=lambda w: {"has_remarks": "no", "response": ""},
    ),
    Route("casework:decide", ("fresh",), "POST", data=_decision_data),
    Route("casework:offer", ("nursery",), "POST", data=_offer_data),
    Route("casework:claim", ("fresh",), "POST", data=_claim_data),
    # The case workers' nabovarsel downloads (nabovarsel_staff:*).
    Route("nabovarsel_staff:summary", ("notice",)),
    Route("nabovarsel_staff:reply_file", ("notice", "notice.reply_file")),
)


#: The right actor, with an object of another case (or one that is not there): 404 each.
MIXED: tuple[Route, ...] = (
    Route("casework:attachment", ("fresh", "decided.attachment")),
    Route("casework:attachment", ("decided", "decided.message_attachment")),
    Route("casework:message_attachment", ("fresh", "decided.message_attachment")),
    Route("casework:message_attachment", ("decided", "decided.attachment")),
    Route(
        "casework:hearing_response",
        ("review", "hearing.hearing"),
        "POST",
        data=lambda w: {"has_remarks": "no", "response": ""},
    ),
    Route("casework:decision_letter", ("fresh",)),
    Route("nabovarsel_staff:summary", ("decided",)),
    Route("nabovarsel_staff:reply_file", ("decided", "notice.reply_file")),
    Route("nabovarsel_staff:reply_file", ("notice", "decided.message_attachment")),
    Route("cases:attachment", ("fresh", "decided.message_attachment"), audience="applicant"),
    Route("cases:decision_letter", ("fresh",), audience="applicant"),
    Route("cases:appeal", ("fresh",), audience="applicant"),
    Route(
        "cases:appeal",
        ("fresh",),
        "POST",
        audience="applicant",
        data=lambda w: {"grounds": "Jeg er uenig."},
    ),
    Route(
        "cases:answer_offer",
        ("nursery", "offered.offer"),
        "POST",
        audience="applicant",
        data=lambda w: {"accept": "yes"},
    ),
    Route("nabovarsel:case_summary", ("decided",), audience="applicant"),
    Route("nabovarsel:case_reply_file", ("decided", "notice.reply_file"), audience="applicant"),
    Route("nabovarsel:case_reply_file", ("notice", "decided.attachment"), audience="applicant"),
    # Another neighbour's notice of the same case, and files that are not the notice's.
    Route("nabovarsel:notice", ("notice.other_notice",), audience="neighbour"),
    Route(
        "nabovarsel:notice",
        ("notice.other_notice",),
        "POST",
        audience="neighbour",
        data=lambda w: {"consent": "yes", "remark": ""},
    ),
    Route("nabovarsel:notice_file", ("notice.notice", "decided.attachment"), audience="neighbour"),
    Route("nabovarsel:notice_file", ("notice.notice", "notice.reply_file"), audience="neighbour"),
    Route(
        "nabovarsel:own_reply_file", ("notice.notice", "notice.notice_file"), audience="neighbour"
    ),
    Route(
        "nabovarsel:notice_file",
        ("notice.other_notice", "notice.notice_file"),
        audience="neighbour",
    ),
)


def resolve_arg(world: World, key: str) -> Any:
    """A world object, or after "=" the literal text (a transition id in a URL)."""
    if key.startswith("="):
        return key[1:]
    value = world[key]
    return getattr(value, "pk", value)


@dataclass(frozen=True)
class Verdict:
    status: int
    #: For a redirect: the path the Location must start with ("" = any but a login).
    location: str = ""
    #: The response may show the case's data (only the right actor's 200 pages).
    shows_case: bool = False


#: Citizen pages a notification links to: opened while acting for another party the person
#: may act for, they switch to the case's party (accounts.links.switch_for_link). Only GET.
FOLLOWS_LINKS = frozenset(
    {
        "cases:case",
        "cases:attachment",
        "cases:decision_letter",
        "cases:appeal",
        "applications:receipt",
        "applications:receipt_pdf",
    }
)
PARTY_SWITCHERS = {"applicant": ("applicant_as_org",), "organisation": ("applicant",)}


def expected(route: Route, actor: str) -> Verdict:
    """The rule: the right actor gets the page (200) or the redirect after a POST (302);
    a logged-in wrong actor of the same kind gets 404; anonymous and the wrong kind of
    login are sent to their login page; nobody ever gets a 403 for an object."""
    from django.urls import reverse

    staff_route = route.audience == "staff"
    if actor == "anonymous":
        login = "accounts:staff_login" if staff_route else "accounts:login"
        return Verdict(302, reverse(login))
    if staff_route and actor in CITIZEN_ACTORS:
        return Verdict(302, reverse("accounts:staff_login"))
    if not staff_route and actor in STAFF_ACTORS:
        return Verdict(302, reverse("accounts:login"))
    right = {
        "staff": ("case_worker", "agency_admin"),
        "applicant": ("applicant",),
        "organisation": ("applicant_as_org",),
        "neighbour": ("neighbour",),
    }[route.audience]
    if route.method == "GET" and route.name in FOLLOWS_LINKS:
        # The same person acting for the other party: the link switches to the case's party.
        right = (*right, *PARTY_SWITCHERS.get(route.audience, ()))
    if actor not in right:
        return Verdict(404)
    overrides = dict(route.right)
    status = overrides.get(actor, overrides.get("*"))
    if status is not None:
        return Verdict(status, shows_case=True)
    if route.method == "POST":
        return Verdict(302)
    return Verdict(200, shows_case=True)


def url_names(namespace: str) -> set[str]:
    """Every named URL pattern of ``namespace`` as mounted in the project's URLconf."""
    from django.urls import get_resolver

    resolver = get_resolver()
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if getattr(pattern, "namespace", None) == namespace:
            names.update(
                f"{namespace}:{p.name}" for p in pattern.url_patterns if getattr(p, "name", None)
            )
    return names
