"""Log lines are JSON and carry the request id of the request that wrote them."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from iktipet.ops.logging import JsonFormatter, RequestIdFilter

logger = logging.getLogger("iktipet.tests.logging")


def logging_view(request: HttpRequest) -> HttpResponse:
    logger.info("handled %s", "thing", extra={"case": 17, "obj": object()})
    return HttpResponse("ok")


def failing_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [
    path("log/", logging_view),
    path("fail/", failing_view),
    path("", include("iktipet.urls")),
]


@pytest.fixture
def json_lines():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


def test_settings_wire_the_json_formatter_and_request_id_filter_to_the_root_logger():
    [console] = [h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)]
    assert any(isinstance(f, RequestIdFilter) for f in console.filters)


@pytest.mark.urls(__name__)
def test_log_line_written_in_a_request_is_json_with_its_request_id(client, json_lines):
    response = client.get("/log/")
    [line] = [entry for entry in json_lines() if entry["logger"] == logger.name]
    assert line["message"] == "handled thing"
    assert line["level"] == "INFO"
    assert line["request_id"] == response["X-Request-ID"]
    assert line["case"] == 17
    assert line["obj"].startswith("<object object")
    assert line["time"].endswith("+00:00")


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_server_error_is_logged_with_traceback_and_request_id(client, json_lines):
    client.raise_request_exception = False
    response = client.get("/fail/")
    assert response.status_code == 500
    errors = [e for e in json_lines() if e["logger"] == "django.request"]
    assert errors, json_lines()
    assert errors[0]["request_id"] == response["X-Request-ID"]
    assert "RuntimeError: boom" in errors[0]["exception"]


def test_outside_a_request_the_id_is_null(json_lines):
    logger.warning("no request")
    [line] = [entry for entry in json_lines() if entry["logger"] == logger.name]
    assert line["request_id"] is None
