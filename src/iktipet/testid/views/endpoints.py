"""Discovery, JWKS, token and userinfo: the machine-facing endpoints."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET
from oauth2_provider.views import TokenView as OAuthTokenView
from oauth2_provider.views import UserInfoView as OAuthUserInfoView

from iktipet.testid.claims import ACR_HIGH, ACR_SUBSTANTIAL, UI_LOCALES
from iktipet.testid.clients import ensure_clients
from iktipet.testid.conf import enabled_only, endpoint, issuer, require_enabled
from iktipet.testid.keys import ALGORITHM, public_jwks


def discovery_document() -> dict[str, Any]:
    """The OpenID Provider metadata, in the shape of ID-porten's."""
    return {
        "issuer": issuer(),
        "authorization_endpoint": endpoint("authorize"),
        "token_endpoint": endpoint("token"),
        "userinfo_endpoint": endpoint("userinfo"),
        "end_session_endpoint": endpoint("logout"),
        "jwks_uri": endpoint("jwks.json"),
        "scopes_supported": ["openid", "profile"],
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": [ALGORITHM],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "acr_values_supported": [ACR_SUBSTANTIAL, ACR_HIGH],
        "ui_locales_supported": list(UI_LOCALES),
        "prompt_values_supported": ["login", "none"],
        "display_values_supported": ["page"],
        "claims_supported": [
            "sub",
            "pid",
            "acr",
            "amr",
            "locale",
            "sid",
            "auth_time",
            "nonce",
            "name",
            "given_name",
            "family_name",
            "email",
            "preferred_username",
        ],
        "frontchannel_logout_supported": True,
        "frontchannel_logout_session_supported": True,
        "authorization_response_iss_parameter_supported": True,
        "request_parameter_supported": False,
        "request_uri_parameter_supported": False,
        "claims_parameter_supported": False,
    }


@enabled_only
@require_GET
@cache_control(max_age=300)
def discovery(request: HttpRequest) -> HttpResponse:
    return JsonResponse(discovery_document())


@enabled_only
@require_GET
@cache_control(max_age=300)
def jwks(request: HttpRequest) -> HttpResponse:
    return JsonResponse(public_jwks())


@method_decorator(csrf_exempt, name="dispatch")
class TokenView(OAuthTokenView):
    """django-oauth-toolkit's token endpoint; the clients are refreshed from settings first."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_enabled()
        ensure_clients()
        return super().dispatch(request, *args, **kwargs)


@method_decorator(csrf_exempt, name="dispatch")
class UserInfoView(OAuthUserInfoView):
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_enabled()
        return super().dispatch(request, *args, **kwargs)
