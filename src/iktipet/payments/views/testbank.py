"""The testbank's hosted checkout: a page that plays the provider's, clearly a TEST.

Like a real provider's page it knows nothing of the platform's login: whoever holds the
link (a random payment id) decides. It then sends the browser back to the return URL, and
its webhook follows through the worker.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from iktipet.core.ratelimit import Limit, client_ip, ratelimit
from iktipet.payments.models import TestbankPayment
from iktipet.payments.testbank import bank


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit("payments.testbank", Limit(60, 60), key=client_ip, methods=("POST",))
def checkout(request: HttpRequest, payment_id: str) -> HttpResponse:
    if "testbank" not in settings.PAYMENT_PROVIDERS:
        raise Http404
    payment = TestbankPayment.objects.filter(pk=payment_id[:40]).first()
    if payment is None:
        raise Http404
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        if decision not in bank.DECISIONS:
            return render(
                request,
                "payments/testbank_checkout.html",
                {"title": _("Testbanken"), "payment": payment, "error": _("Velg et av valgene.")},
                status=400,
            )
        bank.decide(payment.pk, decision, delay=settings.TESTBANK_WEBHOOK_DELAY_SECONDS)
        return HttpResponseRedirect(payment.return_url)
    return render(
        request, "payments/testbank_checkout.html", {"title": _("Testbanken"), "payment": payment}
    )
