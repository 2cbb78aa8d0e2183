"""Bookable resources, their opening rules and closures, the per-slot capacity counters and
the reservations (a hold that becomes a booking).

Times are stored in UTC and computed in Europe/Oslo (:mod:`iktipet.booking.timetable`).
Capacity is never counted by reading reservations: each slot that has been taken at least
once has a :class:`Slot` row whose ``taken`` is raised by one conditional UPDATE
(``taken < capacity``) — and a check constraint holds it there on both databases.
"""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from iktipet.core.models import Agency


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class Resource(models.Model):
    """Something that can be booked: a service desk, an exam room, a school gym."""

    class PriceRule(models.TextChoices):
        FREE = "free", _("gratis")
        PER_BOOKING = "per_booking", _("per bestilling")
        PER_HOUR = "per_hour", _("per time")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="resources")
    slug = models.SlugField(_("kortnavn"), unique=True)
    name_nb = models.CharField(_("navn (bokmål)"), max_length=150)
    name_en = models.CharField(_("navn (engelsk)"), max_length=150)
    location = models.CharField(_("sted"), max_length=200)
    capacity = models.PositiveIntegerField(_("plasser per tidspunkt"), default=1)
    slot_minutes = models.PositiveIntegerField(_("lengde på tidspunkt (minutter)"), default=30)
    buffer_minutes = models.PositiveIntegerField(_("pause mellom tidspunkt (minutter)"), default=0)
    horizon_days = models.PositiveIntegerField(_("kan bestilles dager fram"), default=60)
    min_notice_minutes = models.PositiveIntegerField(_("minste varsel (minutter)"), default=60)
    quota_per_person = models.PositiveIntegerField(_("kommende bestillinger per person"), default=2)
    price_rule = models.CharField(
        _("pris"), max_length=20, choices=PriceRule.choices, default=PriceRule.FREE
    )
    price_ore = models.PositiveIntegerField(_("pris i øre"), default=0)
    needs_approval = models.BooleanField(_("må godkjennes"), default=False)
    cancel_deadline_hours = models.PositiveIntegerField(_("avbestillingsfrist (timer)"), default=24)
    hold_minutes = models.PositiveIntegerField(_("holdes av (minutter)"), default=10)
    reminder_hours = models.PositiveIntegerField(_("påminnelse (timer før)"), default=24)
    closed_on_sundays = models.BooleanField(_("stengt på søndager"), default=True)
    closed_on_holidays = models.BooleanField(_("stengt på helligdager"), default=True)
    topics = models.JSONField(_("temaer"), default=list, blank=True)
    # Who rents for free (leie av skolelokaler: child and youth organisations): matched
    # against Enhetsregisteret, {"org_forms": ["FLI"], "industry_codes": ["93.1", "94.9"]}
    # (a code matches by prefix; both lists must match when both are given).
    free_for = models.JSONField(_("gratis for (Enhetsregisteret)"), default=dict, blank=True)
    # How long a freed place is kept for the next person on the waitlist.
    waitlist_hold_minutes = models.PositiveIntegerField(
        _("ventelisteplass holdes av (minutter)"), default=120
    )
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)

    class Meta:
        verbose_name = _("ressurs")
        verbose_name_plural = _("ressurser")
        ordering = ["name_nb"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "nb").startswith("en") else self.name_nb


