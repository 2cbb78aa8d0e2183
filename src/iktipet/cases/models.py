"""Cases, their numbering, timeline, decisions, appeals, hearings and offers."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CaseNumberSequence(models.Model):
    """The last case number given out per agency and year.

    Incremented in the submit transaction, so a rolled-back submit gives its number back
    (no gaps) and the row lock serialises concurrent submits of one agency (no duplicates).
    """

    agency = models.ForeignKey("core.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("saksnummerserie")
        verbose_name_plural = _("saksnummerserier")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="case_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"


def letter_upload_path(instance: Decision, filename: str) -> str:
    return f"cases/{instance.case_id}/vedtak-{uuid.uuid4().hex}.pdf"


class Case(models.Model):
    """A matter between a party and an agency: an application or an appeal."""

    class Kind(models.TextChoices):
        APPLICATION = "application", _("søknad")
        APPEAL = "appeal", _("klage")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(
        "core.Agency", on_delete=models.PROTECT, related_name="cases", verbose_name=_("virksomhet")
    )
    year = models.PositiveSmallIntegerField(_("år"))
    sequence = models.PositiveIntegerField(_("løpenummer"))
    kind = models.CharField(_("sakstype"), max_length=12, choices=Kind.choices)
    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.PROTECT,
        related_name="case",
        null=True,
        blank=True,
        verbose_name=_("søknad"),
    )
    appeal_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="appeals",
        null=True,
        blank=True,
        verbose_name=_("klage på sak"),
    )
    service_id = models.CharField(_("tjeneste"), max_length=100)
    title = models.CharField(_("tittel"), max_length=200)
    workflow = models.CharField(_("arbeidsflyt"), max_length=50)
    status = models.CharField(_("status"), max_length=40)
    #: False once the case reaches a final state: the inbox's "open" lists and overdue filter.
    is_open = models.BooleanField(_("åpen"), default=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("innsender"),
    )
    party_kind = models.CharField(_("part er"), max_length=12, default="person")
    party_identifier = models.CharField(_("partens organisasjonsnummer"), max_length=20, blank=True)
    party_name = models.CharField(_("part"), max_length=200)
    #: ``party_name`` lowercased, for the inbox's prefix search.
    search_name = models.CharField(max_length=200, editable=False)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
        null=True,
        blank=True,
        verbose_name=_("saksbehandler"),
    )
    received_at = models.DateTimeField(_("mottatt"))
    due_date = models.DateField(_("frist for behandling"), null=True, blank=True)
    #: When the applicant must answer by (a request for information, an offer).
    waiting_until = models.DateTimeField(_("svarfrist for søker"), null=True, blank=True)
    decided_at = models.DateTimeField(_("vedtak fattet"), null=True, blank=True)
    closed_at = models.DateTimeField(_("avsluttet"), null=True, blank=True)
    thread = models.OneToOneField(
        "messaging.Thread",
        on_delete=models.PROTECT,
        related_name="case",
        null=True,
        blank=True,
        verbose_name=_("meldingstråd"),
    )
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    class Meta:
        verbose_name = _("sak")
        verbose_name_plural = _("saker")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "sequence"], name="case_number_unique"
            ),
        ]
        # The inbox lists newest first within an agency, keyset-paginated on
        # (received_at, id); each filter it offers has an index that starts the same way.
        indexes = [
            models.Index(fields=["agency", "-received_at", "-id"], name="case_inbox_all"),
            # The default list (open cases) and the overdue filter: most cases are closed.
            models.Index(
                fields=["agency", "-received_at", "-id"],
                condition=Q(is_open=True),
                name="case_inbox_open",
            ),
            models.Index(
                fields=["agency", "assignee", "-received_at", "-id"], name="case_inbox_assignee"
            ),
            models.Index(
                fields=["agency", "status", "-received_at", "-id"], name="case_inbox_status"
            ),
            models.Index(
                fields=["agency", "service_id", "-received_at", "-id"], name="case_inbox_service"
            ),
            models.Index(
                fields=["agency", "due_date"], condition=Q(is_open=True), name="case_inbox_due"
            ),
            # varchar_pattern_ops lets PostgreSQL use the index for a prefix LIKE under any
            # collation (SQLite ignores opclasses).
            models.Index(
                fields=["agency", "search_name"],
                opclasses=["int8_ops", "varchar_pattern_ops"],
                name="case_inbox_name",
            ),
            models.Index(fields=["applicant", "-received_at"], name="case_applicant"),
            models.Index(
                fields=["party_kind", "party_identifier", "-received_at"], name="case_party"
            ),
            # The API's changed_since: per agency, the range on updated_at with the page's key
            # (received_at, id) in the index, so the key query and its cursor are index-only
            # (bench/README.md, issue 15).
            models.Index(
                fields=["agency", "updated_at", "received_at", "id"], name="case_changed_since"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """The case number as people say it: ``2026/000123``."""
        return f"{self.year}/{self.sequence:06d}"

    @property
    def workflow_model(self):  # -> Workflow (typed lazily: workflow imports catalog)
        from iktipet.cases.workflow import get_workflow

        return get_workflow(self.workflow)

    @property
    def status_label(self) -> str:
        return self.workflow_model.label(self.status)

    @property
    def is_organisation(self) -> bool:
        return self.party_kind == "organisation"


class CaseEvent(models.Model):
    """One line of a case's timeline: a status change, an assignment, a message, a decision."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("tidspunkt"), auto_now_add=True)
    kind = models.CharField(_("hendelse"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("utført av"), max_length=200, blank=True)
    from_status = models.CharField(_("fra status"), max_length=40, blank=True)
    to_status = models.CharField(_("til status"), max_length=40, blank=True)
    note = models.TextField(_("merknad"), blank=True)
    details = models.JSONField(_("detaljer"), default=dict, blank=True)
    #: Internal notes and staff-only steps are hidden from the applicant's timeline.
    visible_to_applicant = models.BooleanField(_("synlig for søker"), default=True)

    class Meta:
        verbose_name = _("sakshendelse")
        verbose_name_plural = _("sakshendelser")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_timeline")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class Decision(models.Model):
    """An enkeltvedtak: outcome, justification (fvl. § 24) and the right to appeal (§ 28–29)."""

    class Outcome(models.TextChoices):
        GRANTED = "granted", _("innvilget")
        PARTLY_GRANTED = "partly_granted", _("delvis innvilget")
        REFUSED = "refused", _("avslått")
        DISMISSED = "dismissed", _("avvist")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("utfall"), max_length=20, choices=Outcome.choices)
    justification = models.TextField(_("begrunnelse"))
    legal_basis = models.TextField(_("hjemmel"))
    appeal_body = models.CharField(_("klageinstans"), max_length=200)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by_label = models.CharField(_("fattet av"), max_length=200)
    decided_at = models.DateTimeField(_("vedtaksdato"))
    #: When the decision reached the party (notified, or opened on Min side): § 29 counts
    #: the appeal deadline from here.
    delivered_at = models.DateTimeField(_("kommet fram"), null=True, blank=True)
    appeal_deadline = models.DateField(_("klagefrist"), null=True, blank=True)
    language = models.CharField(_("språk"), max_length=5, default="nb")
    letter_pdf = models.FileField(_("vedtaksbrev (PDF)"), upload_to=letter_upload_path, blank=True)

    class Meta:
        verbose_name = _("vedtak")
        verbose_name_plural = _("vedtak")

    def __str__(self) -> str:
        return f"{self.case} {self.get_outcome_display()}"


