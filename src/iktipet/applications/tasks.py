"""Background work after a submit, and the periodic clean-up of old drafts."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from iktipet.applications.models import Application
from iktipet.core.tasks import background
from iktipet.ops.periodic import every

logger = logging.getLogger(__name__)


def _min_side_url() -> str:
    try:
        path = reverse("accounts:my_page")
    except NoReverseMatch:
        path = "/min-side/"
    return f"{settings.BASE_URL}{path}"


@background()
def send_confirmation_email(application_id: str) -> bool:
    """Tell the applicant we received it. Only the reference and a link: no answers."""
    application = (
        Application.objects.select_related("applicant")
        .filter(pk=application_id, status=Application.Status.SUBMITTED)
        .first()
    )
    if application is None or not application.applicant.email:
        logger.info("no confirmation email sent", extra={"application": application_id})
        return False
    summary = application.summary or {}
    with translation.override(summary.get("language", "nb")):
        subject = _("Vi har mottatt søknaden din (%(reference)s)") % {
            "reference": application.reference
        }
        body = _(
            "Hei,\n\nvi har mottatt søknaden din: %(service)s.\n"
            "Referansen er %(reference)s.\n\n"
            "Kvitteringen og søknaden finner du på Min side: %(url)s\n\n"
            "Denne e-posten kan ikke besvares.\n"
        ) % {
            "service": summary.get("service_title", ""),
            "reference": application.reference,
            "url": _min_side_url(),
        }
        payment = summary.get("payment") or {}
        if payment:
            # What was paid belongs on the receipt the person keeps (issue 11.3).
            body += "\n" + _("Du har betalt %(amount)s (betalingsreferanse %(payment)s).\n") % {
                "amount": payment.get("amount", ""),
                "payment": payment.get("reference", ""),
            }
    send_mail(subject, body, None, [application.applicant.email])
    return True


@every(timedelta(hours=1), name="applications.delete_expired_drafts")
@background(queue_name="periodic")
def delete_expired_drafts() -> int:
    from iktipet.applications.services import delete_drafts_older_than

    return delete_drafts_older_than(timezone.now() - timedelta(days=settings.DRAFT_RETENTION_DAYS))
