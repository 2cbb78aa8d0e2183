"""What the portal itself keeps: feedback on accessibility, sent to the operator."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

#: The longest message the form takes; the form and the column agree.
MESSAGE_MAX_LENGTH = 5000


class Feedback(models.Model):
    """A message from the accessibility statement's form (the law asks for a channel)."""

    name = models.CharField(_("navn"), max_length=200, blank=True)
    email = models.EmailField(_("e-post"), blank=True)
    message = models.TextField(_("melding"), max_length=MESSAGE_MAX_LENGTH)
    received_at = models.DateTimeField(_("mottatt"), auto_now_add=True)

    class Meta:
        verbose_name = _("tilbakemelding")
        verbose_name_plural = _("tilbakemeldinger")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.name or self.email or '–'}"
