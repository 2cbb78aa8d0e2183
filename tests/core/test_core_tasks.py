"""Tasks obey the enqueuer's transaction and run under the enqueuing request's id."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path
from django_tasks_db.models import DBTaskResult

from iktipet.core.audit import record
from iktipet.core.context import current_request_id
from iktipet.core.models import AuditEvent
from iktipet.core.tasks import background, enqueue
from iktipet.ops.logging import JsonFormatter, RequestIdFilter
from iktipet.ops.worker import run_worker

logger = logging.getLogger("iktipet.tests.tasks")


@background()
def note_run(marker: str) -> str:
    """Leaves a trace the test can find, and logs a line under the current request id."""
    logger.info("test task ran", extra={"marker": marker})
    record(None, "test.task_ran", ("test", marker), {"marker": marker})
    return current_request_id() or ""


def enqueue_view(request: HttpRequest) -> HttpResponse:
    enqueue(note_run, "from-request")
    return HttpResponse("queued")


urlpatterns = [path("enqueue/", enqueue_view)]


def runs_of(marker: str) -> int:
    return AuditEvent.objects.filter(action="test.task_ran", target_id=marker).count()


@pytest.fixture
def task_log():
    """JSON log lines as the production handler formats them, at the moment they are logged."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


@pytest.mark.django_db(transaction=True)
def test_task_enqueued_in_a_rolled_back_transaction_never_runs():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(note_run, "rolled-back")
        assert DBTaskResult.objects.filter(task_path__endswith="note_run").count() == 1
        raise RuntimeError("roll back")

    run_worker(batch=True)

    assert not DBTaskResult.objects.filter(task_path__endswith="note_run").exists()
    assert runs_of("rolled-back") == 0


@pytest.mark.django_db(transaction=True)
def test_task_enqueued_in_a_committed_transaction_runs_once():
    with transaction.atomic():
        enqueue(note_run, "committed")

    run_worker(batch=True)
    run_worker(batch=True)

    assert runs_of("committed") == 1
    result = DBTaskResult.objects.get(task_path__endswith="note_run")
    assert result.status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls(__name__)
def test_task_runs_under_the_request_id_of_the_request_that_enqueued_it(client, task_log):
    response = client.get("/enqueue/")
    assert response.status_code == 200
    request_id = response["X-Request-ID"]
    assert len(request_id) >= 8
    assert runs_of("from-request") == 0  # not run inside the request

    run_worker(batch=True)

    assert runs_of("from-request") == 1
    event = AuditEvent.objects.get(action="test.task_ran", target_id="from-request")
    assert event.request_id == request_id
    assert DBTaskResult.objects.get(task_path__endswith="note_run").return_value == request_id
    lines = [line for line in task_log() if line["message"] == "test task ran"]
    assert len(lines) == 1
    assert lines[0]["request_id"] == request_id
    assert lines[0]["marker"] == "from-request"
    assert current_request_id() is None  # the worker does not leak the id afterwards


@pytest.mark.django_db(transaction=True)
@pytest.mark.urls(__name__)
def test_a_well_formed_incoming_request_id_is_kept_and_a_bad_one_replaced(client):
    kept = client.get("/enqueue/", HTTP_X_REQUEST_ID="proxy-id-0123456789")
    assert kept["X-Request-ID"] == "proxy-id-0123456789"
    replaced = client.get("/enqueue/", HTTP_X_REQUEST_ID="evil\nid with spaces")
    assert replaced["X-Request-ID"] != "evil\nid with spaces"
    assert "\n" not in replaced["X-Request-ID"]

    run_worker(batch=True)

    ids = set(
        AuditEvent.objects.filter(action="test.task_ran").values_list("request_id", flat=True)
    )
    assert ids == {"proxy-id-0123456789", replaced["X-Request-ID"]}


@pytest.mark.django_db(transaction=True)
def test_task_enqueued_outside_a_request_runs_without_an_id():
    enqueue(note_run, "no-request")
    run_worker(batch=True)
    event = AuditEvent.objects.get(action="test.task_ran", target_id="no-request")
    assert event.request_id == ""
