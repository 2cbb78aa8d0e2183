"""Writes of the integration layer: the API client's staff identity and the back office's
case actions, each through the cases app's own services (same rules, audit, notifications)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from iktipet.accounts.models import StaffRole
from iktipet.accounts.services import sync_staff_roles
from iktipet.cases import services as case_services
from iktipet.cases.models import Case, Decision
from iktipet.core import audit
from iktipet.core.errors import ActionRefused
from iktipet.documents.uploads import check_upload
from iktipet.integrations.models import ApiClient

if TYPE_CHECKING:
    from iktipet.accounts.types import User


def ensure_service_user(client: ApiClient) -> User:
    """The staff user ``client`` acts as: case worker in each agency it is granted.

    It has no password and no identity-provider subject, so nobody can log in as it; its
    name is what applicants see on the timeline ("Systemet X, Agency").
    """
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    user = client.service_user
    if user is None:
        with transaction.atomic():
            user = user_model.objects.create(
                username=f"api-{client.orgnr}",
                kind="staff",
                first_name=client.name[:150],
            )
            user.set_unusable_password()
            user.save(update_fields=["password"])
            ApiClient.objects.filter(pk=client.pk).update(service_user=user)
            client.service_user = user
            sync_service_roles(client)
    return user


def sync_service_roles(client: ApiClient) -> None:
    """Make the service user's roles the client's granted agencies (called when saved)."""
    if client.service_user is None:
        return
    wanted = {(agency.slug, StaffRole.Role.CASE_WORKER.value) for agency in client.agencies.all()}
    if not client.active:
        wanted = set()
    sync_staff_roles(client.service_user, wanted)


def change_status(case: Case, *, client: ApiClient, transition: str, note: str = "") -> Case:
    """Take a workflow transition, as a case worker at the staff page would."""
    return case_services.transition_case(
        case, transition, user=ensure_service_user(client), note=note
    )


def post_message(case: Case, *, client: ApiClient, body: str) -> Any:
    """Write to the applicant in the case's thread (they are notified)."""
    if not body.strip():
        raise ActionRefused(_("Skriv en melding."), field="body")
    if len(body) > case_services.MAX_NOTE:
        raise ActionRefused(_("Meldingen er for lang."), field="body")
    return case_services.post_staff_message(case, user=ensure_service_user(client), body=body)


def record_decision(
    case: Case,
    *,
    client: ApiClient,
    outcome: str,
    justification: str,
    legal_basis: str,
    appeal_body: str = "",
    letter: UploadedFile | None = None,
) -> Decision:
    """Make the decision through ``decide_case``; the back office's own letter (a PDF), when
    sent, is kept as the decision letter instead of the one Iktipet would render."""
    checked = None
    if letter is not None:
        checked = check_upload(letter, accept=("pdf",), already_stored=0)
    user = ensure_service_user(client)
    with transaction.atomic():
        decision = case_services.decide_case(
            case,
            user=user,
            outcome=outcome,
            justification=justification,
            legal_basis=legal_basis,
            appeal_body=appeal_body,
        )
        if letter is not None and checked is not None:
            letter.seek(0)
            decision.letter_pdf.save("vedtak.pdf", letter, save=True)
            audit.record(user, "integrations.letter_uploaded", case, {"sha256": checked.sha256})
    return decision
