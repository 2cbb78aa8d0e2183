"""A neighbour's notice pages, and the applicant's downloads, under /min-side/nabovarsel/."""

from django.urls import path

from iktipet.nabovarsel import views

app_name = "nabovarsel"

urlpatterns = [
    path("<uuid:notice_id>/", views.notice, name="notice"),
    path("<uuid:notice_id>/vedlegg/<uuid:attachment_id>/", views.notice_file, name="notice_file"),
    path(
        "<uuid:notice_id>/svar/<uuid:attachment_id>/", views.own_reply_file, name="own_reply_file"
    ),
    path("sak/<uuid:case_id>/oppsummering.pdf", views.case_summary, name="case_summary"),
    path(
        "sak/<uuid:case_id>/merknad/<uuid:attachment_id>/",
        views.case_reply_file,
        name="case_reply_file",
    ),
]
