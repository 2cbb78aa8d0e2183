"""Staff login through the staff provider, roles from the claim, the admin behind it."""

from __future__ import annotations

import pytest
from django.test import Client

from iktipet.accounts import has_role, staff_agencies
from iktipet.accounts.models import StaffRole, User
from iktipet.core.models import Agency, AuditEvent, Municipality
from support.oidc_browser import log_in, query_of, to_idp

pytestmark = pytest.mark.django_db

STAFF_LOGIN = "/ansatt/logg-inn/?next=/saksbehandling/"


@pytest.fixture
def agencies(db):
    oslo = Municipality.objects.create(name="Testkommune", kommunenummer="0301")
    return {
        slug: Agency.objects.create(municipality=oslo, slug=slug, name_nb=name, name_en=name)
        for slug, name in [("byggesak", "Byggesak"), ("skjenking", "Skjenking")]
    }


@pytest.fixture
def staff_idp(rp):
    rp.sub = "staff-subject-1"
    rp.pid = None  # the city's IdP knows no fødselsnummer
    rp.extra_claims = {
        "given_name": "Siri",
        "family_name": "Saksbehandler",
        "email": "siri@kommune.test",
    }
    return rp


def test_staff_login_maps_roles_from_the_claim(client, staff_idp, agencies):
    staff_idp.extra_claims["roles"] = [
        "byggesak:case_worker",
        "skjenking:agency_admin",
        "nope:case_worker",
        "byggesak:king",
    ]
    asked = query_of(to_idp(client, STAFF_LOGIN))
    assert asked["client_id"] == "iktipet-staff"
    assert asked["redirect_uri"] == "http://testserver/ansatt/logg-inn/callback/"
    assert "acr_values" not in asked

    response = log_in(client, STAFF_LOGIN)

    assert response.status_code == 302 and response["Location"] == "/saksbehandling/"
    user = User.objects.get(kind="staff")
    assert (user.first_name, user.last_name, user.email) == (
        "Siri",
        "Saksbehandler",
        "siri@kommune.test",
    )
    roles = {(r.agency.slug, r.role) for r in StaffRole.objects.select_related("agency")}
    assert roles == {("byggesak", "case_worker"), ("skjenking", "agency_admin")}
    assert has_role(user, "case_worker")
    assert has_role(user, "case_worker", agency=agencies["byggesak"])
    assert not has_role(user, "case_worker", agency=agencies["skjenking"])
    assert list(staff_agencies(user, roles=["case_worker"])) == [agencies["byggesak"]]
    # A case worker lands in the inbox of the agency where she handles cases.
    response = client.get("/saksbehandling/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/saksbehandling/saker/")
    page = response.content.decode()
    assert "Siri Saksbehandler" in page and "Byggesak" in page
    assert AuditEvent.objects.filter(action="accounts.login", actor=user).exists()


def test_roles_are_refreshed_at_every_login(staff_idp, agencies):
    staff_idp.extra_claims["roles"] = ["byggesak:case_worker", "skjenking:case_worker"]
    log_in(Client(), STAFF_LOGIN)
    staff_idp.extra_claims["roles"] = "skjenking:service_admin"  # a string works too
    log_in(Client(), STAFF_LOGIN)
    user = User.objects.get(kind="staff")
    assert [(r.agency.slug, r.role) for r in StaffRole.objects.all()] == [
        ("skjenking", "service_admin")
    ]
    assert not has_role(user, "case_worker")
    changed = AuditEvent.objects.filter(action="accounts.staff_roles_changed").first()
    assert changed.details == {"roles": ["skjenking:service_admin"]}


def test_staff_without_roles_is_refused(client, staff_idp, agencies):
    staff_idp.extra_claims["roles"] = []
    response = log_in(client, STAFF_LOGIN)
    assert response.status_code == 400
    assert "ingen roller" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_operator_gets_the_admin(client, staff_idp, agencies):
    staff_idp.extra_claims["roles"] = ["operator"]
    log_in(client, STAFF_LOGIN)
    assert client.get("/admin/").status_code == 200
    user = User.objects.get(kind="staff")
    assert user.is_superuser and has_role(user, "operator")


def test_case_worker_reaches_admin_index_without_model_rights(client, staff_idp, agencies):
    staff_idp.extra_claims["roles"] = ["byggesak:case_worker"]
    log_in(client, STAFF_LOGIN)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/accounts/person/").status_code == 403


def test_admin_login_redirects_to_staff_login(client, rp):
    response = client.get("/admin/")
    assert response.status_code == 302
    follow = client.get(response["Location"])
    assert follow.status_code == 302
    assert follow["Location"] == "/ansatt/logg-inn/?next=%2Fadmin%2F"


def test_citizen_is_kept_out_of_admin_and_staff_pages(client, rp):
    log_in(client)
    assert client.get("/admin/").status_code in (302, 403)
    assert client.get("/admin/login/").status_code == 403
    response = client.get("/saksbehandling/")
    assert response.status_code == 302 and response["Location"].startswith("/ansatt/logg-inn/")


def test_admin_has_no_password_login(client, rp, django_user_model):
    django_user_model.objects.create_user(
        username="root", password="a-long-password-123", is_staff=True, is_superuser=True
    )
    response = client.post("/admin/login/", {"username": "root", "password": "a-long-password-123"})
    assert response.status_code == 302
    assert response["Location"].startswith("/ansatt/logg-inn/")
    assert "_auth_user_id" not in client.session
    assert not client.login(username="root", password="a-long-password-123")


def test_staff_role_check_denies_other_roles(rf, staff_idp, agencies):
    from django.core.exceptions import PermissionDenied

    from iktipet.accounts import staff_required
    from iktipet.core.sessions.db import SessionStore

    staff_idp.extra_claims["roles"] = ["byggesak:case_worker"]
    browser = Client()
    log_in(browser, STAFF_LOGIN)
    user = User.objects.get(kind="staff")

    @staff_required(role="agency_admin")
    def admin_only(request):
        return None

    request = rf.get("/x/")
    request.user = user
    request.session = SessionStore(browser.session.session_key)
    with pytest.raises(PermissionDenied):
        admin_only(request)
