from django.urls import path

from iktipet.payments.views import staff

app_name = "payments_staff"
urlpatterns = [
    path("avstemming/", staff.reconciliation, name="reconciliation"),
    path("avstemming.csv", staff.reconciliation_csv, name="reconciliation_csv"),
    path("<uuid:order_id>/", staff.order_page, name="order"),
    path("<uuid:order_id>/refunder/", staff.refund, name="refund"),
]
