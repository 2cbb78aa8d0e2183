"""TestID's writes: a login starts an OIDC session, end_session ends it."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from iktipet.core.audit import record
from iktipet.testid.models import Login

PROVIDER_USERNAME = "testid-provider"


def provider_user() -> Any:
    """The one (inactive) user row django-oauth-toolkit's grants and tokens point at.

    TestID's persons are not users of this installation; who logged in is on the Login.
    """
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=PROVIDER_USERNAME, defaults={"is_active": False, "first_name": "TestID"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def start_login(
    *,
    client_id: str,
    kind: str,
    acr: str = "",
    locale: str = "nb",
    pid: str = "",
    staff_username: str = "",
) -> Login:
    """Record a completed TestID login (a new session with its own sid)."""
    login = Login.objects.create(
        sid=secrets.token_urlsafe(32),
        client_id=client_id,
        kind=kind,
        pid=pid,
        staff_username=staff_username,
        acr=acr,
        locale=locale,
    )
    # Never the fødselsnummer: the audit log is read by operators.
    record(
        None,
        "testid.login",
        login,
        {"client_id": client_id, "kind": kind, "acr": acr, "staff_user": staff_username},
    )
    return login


@transaction.atomic
def end_login(sid: str) -> Login | None:
    """End the session ``sid``: its access token stops working. None if there is none."""
    login = Login.objects.select_for_update().filter(sid=sid).first()
    if login is None or login.ended_at is not None:
        return login
    login.ended_at = timezone.now()
    login.save(update_fields=["ended_at"])
    if login.access_token_checksum:
        get_access_token_model().objects.filter(token_checksum=login.access_token_checksum).delete()
    record(None, "testid.logout", login, {"client_id": login.client_id, "kind": login.kind})
    return login
