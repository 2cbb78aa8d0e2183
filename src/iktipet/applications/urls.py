from django.urls import path

from iktipet.applications import views

app_name = "applications"
urlpatterns = [
    path("<uuid:application_id>/", views.resume, name="resume"),
    path("<uuid:application_id>/steg/<slug:step_id>/", views.step, name="step"),
    path(
        "<uuid:application_id>/steg/<slug:step_id>/forhandsvisning/",
        views.preview,
        name="preview",
    ),
    path("<uuid:application_id>/oppsummering/", views.summary, name="summary"),
    path("<uuid:application_id>/send-inn/", views.submit, name="submit"),
    path("<uuid:application_id>/betal/", views.pay, name="pay"),
    path("<uuid:application_id>/kvittering/", views.receipt, name="receipt"),
    path("<uuid:application_id>/kvittering.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("<uuid:application_id>/stoppet/", views.stopped, name="stopped"),
    path("<uuid:application_id>/slett/", views.delete, name="delete"),
    path("vedlegg/<uuid:attachment_id>/", views.attachment, name="attachment"),
    path("<slug:service_id>/start/", views.start, name="start"),
]
