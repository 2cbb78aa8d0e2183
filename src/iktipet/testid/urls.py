from django.urls import path

from iktipet.testid.views import authorize, endpoints, logout

app_name = "testid"
urlpatterns = [
    path(".well-known/openid-configuration", endpoints.discovery, name="discovery"),
    path("jwks.json", endpoints.jwks, name="jwks"),
    path("authorize", authorize.authorize, name="authorize"),
    path("token", endpoints.TokenView.as_view(), name="token"),
    path("userinfo", endpoints.UserInfoView.as_view(), name="userinfo"),
    path("logout", logout.end_session, name="end_session"),
]
