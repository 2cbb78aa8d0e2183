"""Email accessibility feedback to the operator, in the background (mail may be slow)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from iktipet.core.tasks import background
from iktipet.portal.models import Feedback


@background()
def send_feedback_email(feedback_id: int) -> bool:
    feedback = Feedback.objects.filter(pk=feedback_id).first()
    if feedback is None or not settings.FEEDBACK_EMAIL:
        return False
    with translation.override("nb"):  # the operator's language
        subject = _("Tilbakemelding om tilgjengelighet")
        body = _("Navn: %(name)s\nE-post: %(email)s\nMottatt: %(received)s\n\n%(message)s\n") % {
            "name": feedback.name or "–",
            "email": feedback.email or "–",
            "received": f"{feedback.received_at:%Y-%m-%d %H:%M}",
            "message": feedback.message,
        }
    # Reply-To the writer, when given: the operator answers with one click.
    reply_to = [feedback.email] if feedback.email else None
    EmailMessage(subject, body, None, [settings.FEEDBACK_EMAIL], reply_to=reply_to).send()
    return True
