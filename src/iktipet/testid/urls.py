from django.urls import path

from iktipet.testid.views import authorize, endpoints, logout, maskinporten

app_name = "testid"
urlpatterns = [
    path(".well-known/openid-configuration", endpoints.discovery, name="discovery"),
    path("jwks.json", endpoints.jwks, name="jwks"),
    path("authorize", authorize.authorize, name="authorize"),
    path("token", endpoints.TokenView.as_view(), name="token"),
    path("userinfo", endpoints.UserInfoView.as_view(), name="userinfo"),
    path("logout", logout.end_session, name="end_session"),
    path(
        "maskinporten/.well-known/oauth-authorization-server",
        maskinporten.well_known,
        name="maskinporten_metadata",
    ),
    path("maskinporten/token", maskinporten.token, name="maskinporten_token"),
]