class Appeal(models.Model):
    """A klage on a decision: its grounds, and the linked appeal case it opened."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="appeals")
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="appeal")
    grounds = models.TextField(_("begrunnelse for klagen"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("sendt inn"), auto_now_add=True)
    late = models.BooleanField(_("etter fristen"), default=False)

    class Meta:
        verbose_name = _("klage")
        verbose_name_plural = _("klager")

    def __str__(self) -> str:
        return f"{self.case} → {self.decision.case}"


class HearingRequest(models.Model):
    """A hearing body asked for its statement (skjenkebevilling: police, social, tax)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    body = models.CharField(_("høringsinstans"), max_length=50)
    body_label = models.CharField(_("høringsinstans (navn)"), max_length=200)
    sent_at = models.DateTimeField(_("sendt"), auto_now_add=True)
    answered_at = models.DateTimeField(_("svar mottatt"), null=True, blank=True)
    has_remarks = models.BooleanField(_("har merknader"), default=False)
    response = models.TextField(_("uttalelse"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("høring")
        verbose_name_plural = _("høringer")
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "body"], name="hearing_once_per_body")
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.body}"

    @property
    def label(self) -> str:
        """The body's name in the current language (the workflow's), else as stored."""
        from iktipet.cases.workflow import get_workflow

        for body in get_workflow(self.case.workflow).hearing_bodies:
            if body.id == self.body:
                return body.label.get()
        return self.body_label


class Offer(models.Model):
    """An offer of a kindergarten place, answered within the workflow's days or expired."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("tilbudt")
        ACCEPTED = "accepted", _("takket ja")
        DECLINED = "declined", _("takket nei")
        EXPIRED = "expired", _("utløpt")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="offers")
    kindergarten_id = models.CharField(_("barnehage-id"), max_length=50)
    kindergarten_name = models.CharField(_("barnehage"), max_length=200)
    start_date = models.DateField(_("oppstart"))
    answer_by = models.DateTimeField(_("svarfrist"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OFFERED
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("gitt"), auto_now_add=True)
    answered_at = models.DateTimeField(_("besvart"), null=True, blank=True)

    class Meta:
        verbose_name = _("tilbud om barnehageplass")
        verbose_name_plural = _("tilbud om barnehageplass")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(status="offered"), name="offer_one_open_per_case"
            )
        ]
        indexes = [
            models.Index(fields=["answer_by"], condition=Q(status="offered"), name="offer_open_due")
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.kindergarten_name}"


class Claim(models.Model):
    """A payment claim on a case: the fee its decision carries, or one a case worker raised
    by hand (with a reason). The payment order lives in ``payments``, its payable being
    ``("case", str(claim.pk))``: one order per claim, so a case can carry several."""

    class Kind(models.TextChoices):
        DECISION = "decision", _("gebyr etter vedtak")
        MANUAL = "manual", _("krav fra saksbehandler")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="claims")
    kind = models.CharField(_("type krav"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("begrunnelse"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("opprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("betalingskrav")
        verbose_name_plural = _("betalingskrav")
        ordering = ["created_at", "id"]
        constraints = [
            # A decision's fee is claimed once, however often the grant is retried.
            models.UniqueConstraint(
                fields=["case"], condition=Q(kind="decision"), name="claim_one_decision_fee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.kind}"