class OpeningRule(models.Model):
    """Open on ``weekday`` (0 = Monday) from ``opens`` to ``closes`` (local time; ``closes``
    00:00 means midnight at the end of the day), within an optional season."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="rules")
    weekday = models.PositiveSmallIntegerField(_("ukedag"))
    opens = models.TimeField(_("åpner"))
    closes = models.TimeField(_("stenger"))
    valid_from = models.DateField(_("gjelder fra"), null=True, blank=True)
    valid_until = models.DateField(_("gjelder til"), null=True, blank=True)
    capacity = models.PositiveIntegerField(_("plasser (tom: ressursens)"), null=True, blank=True)

    class Meta:
        verbose_name = _("åpningstid")
        verbose_name_plural = _("åpningstider")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="booking_rule_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(models.Model):
    """A day the resource is closed, with the reason people are shown."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="closures")
    date = models.DateField(_("dato"))
    reason = models.CharField(_("årsak"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stengt dag")
        verbose_name_plural = _("stengte dager")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "date"], name="booking_closure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date}: {self.reason}"


class Slot(models.Model):
    """The capacity counter of one slot, made when the slot is first taken."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveIntegerField()
    taken = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resource", "starts_at"], name="booking_slot_unique"),
            models.CheckConstraint(
                condition=Q(taken__lte=F("capacity")), name="booking_slot_not_overbooked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} UTC ({self.taken}/{self.capacity})"


class Reservation(models.Model):
    """A hold on a slot that becomes a booking; one row for its whole life, so that its
    calendar UID is stable and every change raises ``sequence``."""

    class Status(models.TextChoices):
        HELD = "held", _("holdt av")
        PENDING = "pending", _("venter på godkjenning")
        CONFIRMED = "confirmed", _("bekreftet")
        CANCELLED = "cancelled", _("avbestilt")
        EXPIRED = "expired", _("utløpt")
        REJECTED = "rejected", _("avslått")
        NO_SHOW = "no_show", _("møtte ikke")

    #: The statuses that hold a seat.
    ACTIVE = (Status.HELD, Status.PENDING, Status.CONFIRMED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="reservations")
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="reservations")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reservations"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.HELD)
    held_until = models.DateTimeField(null=True, blank=True)
    sequence = models.PositiveIntegerField(default=0)
    topic = models.CharField(max_length=50, blank=True)
    note = models.TextField(blank=True)
    email = models.EmailField(blank=True)
    price_ore = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # The recurring rental request this date belongs to (approved or rejected as one).
    rental = models.ForeignKey(
        "RentalRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reservations",
    )

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["user", "status", "starts_at"], name="booking_res_user_idx"),
            models.Index(fields=["resource", "starts_at"], name="booking_res_resource_idx"),
            models.Index(fields=["status", "held_until"], name="booking_res_hold_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.starts_at:%Y-%m-%d %H:%M} UTC ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class RentalRequest(models.Model):
    """One request to rent premises on a weekday, every week of a period (every Tuesday
    18–20 this season): each date checked and kept as a :class:`RentalDate`, the free ones
    held as pending reservations, approved or rejected by staff as one."""

    class Status(models.TextChoices):
        PENDING = "pending", _("venter på godkjenning")
        APPROVED = "approved", _("godkjent")
        REJECTED = "rejected", _("avslått")
        CANCELLED = "cancelled", _("trukket")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="rental_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="rental_requests"
    )
    # Whom the person acts for (accounts.parties.ActingParty): an orgnr, never a pid.
    party_kind = models.CharField(max_length=20)
    party_id = models.CharField(max_length=40, blank=True)
    party_name = models.CharField(max_length=200)
    weekday = models.PositiveSmallIntegerField(_("ukedag"))
    starts = models.TimeField(_("fra"))
    ends = models.TimeField(_("til"))
    first_date = models.DateField(_("første dato"))
    last_date = models.DateField(_("siste dato"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    price_per_hour_ore = models.PositiveIntegerField(default=0)
    hours = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    total_ore = models.PositiveIntegerField(default=0)
    # Why it is free (the register data that matched), shown to staff and the person.
    exemption = models.CharField(max_length=300, blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="booking_rental_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.weekday} {self.starts:%H:%M} ({self.status})"


class RentalDate(models.Model):
    """One date of a recurring request and what the check found (free, closed, …)."""

    class State(models.TextChoices):
        FREE = "free", _("ledig")
        CLOSED = "closed", _("stengt")
        HOLIDAY = "holiday", _("helligdag")
        FULL = "full", _("opptatt")
        UNAVAILABLE = "unavailable", _("kan ikke bestilles")

    request = models.ForeignKey(RentalRequest, on_delete=models.CASCADE, related_name="dates")
    date = models.DateField()
    state = models.CharField(max_length=20, choices=State.choices)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["request", "date"], name="booking_rental_date_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.state}"


class WaitlistEntry(models.Model):
    """A person waiting for a place in a full slot. When a place frees up the first in line
    is offered it: a hold in their name for the resource's ``waitlist_hold_minutes``."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("venter")
        OFFERED = "offered", _("tilbudt plass")
        BOOKED = "booked", _("bestilt")
        LAPSED = "lapsed", _("tilbudet gikk ut")
        LEFT = "left", _("gikk ut av ventelisten")

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="waitlist")
    starts_at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="booking_waits"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(auto_now_add=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    reservation = models.OneToOneField(
        Reservation, on_delete=models.SET_NULL, null=True, blank=True, related_name="waitlist"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "starts_at", "user"],
                condition=Q(status__in=["waiting", "offered"]),
                name="booking_waitlist_once",
            )
        ]
        indexes = [
            models.Index(fields=["resource", "starts_at", "status"], name="booking_wait_slot_idx")
        ]

    def __str__(self) -> str:
        return f"{self.resource_id} {self.starts_at:%Y-%m-%d %H:%M} UTC ({self.status})"
