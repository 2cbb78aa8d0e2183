"""The machinery behind the demo cases (iktipet.cases.demo_data): drafts filled in through
the form engine as a person fills them in, synthetic PDFs, the demo's case workers.

ALL OF THIS SERVES SYNTHETIC TEST DATA.
"""

from __future__ import annotations

import logging
import uuid
import zlib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from iktipet.applications.engine.names import count_input, row_input

logger = logging.getLogger(__name__)

#: Start tokens of the demo drafts derive from this (uuid5): the same on every run.
NAMESPACE = uuid.UUID("5b0f3f4e-2d7a-4c1e-9a51-6d656d6f6361")

# Synthetic persons (demo/persons.json) and organisations (demo/organisations.json).
KARI = "17819049912"  # Kari Nordmann-Test: DAGL of Testgrillen, owner of 0301-901/12
PER = "11918249879"  # Per Dahl-Test
JONAS = "30879549945"  # Jonas Haugen-Test, father of Leah
LEAH = "05892699935"  # Leah Haugen-Test, born 2026-09-05
TESTGRILLEN = "310000019"  # Testgrillen Restaurant AS

SKJENKE_UNDER_REVIEW = "skjenkebevilling-under-review"
SKJENKE_DECIDED = "skjenkebevilling-decided"
SKJENKE_EVENT_PAID = "skjenkebevilling-enkelt-anledning-paid"
BARNEHAGE_OFFER = "barnehageplass-offer"
NABOVARSEL = "nabovarsel-0301-901-12"

FALLBACK_STAFF = "demo-saksbehandler"


class DemoDataInvalid(RuntimeError):
    """A demo answer no longer fits the service definition (or a case action was refused)."""


def start_token(key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"iktipet-demo-case:{key}")


# --- synthetic attachments ---------------------------------------------------------------


