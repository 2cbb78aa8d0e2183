"""Enqueueing background work so that it carries the request id and obeys the transaction.

The database task backend writes the task row in the caller's transaction: a rollback
removes it, a commit makes it visible to the worker. That is our transactional outbox.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django_tasks import task as django_task

from iktipet.core.context import current_request_id, reset_request_id, set_request_id

P = ParamSpec("P")
T = TypeVar("T")

REQUEST_ID_KWARG = "_request_id"
logger = logging.getLogger(__name__)


def background(**task_options: Any) -> Callable[[Callable[P, T]], Any]:
    """Like ``django_tasks.task``, but the function runs under the enqueuer's request id."""

    def decorator(func: Callable[P, T]) -> Any:
        @functools.wraps(func)
        def runner(*args: Any, **kwargs: Any) -> T:
            token = set_request_id(kwargs.pop(REQUEST_ID_KWARG, None))
            try:
                return func(*args, **kwargs)
            finally:
                reset_request_id(token)

        return django_task(**task_options)(runner)

    return decorator


def enqueue(task: Any, *args: Any, **kwargs: Any) -> Any:
    """Enqueue ``task`` in the current transaction, passing the current request id along."""
    request_id = current_request_id()
    if request_id:
        kwargs[REQUEST_ID_KWARG] = request_id
    return task.enqueue(*args, **kwargs)
