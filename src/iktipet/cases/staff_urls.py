"""The case workers' pages under /saksbehandling/saker/."""

from django.urls import path

from iktipet.cases.views import staff, staff_actions

app_name = "casework"

urlpatterns = [
    path("", staff.inbox_view, name="inbox"),
    path("<uuid:case_id>/", staff.case_view, name="case"),
    path("<uuid:case_id>/vedtak.pdf", staff.decision_letter, name="decision_letter"),
    path(
        "<uuid:case_id>/vedlegg/<uuid:attachment_id>/",
        staff.application_attachment,
        name="attachment",
    ),
    path(
        "<uuid:case_id>/meldinger/vedlegg/<uuid:attachment_id>/",
        staff.message_attachment,
        name="message_attachment",
    ),
    path(
        "<uuid:case_id>/handling/<slug:transition_id>/",
        staff_actions.transition,
        name="transition",
    ),
    path("<uuid:case_id>/tildel-meg/", staff_actions.assign_me, name="assign_me"),
    path("<uuid:case_id>/frigi/", staff_actions.release, name="release"),
    path("<uuid:case_id>/tildel/", staff_actions.assign, name="assign"),
    path(
        "<uuid:case_id>/be-om-opplysninger/",
        staff_actions.request_information,
        name="request_information",
    ),
    path("<uuid:case_id>/melding/", staff_actions.message, name="message"),
    path("<uuid:case_id>/horing/", staff_actions.send_to_hearing, name="hearing"),
    path(
        "<uuid:case_id>/horing/<int:hearing_id>/",
        staff_actions.hearing_response,
        name="hearing_response",
    ),
    path("<uuid:case_id>/vedtak/", staff_actions.decide, name="decide"),
    path("<uuid:case_id>/tilbud/", staff_actions.make_offer, name="offer"),
    path("<uuid:case_id>/betalingskrav/", staff_actions.raise_claim, name="claim"),
]
