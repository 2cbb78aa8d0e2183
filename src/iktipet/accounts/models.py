"""Users of the platform: citizens (found by pid), staff (found by their IdP subject)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login identity. Citizens' personal data lives on the person record, not here."""

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("innbygger")
        STAFF = "staff", _("ansatt")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.CITIZEN)

    class Meta(AbstractUser.Meta):
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")
        swappable = "AUTH_USER_MODEL"

    @property
    def audit_label(self) -> str:
        return f"{self.kind}:{self.pk}"
