"""Case numbers per agency and year: ``2026/000123``, no duplicates and no gaps.

The counter row is incremented inside the caller's transaction. On PostgreSQL the UPDATE
takes the row lock, so a concurrent submit of the same agency waits until this one commits
and then counts on from its number; a rollback undoes the increment, so no number is lost.
SQLite's IMMEDIATE transactions serialise writers, which gives the same guarantees.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from iktipet.cases.models import CaseNumberSequence


def allocate_case_number(agency_id: int, year: int) -> int:
    """The next number for ``agency_id`` in ``year``. Call inside the creating transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a case number must be allocated in the transaction that uses it")
    counter = CaseNumberSequence.objects.filter(agency_id=agency_id, year=year)
    if not counter.update(last=F("last") + 1):
        # The first case of the year: create the row (a concurrent first creates it too,
        # and the conflict is ignored), then count as usual.
        CaseNumberSequence.objects.bulk_create(
            [CaseNumberSequence(agency_id=agency_id, year=year, last=0)], ignore_conflicts=True
        )
        counter.update(last=F("last") + 1)
    return counter.values_list("last", flat=True).get()
