"""Reads for an API client: the cases of its granted agencies, through the cases app's staff
selectors as the client's service user (so reads are audited as a case worker's are)."""

from __future__ import annotations

import datetime as dt
import heapq
import uuid
from itertools import islice
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from iktipet.cases.models import Case
from iktipet.cases.permissions import case_agency_ids
from iktipet.cases.selectors import case_for_staff, cases_for_staff
from iktipet.core.models import DomainEvent
from iktipet.integrations.models import ApiClient
from iktipet.integrations.services import ensure_service_user

#: The event feed shows events this much older than now: an event's time is set when its
#: transaction writes it, and a transaction still running may commit an earlier time later.
FEED_SETTLE = dt.timedelta(seconds=2)


def cases_for_client(client: ApiClient) -> QuerySet[Case]:
    return cases_for_staff(ensure_service_user(client))


def case_for_client(client: ApiClient, case_id: Any, *, purpose: str = "api") -> Case:
    """One case of the client's agencies; Http404 for any other (never 403)."""
    return case_for_staff(ensure_service_user(client), case_id, purpose=purpose)


def in_utc(moment: dt.datetime) -> dt.datetime:
    """An aware moment as UTC. A client may write any offset ISO 8601 allows (up to ±23:59);
    PostgreSQL refuses one beyond ±15:59 (a 500, found by the schema test), and the same
    instant in UTC is always accepted. Beyond the calendar after the conversion: its end."""
    if moment.tzinfo is None:
        return moment
    try:
        return moment.astimezone(dt.UTC)
    except OverflowError:
        edge = dt.datetime.min if moment.year == dt.MINYEAR else dt.datetime.max
        return edge.replace(tzinfo=dt.UTC)


def case_page(
    client: ApiClient,
    *,
    after: tuple[dt.datetime, uuid.UUID] | None,
    limit: int,
    status: str = "",
    service: str = "",
    changed_since: dt.datetime | None = None,
) -> list[Case]:
    """Newest received first, keyset-paged on (received_at, id) as the staff inbox is.

    One key query per granted agency: each walks an index that starts with the agency (the
    inbox's (agency, received_at, id), or for ``changed_since`` the range of
    (agency, updated_at, received_at, id)) for at most ``limit`` rows, where one query over
    all the client's agencies would sort every matching case. On PostgreSQL they go as one
    UNION ALL that also merges them (one round trip; SQLite refuses LIMIT in its parts, so
    they are merged here); then the page's cases in one query (bench/bench_api.py).
    """
    user = ensure_service_user(client)
    cases = Case.objects.all()
    if status:
        cases = cases.filter(status=status)
    if service:
        cases = cases.filter(service_id=service)
    if changed_since is not None:
        cases = cases.filter(updated_at__gte=in_utc(changed_since))
    if after is not None:
        received, pk = after
        cases = cases.filter(Q(received_at__lt=received) | Q(received_at=received, pk__lt=pk))
    order = ("-received_at", "-id")
    per_agency = [
        cases.filter(agency_id=agency_id).order_by(*order).values_list("received_at", "id")[:limit]
        for agency_id in case_agency_ids(user)
    ]
    if not per_agency:
        return []
    if connection.features.supports_slicing_ordering_in_compound and len(per_agency) > 1:
        first, *rest = per_agency
        merged = list(first.union(*rest, all=True).order_by(*order)[:limit])
    else:
        merged = list(islice(heapq.merge(*per_agency, reverse=True), limit))
    keys = [pk for _received, pk in merged]
    found = Case.objects.select_related("agency").in_bulk(keys)
    return [found[pk] for pk in keys if pk in found]


def event_page(
    client: ApiClient, *, after: tuple[dt.datetime, uuid.UUID] | None, limit: int
) -> list[DomainEvent]:
    """The domain events of the client's agencies, oldest first, after the cursor."""
    events = DomainEvent.objects.filter(
        agency__in=client.agencies.all() if client.active else [],
        occurred_at__lte=timezone.now() - FEED_SETTLE,
    )
    if after is not None:
        at, pk = after
        events = events.filter(Q(occurred_at__gt=at) | Q(occurred_at=at, pk__gt=pk))
    return list(events.order_by("occurred_at", "id")[:limit])
