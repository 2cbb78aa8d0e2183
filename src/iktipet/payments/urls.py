from django.urls import path

from iktipet.payments.views import citizen, testbank, webhooks

app_name = "payments"
urlpatterns = [
    path("<uuid:order_id>/", citizen.order_page, name="order"),
    path("<uuid:order_id>/betal/", citizen.pay, name="pay"),
    path("<uuid:order_id>/tilbake/", citizen.return_page, name="return"),
    path("webhook/<slug:provider>/", webhooks.webhook, name="webhook"),
    path("testbank/<str:payment_id>/", testbank.checkout, name="testbank_checkout"),
]
