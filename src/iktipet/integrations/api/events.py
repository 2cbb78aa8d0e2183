"""The event feed: the domain events of your agencies since a cursor, for systems that poll
instead of receiving webhooks. The same CloudEvents the webhooks carry."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from pydantic import ConfigDict

from iktipet.integrations.api import paging
from iktipet.integrations.api.auth import EVENTS_READ
from iktipet.integrations.api.problems import errors
from iktipet.integrations.cloudevents import to_cloudevent
from iktipet.integrations.selectors import event_page

router = Router(tags=["events"], auth=EVENTS_READ)

EVENT_EXAMPLE = {
    "specversion": "1.0",
    "id": "3e0d5b0e-7d0a-4bb3-8d8c-0a3f9d1c2b4e",
    "source": "/agencies/plan-og-bygningsetaten",
    "type": "no.iktipet.case.status_changed",
    "subject": "cases/0b9f7c1e-2f0c-4a55-9d7e-3b1f5f0c9a11",
    "time": "2026-12-02T10:00:00+00:00",
    "datacontenttype": "application/json",
    "data": {
        "case": "0b9f7c1e-2f0c-4a55-9d7e-3b1f5f0c9a11",
        "reference": "2026/000123",
        "service": "byggesak-enkel",
        "status": "in_progress",
        "from": "received",
        "links": {"case": "https://iktipet.example/api/v1/cases/0b9f7c1e-…"},
    },
}


class EventPageOut(Schema):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"items": [EVENT_EXAMPLE], "next_cursor": "MjAy…"}]}
    )

    items: list[dict[str, Any]] = Field(description="CloudEvents 1.0, oldest first.")
    next_cursor: str | None = Field(
        description="Pass as `after` next time (null: nothing new yet; keep your last cursor)."
    )


class EventQuery(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [{"after": "MjAy…", "limit": 100}]})

    after: str = Field(
        "", max_length=200, pattern=paging.PLAIN_TEXT, description="The `next_cursor` you got last."
    )
    limit: int = Field(100, ge=1, le=paging.MAX_LIMIT)


@router.get("", response={200: EventPageOut, **errors()}, summary="Events since a cursor")
def list_events(request: HttpRequest, query: Query[EventQuery]) -> EventPageOut:
    """Events become visible two seconds after they happen, so a poll never skips one
    that a transaction still running commits later."""
    client = request.auth.client  # type: ignore[attr-defined]
    found = event_page(client, after=paging.decode(query.after), limit=query.limit)
    last = found[-1] if found else None
    return EventPageOut(
        items=[to_cloudevent(event) for event in found],
        next_cursor=paging.encode(last.occurred_at, last.pk) if last else None,
    )
