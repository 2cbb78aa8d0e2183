"""Citizens and published service definitions, for tests of anything that submits.

Sign a client in with ``iktipet.accounts.testing`` (``sign_in_citizen``, ``sign_in_staff``)."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

SERVICES_DIR = Path(__file__).resolve().parents[2] / "services"
KARI = "17819049912"  # synthetic (Tenor) persons in demo/persons.json
OLA = "03868849974"


def make_citizen(pid: str, given: str, family: str, email: str = ""):
    from iktipet.accounts.models import Person, User

    user = User.objects.create(
        username=f"citizen-{pid[:6]}-{given.lower()}",
        first_name=given,
        last_name=family,
        email=email,
        kind=User.Kind.CITIZEN,
    )
    person = Person(user=user)
    person.set_pid(pid)
    person.save()
    return user


def seed(name: str) -> dict:
    return yaml.safe_load((SERVICES_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


def agency(slug: str):
    """The agency ``slug`` (made, with a test municipality, when the test has none)."""
    from iktipet.core.models import Agency, Municipality

    found = Agency.objects.filter(slug=slug).first()
    if found is not None:
        return found
    municipality = Municipality.objects.order_by("pk").first() or Municipality.objects.create(
        name="Testkommune", kommunenummer="0301"
    )
    return Agency.objects.create(
        municipality=municipality, slug=slug, name_nb=slug.title(), name_en=slug.title()
    )


def publish(data: dict):
    """Store ``data`` as the published version of its service (as `iktipet services load`)."""
    from django.utils import timezone

    from iktipet.catalog.models import Service, ServiceVersion
    from iktipet.catalog.schema import parse_definition

    data = copy.deepcopy(data)
    definition = parse_definition(data)
    service, _ = Service.objects.get_or_create(
        service_id=definition.id,
        defaults={"kind": definition.kind, "title_nb": definition.title.nb},
    )
    if service.agency_id is None and getattr(definition, "agency", None):
        # A submit opens a case of the service's agency: it must exist, as in production.
        service.agency = agency(definition.agency)
        service.save(update_fields=["agency"])
    ServiceVersion.objects.filter(service=service).published().update(unpublished_at=timezone.now())
    number = service.versions.count() + 1
    return ServiceVersion.objects.create(
        service=service, number=number, definition=data, published_at=timezone.now()
    )


def text(nb: str) -> dict:
    return {"nb": nb, "en": nb}


def form_service(steps: list[dict], **extra) -> dict:
    """A small form service definition around ``steps``."""
    data = {
        "schema_version": 1,
        "kind": "form",
        "id": "testskjema",
        "agency": "testetaten",
        "title": text("Testskjema"),
        "summary": text("Et skjema for tester."),
        "audience": "person",
        "login_level": "substantial",
        "workflow": "standard",
        "processing_time": text("Tre uker"),
        "receipt": text("Vi behandler søknaden."),
        "steps": steps,
    }
    data.update(extra)
    return data


def open_elsewhere_link(index: int, draft: bool, text: str) -> dict:
    """One of ``views._open_elsewhere``'s links, for the step and summary pages' HTML tests:
    a stand-in application (draft or sent) whose reference and address hold ``text``."""
    import datetime as dt
    import uuid
    from types import SimpleNamespace

    saved = dt.datetime(2026, 3, 28, 23, 30, tzinfo=dt.UTC)
    application = SimpleNamespace(
        pk=uuid.UUID(int=index),
        is_draft=draft,
        updated_at=saved,
        submitted_at=saved,
        reference=f"{text}-{index}",
    )
    return {"application": application, "url": f"/soknad/{index}/?a=1&b={text}"}
