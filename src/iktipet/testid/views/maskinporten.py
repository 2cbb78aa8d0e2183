"""TestID's Maskinporten endpoints: metadata and the token endpoint (JWT-bearer grant)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from iktipet.testid.conf import enabled_only
from iktipet.testid.machine import GrantRefused, issue_token, metadata


@enabled_only
@require_GET
@cache_control(public=True, max_age=300)
def well_known(request: HttpRequest) -> HttpResponse:
    return JsonResponse(metadata())


@enabled_only
@csrf_exempt  # a machine endpoint: the grant is the credential, no cookies
@require_POST
def token(request: HttpRequest) -> HttpResponse:
    try:
        answer = issue_token(request.POST.get("grant_type", ""), request.POST.get("assertion", ""))
    except GrantRefused as refused:
        return JsonResponse(
            {"error": refused.error, "error_description": refused.description}, status=400
        )
    response = JsonResponse(answer)
    response["Cache-Control"] = "no-store"
    return response
