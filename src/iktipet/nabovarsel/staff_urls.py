"""The case workers' nabovarsel downloads. Mount at "saksbehandling/nabovarsel/"."""

from django.urls import path

from iktipet.nabovarsel import views

app_name = "nabovarsel_staff"

urlpatterns = [
    path("<uuid:case_id>/oppsummering.pdf", views.staff_summary, name="summary"),
    path("<uuid:case_id>/merknad/<uuid:attachment_id>/", views.staff_reply_file, name="reply_file"),
]
