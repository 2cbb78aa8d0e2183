"""Case numbers: per agency and year, no duplicates and no gaps, also under concurrency."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction

from iktipet.cases.models import Case
from iktipet.cases.numbering import allocate_case_number
from iktipet.core.models import Agency, Municipality


def _agency(slug: str) -> Agency:
    municipality = Municipality.objects.first() or Municipality.objects.create(
        name="Testkommune", kommunenummer="0301"
    )
    return Agency.objects.create(municipality=municipality, slug=slug, name_nb=slug, name_en=slug)


def test_reference_is_year_and_six_digits():
    assert Case(year=2026, sequence=123).reference == "2026/000123"


@pytest.mark.django_db
def test_numbers_count_per_agency_and_year():
    first, second = _agency("a"), _agency("b")
    with transaction.atomic():
        got = [allocate_case_number(first.pk, 2026) for _ in range(3)]
        got.append(allocate_case_number(second.pk, 2026))
        got.append(allocate_case_number(first.pk, 2027))
    assert got == [1, 2, 3, 1, 1]


@pytest.mark.django_db
def test_a_rolled_back_submit_gives_its_number_back():
    agency = _agency("a")
    with transaction.atomic():
        assert allocate_case_number(agency.pk, 2026) == 1
    try:
        with transaction.atomic():
            assert allocate_case_number(agency.pk, 2026) == 2
            raise RuntimeError("the submit failed after the number was taken")
    except RuntimeError:
        pass
    with transaction.atomic():
        assert allocate_case_number(agency.pk, 2026) == 2


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_is_refused():
    agency = _agency("a")
    with pytest.raises(RuntimeError):
        allocate_case_number(agency.pk, 2026)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL's row locks"
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocation_on_postgresql_has_no_duplicates_and_no_gaps():
    agency = _agency("concurrent")
    workers, per_worker = 8, 25
    taken: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def work(index: int) -> None:
        try:
            barrier.wait()
            for attempt in range(per_worker):
                try:
                    with transaction.atomic():
                        number = allocate_case_number(agency.pk, 2026)
                        # Every fifth transaction of odd workers fails after taking a number.
                        if index % 2 and attempt % 5 == 0:
                            raise ValueError("rolled back")
                except ValueError:
                    continue
                with lock:
                    taken.append(number)
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors
    rolled_back = (workers // 2) * len(range(0, per_worker, 5))
    assert len(taken) == workers * per_worker - rolled_back
    assert sorted(taken) == list(range(1, len(taken) + 1))
