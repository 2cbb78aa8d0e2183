"""Users of the platform: citizens (found by pid), staff (found by their IdP subject)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from iktipet.accounts import pid as pid_crypto

#: Where a Person keeps its decrypted pid for the request (never pickled).
_PID_MEMO = "_pid_clear"


class User(AbstractUser):
    """A login identity. Citizens' personal data lives on the person record, not here."""

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("innbygger")
        STAFF = "staff", _("ansatt")

    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.CITIZEN)
    # Staff are found by (issuer, subject) from the city's identity provider; citizens by pid.
    oidc_issuer = models.CharField(_("identitetsleverandør"), max_length=200, blank=True)
    oidc_subject = models.CharField(
        _("subjekt hos identitetsleverandøren"), max_length=255, blank=True
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                fields=["oidc_issuer", "oidc_subject"],
                condition=~Q(oidc_subject=""),
                name="accounts_user_unique_oidc_subject",
            )
        ]

    @property
    def audit_label(self) -> str:
        return f"{self.kind}:{self.pk}"

    @property
    def display_name(self) -> str:
        return self.get_full_name() or str(_("Innlogget bruker"))

    @property
    def is_citizen(self) -> bool:
        return self.kind == self.Kind.CITIZEN

    @property
    def is_staff_member(self) -> bool:
        return self.kind == self.Kind.STAFF


class Person(models.Model):
    """A citizen, identified by fødselsnummer or d-nummer (``pid``).

    The pid is stored encrypted (AES-GCM) with a keyed hash for look-ups, so a database dump
    reveals neither. Name and address are not stored: they come from the population register.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person"
    )
    pid_hash = models.CharField(_("oppslagsnøkkel"), max_length=64, unique=True, editable=False)
    pid_encrypted = models.CharField(_("kryptert fødselsnummer"), max_length=200, editable=False)
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("personer")

    def __str__(self) -> str:
        return self.user.get_full_name() or self.pid_masked

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state.pop(_PID_MEMO, None)
        return state

    @property
    def pid(self) -> str:
        """The fødselsnummer in clear text. Never log it, never put it in a URL.

        Decrypted once per instance (a page asked for it three times: the register's
        address, the organisations, the masked number; issue 13), for as long as the
        ciphertext is the same. An instance lives for a request; the clear text is left out
        of its pickle (``__getstate__``), so a Person put in a cache never carries it."""
        memo = self.__dict__.get(_PID_MEMO)
        if memo is not None and memo[0] == self.pid_encrypted:
            return str(memo[1])
        clear = pid_crypto.decrypt_pid(self.pid_encrypted)
        self.__dict__[_PID_MEMO] = (self.pid_encrypted, clear)
        return clear

    @property
    def pid_masked(self) -> str:
        return pid_crypto.mask(self.pid)

    def set_pid(self, pid: str) -> None:
        self.pid_hash = pid_crypto.pid_lookup_hash(pid)
        self.pid_encrypted = pid_crypto.encrypt_pid(pid)


class StaffRole(models.Model):
    """A staff member's role in one agency (or the platform role ``operator``).

    Refreshed from the staff identity provider's roles claim at every login.
    """

    class Role(models.TextChoices):
        CASE_WORKER = "case_worker", _("saksbehandler")
        SERVICE_ADMIN = "service_admin", _("tjenesteforvalter")
        AGENCY_ADMIN = "agency_admin", _("virksomhetsadministrator")
        # Refunds and reconciliation of the agency's payments (payments app), nothing else.
        FINANCE = "finance", _("økonomi")
        OPERATOR = "operator", _("driftsoperatør")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles"
    )
    agency = models.ForeignKey(
        "core.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="staff_roles",
        verbose_name=_("virksomhet"),
    )
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("ansattrolle")
        verbose_name_plural = _("ansattroller")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="accounts_staffrole_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(agency__isnull=True),
                name="accounts_staffrole_unique_platform",
            ),
            # The operator is a platform role; every other role belongs to an agency.
            models.CheckConstraint(
                condition=(Q(role="operator") & Q(agency__isnull=True))
                | (~Q(role="operator") & Q(agency__isnull=False)),
                name="accounts_staffrole_agency_matches_role",
            ),
        ]

    def __str__(self) -> str:
        if self.agency_id is None:
            return self.get_role_display()
        return f"{self.get_role_display()} ({self.agency})"


class OidcSession(models.Model):
    """Which of our sessions belongs to which session (``sid``) at the identity provider.

    Front-channel logout names the provider's ``iss`` and ``sid``; this index lets us end
    exactly the matching sessions and no others.
    """

    issuer = models.CharField(max_length=200)
    sid = models.CharField(max_length=255)
    session_key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("innloggingsøkt")
        verbose_name_plural = _("innloggingsøkter")
        indexes = [models.Index(fields=["issuer", "sid"])]

    def __str__(self) -> str:
        return f"{self.issuer} {self.created_at:%Y-%m-%d %H:%M}"


class Session(AbstractBaseSession):
    """Django's session row (``SESSION_ENGINE``'s model), with the id of the user logged in.

    The id is written from the session's own data (Django's ``SESSION_KEY``) on every save,
    so the session and its user are read in one statement (``core.sessions``). The data stay
    the authority: the user read with the row is used only when its id is the one in the
    data, and Django's checks (backend, auth hash, an active user) run as before. No
    database constraint: a deleted user's session stays as Django leaves it (no user; the
    row joins nothing).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # nothing looks a session up by its user
        related_name="+",
    )

    class Meta(AbstractBaseSession.Meta):
        db_table = "accounts_session"

    @classmethod
    def get_session_store_class(cls) -> type[Any]:
        from importlib import import_module

        store: type[Any] = import_module(settings.SESSION_ENGINE).SessionStore
        return store
