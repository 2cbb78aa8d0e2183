"""TestID's own state: its signing keys and the logins (OIDC sessions) it has made.

Clients, authorization codes and tokens are django-oauth-toolkit's models.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SigningKey(models.Model):
    """An RSA key that signs id_tokens. Generated on first use, never committed.

    The private key is kept in clear in the database: TestID is a test identity provider
    whose tokens prove nothing outside test and demo installations.
    """

    kid = models.CharField(_("nøkkel-id"), max_length=64, unique=True)
    private_pem = models.TextField(_("privat nøkkel (PEM)"))
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)
    retired_at = models.DateTimeField(_("pensjonert"), null=True, blank=True)

    class Meta:
        verbose_name = _("signeringsnøkkel")
        verbose_name_plural = _("signeringsnøkler")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.kid


class Login(models.Model):
    """One completed TestID login. Its ``sid`` is the session id sent to the client.

    The pid is a synthetic test number (TestID accepts no other), kept so the token and
    userinfo endpoints can answer for this login.
    """

    class Kind(models.TextChoices):
        CITIZEN = "citizen", _("innbygger")
        STAFF = "staff", _("ansatt")

    sid = models.CharField(_("sesjons-id"), max_length=64, unique=True)
    client_id = models.CharField(_("klient"), max_length=255)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    pid = models.CharField(_("syntetisk fødselsnummer"), max_length=11, blank=True)
    staff_username = models.CharField(_("ansattbrukernavn"), max_length=100, blank=True)
    acr = models.CharField(_("sikkerhetsnivå"), max_length=40, blank=True)
    locale = models.CharField(_("språk"), max_length=5, default="nb")
    authenticated_at = models.DateTimeField(_("logget inn"), default=timezone.now)
    ended_at = models.DateTimeField(_("logget ut"), null=True, blank=True)
    # Links to django-oauth-toolkit's code and token by hash, not by foreign key: those
    # rows die on use or expiry while the login lives on.
    code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    access_token_checksum = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        verbose_name = _("TestID-innlogging")
        verbose_name_plural = _("TestID-innlogginger")

    def __str__(self) -> str:
        return f"{self.kind} {self.client_id} {self.authenticated_at:%Y-%m-%d %H:%M}"

    @property
    def active(self) -> bool:
        return self.ended_at is None


class MachineClient(models.Model):
    """A test system that gets Maskinporten-shaped access tokens by the JWT-bearer grant.

    It signs its grant with its own key; TestID knows the public half. A client TestID made
    for the demo also keeps its private key here, so ``iktipet testid_api_token`` can sign
    the grant for it: TestID's tokens prove nothing outside test and demo installations.
    """

    client_id = models.CharField(_("klient-id"), max_length=100, unique=True)
    orgnr = models.CharField(_("organisasjonsnummer"), max_length=9)
    scopes = models.JSONField(_("tillatte scopes"), default=list)
    public_jwk = models.JSONField(_("offentlig nøkkel (JWK)"))
    private_pem = models.TextField(_("privat nøkkel (PEM, bare demo)"), blank=True)
    created_at = models.DateTimeField(_("opprettet"), default=timezone.now)

    class Meta:
        verbose_name = _("maskinklient")
        verbose_name_plural = _("maskinklienter")

    def __str__(self) -> str:
        return f"{self.client_id} ({self.orgnr})"
