"""The print queue for agency staff, included at ``saksbehandling/utskrift/``."""

from django.urls import path

from iktipet.messaging import views

app_name = "messaging_staff"

urlpatterns = [
    path("", views.print_queue, name="print_queue"),
    path("<uuid:letter_id>/", views.letter_detail, name="letter"),
    path("<uuid:letter_id>/skrevet-ut/", views.letter_printed, name="letter_printed"),
]
