from django.urls import path

from iktipet.booking import rental_views, staff_views, views, waitlist_views

app_name = "booking"
urlpatterns = [
    path("", views.index, name="index"),
    path("saksbehandling/", staff_views.resources, name="staff_resources"),
    # A resource's picker, the most visited: before the patterns of two segments and more,
    # which no single slug matches; after the one word of its own level it would hide.
    path("<slug:slug>/", views.resource_page, name="resource"),
    path("bestilling/<uuid:reservation_id>/", views.booking, name="booking"),
    path("bestilling/<uuid:reservation_id>/bekreft/", views.confirm, name="confirm"),
    path("bestilling/<uuid:reservation_id>/time.ics", views.booking_ics, name="booking_ics"),
    path("bestilling/<uuid:reservation_id>/avbestill/", views.cancel, name="cancel"),
    path("bestilling/<uuid:reservation_id>/flytt/", views.reschedule, name="reschedule"),
    path("lenke/<str:token>/", views.manage_link, name="manage_link"),
    path("kalender/<str:token>.ics", staff_views.feed, name="feed"),
    path("saksbehandling/<slug:slug>/", staff_views.agenda, name="staff_agenda"),
    path("saksbehandling/<slug:slug>/stengt/", staff_views.closure, name="staff_closure"),
    path("saksbehandling/<slug:slug>/kalenderlenke/", staff_views.rotate_feed, name="staff_feed"),
    path(
        "saksbehandling/bestilling/<uuid:reservation_id>/<slug:action>/",
        staff_views.booking_action,
        name="staff_action",
    ),
    path("leie/<uuid:rental_id>/", rental_views.rental, name="rental"),
    path("leie/<uuid:rental_id>/trekk/", rental_views.withdraw, name="rental_withdraw"),
    path("saksbehandling/<slug:slug>/leie/", rental_views.staff_rentals, name="staff_rentals"),
    path(
        "saksbehandling/leie/<uuid:rental_id>/<slug:action>/",
        rental_views.staff_rental_action,
        name="staff_rental_action",
    ),
    path("<slug:slug>/leie/", rental_views.rental_form, name="rental_form"),
    path("<slug:slug>/venteliste/", waitlist_views.waitlist_page, name="waitlist"),
    path("venteliste/<int:entry_id>/forlat/", waitlist_views.leave, name="waitlist_leave"),
]
