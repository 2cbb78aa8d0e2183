"""Case numbers per agency and year: ``2026/000123``, no duplicates and no gaps.

The counter row is incremented inside the caller's transaction. On PostgreSQL the UPDATE
takes the row lock, so a concurrent submit of the same agency waits until this one commits
and then counts on from its number; a rollback undoes the increment, so no number is lost.
SQLite's IMMEDIATE transactions serialise writers, which gives the same guarantees.
"""

from __future__ import annotations

from django.db import router, transaction
from django.db.models import F, Field

from iktipet.cases.models import CaseNumberSequence


def _column(name: str) -> str:
    field = CaseNumberSequence._meta.get_field(name)
    assert isinstance(field, Field)
    return str(field.column)


def _increment(agency_id: int, year: int) -> int | None:
    """The counter's new value, or None if the agency has no counter for ``year`` yet."""
    connection = transaction.get_connection(router.db_for_write(CaseNumberSequence))
    if connection.features.can_return_columns_from_insert:
        # PostgreSQL, SQLite ≥ 3.35: UPDATE … RETURNING, one statement instead of two (the ORM
        # has no update that returns; the table and columns come from the model).
        meta = CaseNumberSequence._meta
        table = connection.ops.quote_name(meta.db_table)
        last, agency, year_column = (
            connection.ops.quote_name(_column(name)) for name in ("last", "agency", "year")
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {last} = {last} + 1"  # noqa: S608 (names from the model)
                f" WHERE {agency} = %s AND {year_column} = %s RETURNING {last}",
                [agency_id, year],
            )
            row = cursor.fetchone()
        return None if row is None else int(row[0])
    counter = CaseNumberSequence.objects.filter(agency_id=agency_id, year=year)
    if not counter.update(last=F("last") + 1):
        return None
    return counter.values_list("last", flat=True).get()


def allocate_case_number(agency_id: int, year: int) -> int:
    """The next number for ``agency_id`` in ``year``. Call inside the creating transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a case number must be allocated in the transaction that uses it")
    number = _increment(agency_id, year)
    if number is None:
        # The first case of the year: create the row (a concurrent first creates it too,
        # and the conflict is ignored), then count as usual.
        CaseNumberSequence.objects.bulk_create(
            [CaseNumberSequence(agency_id=agency_id, year=year, last=0)], ignore_conflicts=True
        )
        number = _increment(agency_id, year)
    if number is None:
        raise RuntimeError(f"no case number counter for agency {agency_id} in {year}")
    return number
