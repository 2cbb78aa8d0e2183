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
