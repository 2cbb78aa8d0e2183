"""What every write shares: ``Idempotency-Key`` (a retry gets the first answer, stored) and
``If-Match`` (the write happens only on the version of the case the client read).

A key is the client's: the same key with another request is refused (422), and a retry
while the first is still running gets 409. Only successful answers are stored: a refused
write changed nothing, so running it again is safe.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from iktipet.cases.models import Case
from iktipet.integrations.api.cases import etag_of
from iktipet.integrations.api.problems import Problem
from iktipet.integrations.models import ApiClient, IdempotentAnswer

KEPT_HEADERS = ("Content-Type", "ETag", "Location")


def json_response(payload: object, status: int = 200, etag: str = "") -> HttpResponse:
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, cls=DjangoJSONEncoder),
        status=status,
        content_type="application/json; charset=utf-8",
    )
    if etag:
        response["ETag"] = etag
    return response


def check_if_match(request: HttpRequest, case: Case) -> None:
    wanted = request.headers.get("If-Match")
    # GZipMiddleware marks the ETag of a compressed answer weak (W/"…"): the client may send
    # either form back, and both name the same version of the case.
    tags = [tag.strip().removeprefix("W/") for tag in (wanted or "").split(",")]
    if wanted and wanted.strip() != "*" and etag_of(case) not in tags:
        raise Problem(
            412,
            "precondition-failed",
            _("Saken er endret siden du leste den"),
            _("Les saken på nytt og send ETag-en du fikk i If-Match."),
        )


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if request.content_type == "multipart/form-data":
        for name in sorted(request.POST):
            digest.update(f"{name}={request.POST.getlist(name)}\n".encode())
        for name in sorted(request.FILES):
            for uploaded in request.FILES.getlist(name):
                for chunk in uploaded.chunks():
                    digest.update(chunk)
                uploaded.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def idempotent(
    request: HttpRequest, client: ApiClient, run: Callable[[], HttpResponse]
) -> HttpResponse:
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return run()
    if len(key) > 200:
        raise Problem(
            400, "invalid", _("Ugyldig forespørsel"), errors={"Idempotency-Key": _("For lang.")}
        )
    fingerprint = _fingerprint(request)
    try:
        with transaction.atomic():
            record = IdempotentAnswer.objects.create(
                client=client, key=key, fingerprint=fingerprint
            )
    except IntegrityError:
        first = IdempotentAnswer.objects.get(client=client, key=key)
        if first.fingerprint != fingerprint:
            raise Problem(
                422,
                "idempotency-key-reused",
                _("Nøkkelen er brukt til en annen forespørsel"),
                _("Bruk en ny Idempotency-Key for en ny forespørsel."),
            ) from None
        if first.status is None:
            raise Problem(
                409,
                "in-progress",
                _("Den første forespørselen med denne nøkkelen kjører ennå"),
                _("Prøv igjen om litt."),
                headers={"Retry-After": "1"},
            ) from None
        replay = HttpResponse(bytes(first.body), status=first.status)
        for name, value in first.headers.items():
            replay[name] = value
        replay["Idempotent-Replayed"] = "true"
        return replay
    try:
        response = run()
    except BaseException:
        record.delete()
        raise
    if response.status_code >= 400:
        record.delete()
        return response
    record.status = response.status_code
    record.body = response.content
    record.headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    record.save(update_fields=["status", "body", "headers"])
    return response
