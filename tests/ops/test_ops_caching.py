"""Pages with personal data are ``Cache-Control: private, no-store``; public pages seen by an
anonymous visitor are not. The rule is a default (ops.caching), so a new page cannot forget it."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from iktipet.accounts.testing import sign_in_citizen, sign_in_staff
from iktipet.applications.models import Application
from support.cases import KARI, submitted_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(offline_settings, agencies):
    case = submitted_case()
    citizen = Client()
    sign_in_citizen(citizen, KARI)
    started = citizen.post(
        reverse("applications:start", args=["testsak"]), {"start_token": str(uuid.uuid4())}
    )
    assert started.status_code == 302
    draft = Application.objects.filter(
        applicant=case.applicant, status=Application.Status.DRAFT
    ).latest("created_at")
    staff = Client()
    sign_in_staff(staff, [("naeringsetaten", "case_worker")])
    return {"case": case, "draft": draft, "citizen": citizen, "staff": staff, "anonymous": Client()}


PERSONAL = [
    ("citizen", "min_side", lambda w: reverse("accounts:my_page"), 200),
    ("citizen", "choose_party", lambda w: reverse("accounts:choose_party"), 200),
    ("citizen", "case", lambda w: reverse("cases:case", args=[w["case"].pk]), 200),
    ("citizen", "step", lambda w: reverse("applications:step", args=[w["draft"].pk, "om"]), 200),
    ("citizen", "summary", lambda w: reverse("applications:summary", args=[w["draft"].pk]), 200),
    (
        "citizen",
        "receipt",
        lambda w: reverse("applications:receipt", args=[w["case"].application_id]),
        200,
    ),
    ("citizen", "catalogue_with_name_in_header", lambda w: reverse("catalog:catalogue"), 200),
    ("citizen", "front_with_name_in_header", lambda w: reverse("front"), 200),
    ("staff", "inbox", lambda w: reverse("casework:inbox"), 200),
    ("staff", "case", lambda w: reverse("casework:case", args=[w["case"].pk]), 200),
    ("staff", "service_page", lambda w: reverse("catalog:service", args=["testsak"]), 200),
    ("anonymous", "login_redirect", lambda w: reverse("accounts:my_page"), 302),
    ("anonymous", "not_found", lambda w: "/finnes-ikke/", 404),
]


@pytest.mark.parametrize(
    ("actor", "url", "status"),
    [
        pytest.param(actor, url, status, id=f"{actor}-{name}")
        for actor, name, url, status in PERSONAL
    ],
)
def test_pages_with_personal_data_are_private_and_not_stored(world, actor, url, status):
    response = world[actor].get(url(world))
    assert response.status_code == status
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives, response["Cache-Control"]


PUBLIC = ["front", "catalog:catalogue", "privacy", "accessibility"]


@pytest.mark.parametrize("name", [*PUBLIC, "catalog:service"])
def test_public_pages_for_anonymous_visitors_are_not_forced_private(world, name):
    args = ["testsak"] if name == "catalog:service" else []
    response = world["anonymous"].get(reverse(name, args=args))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "private" not in response.get("Cache-Control", "")


def test_a_cache_control_the_view_set_is_kept(world):
    response = world["anonymous"].get(reverse("healthz"))
    assert (
        "no-store" in response["Cache-Control"] and "must-revalidate" in response["Cache-Control"]
    )


def _public_views(patterns, prefix="") -> set[str]:
    found = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            found |= _public_views(pattern.url_patterns, prefix + namespace)
        elif isinstance(pattern, URLPattern) and getattr(pattern.callback, "public_page", False):
            found.add(prefix + (pattern.name or str(pattern.pattern)))
    return found


def test_only_the_known_public_pages_opt_out():
    """Marking a page public is a decision: one holding personal data must never be."""
    # favicon: a redirect to the static icon, the same for everyone.
    assert _public_views(get_resolver().url_patterns) == {*PUBLIC, "catalog:service", "favicon"}


def test_static_files_keep_their_public_caching(world):
    response = world["citizen"].get("/static/iktipet/portal.css")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "no-store" not in response["Cache-Control"]
