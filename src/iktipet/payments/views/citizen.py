"""The payer's pages: the order (what is paid, and "Betal"), the press on "Betal", the return
from the provider. Thin: parse, call a selector or one service, render."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from iktipet.accounts.decorators import citizen_login_required
from iktipet.accounts.links import switch_for_link
from iktipet.accounts.parties import ActingParty, current_party
from iktipet.core.errors import ActionRefused, refused_page
from iktipet.core.per_language import per_language
from iktipet.core.ratelimit import Limit, ratelimit, user_key
from iktipet.payments import gateway, selectors, services
from iktipet.payments.models import PaymentOrder
from iktipet.payments.order_html import order_content_html
from iktipet.payments.payables import payable_for
from iktipet.payments.selectors import OrderOnPage

T = TypeVar("T")
#: The states whose page links the receipt.
_SETTLED = (PaymentOrder.State.AUTHORIZED, *PaymentOrder.SETTLED)


def _reachable(
    request: HttpRequest, order_id: uuid.UUID, read: Callable[[Any, ActingParty, Any], T]
) -> T:
    """``read`` of the order if the person (acting for their current party) pays it. A link
    from Min side or a claim's notice may concern another party the person may act for: the
    session switches to it (checked against the register by accounts.links), and ``read``
    reads again; anyone else gets 404."""
    try:
        return read(request.user, current_party(request), order_id)
    except Http404:
        owner = selectors.owner_of_order_for_citizen(request.user, order_id)
        if owner is None or switch_for_link(request, owner, "") is None:
            raise
    return read(request.user, current_party(request), order_id)


@per_language
def provider_choices() -> tuple[dict[str, str], ...]:
    """The providers offered, with their names in the active language: from the settings
    and the registry, the same for everyone (made once per language)."""
    return tuple(
        {"name": name, "label": str(gateway.provider_class(name).label or name)}
        for name in gateway.enabled_providers()
    )


def _order_page(
    request: HttpRequest,
    order: OrderOnPage,
    *,
    errors: dict[str, str] | None = None,
    chosen: str = "",
    status: int = 200,
) -> HttpResponse:
    choices = provider_choices()
    if not chosen:
        chosen = choices[0]["name"] if choices else ""
    elif all(choice["name"] != chosen for choice in choices):
        # A name no provider has checks none, as before: only the providers' own names may
        # reach the page.
        chosen = ""
    errors = errors or {}
    content, form_rest = order_content_html(
        order=order,
        refunds=selectors.done_refunds(order),
        providers=choices,
        chosen=chosen,
        errors=errors,
        # Only a paid order links its receipt (the page shows it for these states only).
        receipt_path=(
            payable_for(order.payable_kind).return_path(order.as_order())
            if order.state in _SETTLED
            else ""
        ),
    )
    context: dict[str, Any] = {
        "title": order.title,
        "order": order,
        "errors": errors,
        "content": content,
        "form_rest": form_rest,
    }
    return render(request, "payments/order.html", context, status=status)


@citizen_login_required
@require_safe
def order_page(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    """The order, its lines and the pay form: the order and its lines one read, with the
    payer's filter (``selectors.order_page_for_payer``)."""
    return _order_page(request, _reachable(request, order_id, selectors.order_page_for_payer))


@citizen_login_required
@require_POST
@ratelimit("payments.pay", Limit(30, 60), key=user_key, methods=("POST",))
def pay(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    """Start paying. Only the provider's name is read from the form: the amount and the
    order come from the server (a tampered amount or order id in the body changes nothing)."""
    party = current_party(request)
    order = selectors.order_for_payer(request.user, party, order_id)
    chosen = request.POST.get("provider", "")
    choices = gateway.enabled_providers()
    if not chosen and len(choices) == 1:
        chosen = choices[0]
    try:
        url = services.start_payment(
            order,
            provider=chosen,
            user=request.user,
            party=party,
            base_url=request.build_absolute_uri("/"),
        )
    except ActionRefused as refused:
        # The order as it is now, read again with the payer's filter.
        page = selectors.order_page_for_payer(request.user, party, order_id)
        return refused_page(lambda **kw: _order_page(request, page, chosen=chosen, **kw), refused)
    return HttpResponseRedirect(url)


@citizen_login_required
@require_safe
def return_page(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    """Back from the provider: ask the provider; the redirect itself proves nothing."""
    order = _reachable(request, order_id, selectors.order_for_payer)
    order = services.refresh_from_provider(order)
    if order.state in (PaymentOrder.State.AUTHORIZED, *PaymentOrder.SETTLED):
        return HttpResponseRedirect(payable_for(order.payable_kind).return_path(order))
    if order.state in (PaymentOrder.State.OPEN, PaymentOrder.State.CANCELLED):
        if order.state == PaymentOrder.State.OPEN:
            messages.warning(
                request,
                _("Betalingen ble ikke fullført, og ingenting er belastet. Du kan prøve igjen."),
            )
        return HttpResponseRedirect(reverse("payments:order", args=[order.pk]))
    return render(
        request,
        "payments/pending.html",
        {"title": _("Vi venter på svar om betalingen"), "order": order},
        status=200,
    )
