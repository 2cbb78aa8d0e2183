"""The staff area. The case-handling work adds its pages here."""

from django.urls import path

from iktipet.accounts.views import pages

app_name = "staff"

urlpatterns = [
    path("", pages.staff_home, name="home"),
]
