"""What writes the audit log: :func:`record`, and :func:`append` for hot reads."""

from __future__ import annotations

import weakref
from typing import Any

from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.sql import InsertQuery
from django.utils import timezone

from iktipet.core.context import current_request_id
from iktipet.core.models import AuditEvent


def _label(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "anonymous"
    return str(getattr(actor, "audit_label", None) or actor.get_username())


def record(
    actor: Any,
    action: str,
    target: models.Model | tuple[str, str] | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append ``(actor, action, target, details)`` to the audit log.

    ``target`` is a model instance or a ``(type, id)`` pair. Never put a fødselsnummer in
    ``details``: the audit log is read by operators.
    """
    event = _event(actor, action, target, details)
    event.save(force_insert=True)
    return event


def _event(
    actor: Any,
    action: str,
    target: models.Model | tuple[str, str] | None,
    details: dict[str, Any] | None,
) -> AuditEvent:
    if isinstance(target, models.Model):
        target_type, target_id = target._meta.label_lower, str(target.pk)
    elif target is not None:
        target_type, target_id = target
    else:
        target_type, target_id = "", ""
    user = (
        actor if getattr(actor, "is_authenticated", False) and getattr(actor, "pk", None) else None
    )
    return AuditEvent(
        actor=user,
        actor_label=_label(actor),
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        details=details or {},
        request_id=current_request_id() or "",
    )


#: Per connection: the INSERT of one audit row, compiled once (see :func:`append`).
_insert_sql: weakref.WeakKeyDictionary[BaseDatabaseWrapper, str] = weakref.WeakKeyDictionary()


def append(
    actor: Any,
    action: str,
    target: models.Model | tuple[str, str] | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """:func:`record` for a hot read that does not need the row back (the staff case page
    audits every view): the same row, written by one INSERT compiled once per connection
    and without ``RETURNING``. On SQLite an ``INSERT … RETURNING`` keeps its write
    transaction open until the row it returns is fetched, after the thread has taken the
    GIL back; a plain INSERT commits inside the one call that releases the GIL, so the
    database's only write lock is held for the INSERT alone. The values are the row's as
    :func:`record` writes them, without an ``AuditEvent`` built for them (~12 µs an
    instance and its fields' preparation; issue 13): the text columns as they are, the time
    and the details prepared by their fields."""
    if isinstance(target, models.Model):
        target_type, target_id = target._meta.label_lower, str(target.pk)
    elif target is not None:
        target_type, target_id = target[0], str(target[1])
    else:
        target_type, target_id = "", ""
    is_user = getattr(actor, "is_authenticated", False) and getattr(actor, "pk", None)
    connection = connections[router.db_for_write(AuditEvent)]
    sql = _insert_sql.get(connection)
    if sql is None:
        query = InsertQuery(AuditEvent)
        query.insert_values(_insert_fields(), [_event(actor, action, target, details)])
        [(sql, _params)] = query.get_compiler(connection=connection).as_sql()
        _insert_sql[connection] = sql
    values = {
        "at": _AT.get_db_prep_save(timezone.now(), connection=connection),
        "actor_id": actor.pk if is_user else None,
        "actor_label": _label(actor),
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "details": _DETAILS.get_db_prep_save(details or {}, connection=connection),
        "request_id": current_request_id() or "",
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, [values[name] for name in _COLUMNS])


def _insert_fields() -> list[Any]:
    return [field for field in AuditEvent._meta.local_concrete_fields if not field.primary_key]


_COLUMNS = [field.attname for field in _insert_fields()]
_AT = AuditEvent._meta.get_field("at")
_DETAILS = AuditEvent._meta.get_field("details")
