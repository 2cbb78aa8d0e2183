"""The applicant's case pages under /min-side/saker/."""

from django.urls import path

from iktipet.cases.views import citizen

app_name = "cases"

urlpatterns = [
    path("<uuid:case_id>/", citizen.case_page, name="case"),
    path("<uuid:case_id>/melding/", citizen.post_message, name="message"),
    path("<uuid:case_id>/vedlegg/<uuid:attachment_id>/", citizen.attachment, name="attachment"),
    path("<uuid:case_id>/vedtak.pdf", citizen.decision_letter, name="decision_letter"),
    path("<uuid:case_id>/klage/", citizen.appeal, name="appeal"),
    path(
        "<uuid:case_id>/tilbud/<uuid:offer_id>/svar/",
        citizen.answer_offer,
        name="answer_offer",
    ),
]