def synthetic_pdf(title: str) -> bytes:
    """A small valid one-page PDF saying it is a synthetic demo attachment (ASCII only)."""
    lines = [title, "Syntetisk demovedlegg - ikke et ekte dokument.", "Iktipet demo"]
    text = "BT /F1 14 Tf 72 770 Td 18 TL " + " ".join(
        "({}) '".format(line.replace("\\", "").replace("(", "").replace(")", "")) for line in lines
    )
    stream = zlib.compress((text + " ET").encode("ascii", "replace"))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_upload(name: str, title: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", synthetic_pdf(title), "application/pdf")


# --- who acts ----------------------------------------------------------------------------


def citizen(pid: str) -> Any:
    """The citizen's user as their first TestID/ID-porten login makes it (name from the
    population register)."""
    from iktipet.accounts.services import citizen_for_claims

    return citizen_for_claims({"pid": pid}).user


def acting_for(user: Any, definition: Any, orgnr: str) -> Any:
    """The organisation as the party chooser offers it: only with a qualifying role."""
    from iktipet.accounts.parties import parties_for

    roles = getattr(definition, "representation_roles", None) or None
    for party in parties_for(user.person, roles):
        if party.identifier == orgnr:
            return party
    raise DemoDataInvalid(f"{user.get_full_name()} may not act for {orgnr} ({definition.id})")


def myself(user: Any) -> Any:
    from iktipet.accounts.parties import for_self

    return for_self(user)


def testid_is_staff_provider() -> bool:
    """True when staff log in through this installation's TestID (as in `iktipet demo`)."""
    from iktipet.accounts.oidc.provider import staff_provider
    from iktipet.testid.conf import issuer

    return bool(settings.TESTID_ENABLED) and staff_provider().issuer == issuer().rstrip("/")


@dataclass
class Staff:
    """Who handles the demo cases; ``assign``: whether they take the cases as their own."""

    by_agency: dict[str, Any] = field(default_factory=dict)
    assign: bool = False

    def of(self, agency_slug: str) -> Any:
        return self.by_agency[agency_slug]


TESTID_STAFF = {
    "naeringsetaten": "sara.saksbehandler",
    "utdanningsetaten": "ulla.utdanning",
    "plan-og-bygningsetaten": "pal.plan",
}


def testid_staff_user(username: str) -> Any:
    """The user TestID's staff login makes for ``username``: the same issuer, subject,
    names and roles as its id_token gives (``accounts.services.staff_for_claims``)."""
    from iktipet.accounts.oidc.provider import staff_provider
    from iktipet.accounts.services import staff_for_claims
    from iktipet.testid.claims import userinfo_claims
    from iktipet.testid.models import Login

    login = Login(
        kind=Login.Kind.STAFF,
        client_id=settings.STAFF_OIDC_CLIENT_ID,
        staff_username=username,
        locale="nb",
    )
    return staff_for_claims(staff_provider(), userinfo_claims(login))


def fallback_staff_user() -> Any:
    """A synthetic case worker of the three agencies, for installations without TestID."""
    from iktipet.accounts.models import User
    from iktipet.accounts.services import sync_staff_roles

    user, created = User.objects.get_or_create(
        username=FALLBACK_STAFF,
        defaults={
            "kind": User.Kind.STAFF,
            "first_name": "Demo",
            "last_name": "Saksbehandler (syntetisk)",
            "email": f"{FALLBACK_STAFF}@demo.iktipet.invalid",
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    sync_staff_roles(user, [(slug, "case_worker") for slug in TESTID_STAFF])
    return user


def demo_staff() -> Staff:
    if testid_is_staff_provider():
        return Staff({slug: testid_staff_user(name) for slug, name in TESTID_STAFF.items()}, True)
    user = fallback_staff_user()
    return Staff(dict.fromkeys(TESTID_STAFF, user), False)


# --- filling in an application as the form pages would ------------------------------------


def _post_name_values(spec: Any, raw: Any, name: str, out: dict[str, list[str]]) -> None:
    """What the rendered input(s) of ``spec`` post for ``raw`` (as a browser would)."""
    if spec.type == "file" or raw is None:
        return
    if spec.type == "group":
        rows = raw if isinstance(raw, list) else []
        out[count_input(name)] = [str(len(rows))]
        for index, row in enumerate(rows):
            for child in spec.children:
                value = row.get(child.id) if isinstance(row, dict) else None
                _post_name_values(child, value, row_input(name, index, child.id), out)
    elif spec.type == "ranked_choice":
        for rank, value in enumerate(raw if isinstance(raw, list) else [], start=1):
            out[f"{name}-{rank}"] = [str(value)]
    elif isinstance(raw, dict):
        for key, value in raw.items():
            out[f"{name}-{key}"] = [str(value)]
    elif isinstance(raw, list | tuple):
        out[name] = [str(value) for value in raw]
    else:
        out[name] = [str(raw)]


def _page_data(form: Any) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for spec in form.specs:
        _post_name_values(spec, form.raw.get(spec.id), spec.id, out)
    return out


def _as_post(data: dict[str, list[str]], answers: dict[str, Any]) -> MultiValueDict:
    merged = dict(data)
    for name, value in answers.items():
        merged[name] = [str(item) for item in value] if isinstance(value, list) else [str(value)]
    return MultiValueDict(merged)


def _errors(form: Any, upload_errors: dict[str, str]) -> list[str]:
    found = [item.message for item in form.errors]
    found += [f"{name}: {error}" for name, error in form.field_errors.items()]
    found += [f"{name}: {message}" for name, message in upload_errors.items()]
    return found


def fill_in(
    application: Any,
    *,
    user: Any,
    party: Any,
    answers: dict[str, dict[str, Any]],
    files: dict[str, dict[str, SimpleUploadedFile]] | None = None,
) -> Any:
    """Go through the visible steps as the pages do: show the step (register prefill), post
    what the page holds with ``answers[step]`` typed over it (and ``files[step]`` chosen),
    read a warning or new information once and go on. Raises DemoDataInvalid when a step
    does not accept its answers."""
    from iktipet.applications import services
    from iktipet.applications.engine.journey import Journey

    definition = application.service_version.definition_model
    files = files or {}
    actor = {"user": user, "party": party}
    first = Journey.for_answers(definition, application.answers).first
    step_id = first.id if first else ""
    for _visit in range(len(definition.steps) + 1):
        step = definition.step(step_id)
        form = services.prepare_step(application, step, **actor).form
        data = _as_post(_page_data(form), answers.get(step_id, {}))
        upload = MultiValueDict({name: [item] for name, item in files.get(step_id, {}).items()})
        outcome = services.save_step(
            application, step, **actor, data=data, files=upload, action="next", shown=None
        )
        for _reread in range(3):
            if outcome.go != "stay" or _errors(outcome.form, outcome.upload_errors):
                break
            # The page showed something new (a warning, an estimate): read, then go on.
            data = _as_post(_page_data(outcome.form), answers.get(step_id, {}))
            data.setlist(services.WARNED, list(outcome.form.warning_ids))
            outcome = services.save_step(
                application, step, **actor, data=data, files=None, action="next", shown=None
            )
        if outcome.go == "summary":
            return application
        if outcome.go != "next":
            problems = _errors(outcome.form, outcome.upload_errors) or [f"went {outcome.go!r}"]
            raise DemoDataInvalid(f"{definition.id}, step {step_id!r}: {'; '.join(problems)}")
        step_id = outcome.next_step
    raise DemoDataInvalid(f"{definition.id}: the steps never reached the summary")


def published_version(service_id: str) -> Any:
    from django.http import Http404

    from iktipet.catalog.selectors import published_service

    try:
        return published_service(service_id)._published_version  # type: ignore[attr-defined]
    except Http404:
        raise DemoDataInvalid(f"the service {service_id!r} is not published") from None


@dataclass
class Draft:
    key: str
    user: Any
    party: Any
    version: Any
    answers: dict[str, dict[str, Any]]
    files: dict[str, dict[str, SimpleUploadedFile]] = field(default_factory=dict)


def existing_case(key: str, user: Any) -> Any:
    """The case of the demo application ``key`` if an earlier run submitted it."""
    from iktipet.applications.models import Application
    from iktipet.cases.models import Case

    application = Application.objects.filter(applicant=user, start_token=start_token(key)).first()
    if application is None or application.is_draft:
        return None
    return Case.objects.filter(application=application).first()


def _filled_in(draft: Draft) -> Any:
    """The draft started (or resumed) and filled in as the pages would."""
    from iktipet.applications import services

    application = services.start_application(
        user=draft.user,
        party=draft.party,
        version=draft.version,
        start_token=start_token(draft.key),
    )
    fill_in(
        application, user=draft.user, party=draft.party, answers=draft.answers, files=draft.files
    )
    application.refresh_from_db()
    return application


def submit(draft: Draft) -> Any:
    """Start (or resume) the draft, fill it in, submit it; the case the submit opened."""
    from iktipet.applications import services
    from iktipet.cases.models import Case

    application = _filled_in(draft)
    try:
        submitted = services.submit_application(application, user=draft.user, party=draft.party)
    except services.Incomplete as exc:
        raise DemoDataInvalid(f"{draft.key}: not complete at step {exc.step_id!r}") from exc
    return Case.objects.select_related("agency").get(application=submitted)


def for_staff(user: Any, case: Any, purpose: str) -> Any:
    """The case as a staff page reads it before an action (the read is audited)."""
    from iktipet.cases.selectors import case_for_staff

    return case_for_staff(user, case.pk, purpose=purpose)


def take(staff: Staff, case: Any) -> Any:
    from iktipet.cases import services

    worker = staff.of(case.agency.slug)
    if staff.assign:
        services.assign_case(for_staff(worker, case, "assign"), user=worker, assignee=worker)
    return worker


# --- the scenarios ---------------------------------------------------------------------------


def paid_submit(draft: Draft) -> Any:
    """As :func:`submit`, for a fee paid with the application: "Betal og send inn" with the
    testbank, approved on its checkout page; the return page's status query submits the
    draft (the worker captures the payment later). The case the payment opened."""
    from iktipet.applications import services
    from iktipet.applications.models import Application
    from iktipet.cases.models import Case
    from iktipet.payments import gateway
    from iktipet.payments import services as payments
    from iktipet.payments.testbank import bank

    if "testbank" not in gateway.enabled_providers():
        raise DemoDataInvalid(f"{draft.key}: the testbank is not an enabled payment provider")
    application = _filled_in(draft)
    try:
        order = services.order_for_draft(application, user=draft.user, party=draft.party)
    except services.Incomplete as exc:
        raise DemoDataInvalid(f"{draft.key}: not complete at step {exc.step_id!r}") from exc
    if order is None:
        raise DemoDataInvalid(f"{draft.key}: the service takes no fee with the application")
    checkout = payments.start_payment(
        order, provider="testbank", user=draft.user, party=draft.party, base_url=settings.BASE_URL
    )
    # The hosted checkout's address ends with the testbank's payment id: the tester approves.
    bank.decide(checkout.rstrip("/").rsplit("/", 1)[-1], "approve", delay=0)
    payments.refresh_from_provider(order)
    submitted = Application.objects.get(pk=application.pk)
    if submitted.is_draft:
        raise DemoDataInvalid(f"{draft.key}: the payment did not submit the application")
    return Case.objects.select_related("agency").get(application=submitted)
