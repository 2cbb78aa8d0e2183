"""Paths registered at the identity providers: do not change them without re-registering."""

from django.urls import path

from iktipet.accounts.views import language, login, logout, pages

app_name = "accounts"

urlpatterns = [
    path("logg-inn/", login.login, name="login"),
    path("logg-inn/callback/", login.callback, name="callback"),
    path("ansatt/logg-inn/", login.staff_login, name="staff_login"),
    path("ansatt/logg-inn/callback/", login.staff_callback, name="staff_callback"),
    path("logg-ut/", logout.logout, name="logout"),
    path("logg-ut/ferdig/", logout.logged_out, name="logged_out"),
    path("logg-ut/frontchannel/", logout.frontchannel_logout, name="frontchannel_logout"),
    path("velg-aktor/", pages.choose_party, name="choose_party"),
    path("min-side/", pages.my_page, name="my_page"),
    path("sprak/", language.switch_language, name="language"),
]
