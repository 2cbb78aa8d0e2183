"""Staff pages: one order (history, refunds, the refund form) and the daily reconciliation."""

from __future__ import annotations

import csv
import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from iktipet.accounts.decorators import staff_required
from iktipet.core.errors import ActionRefused, refused_page
from iktipet.core.money import format_nok, parse_nok
from iktipet.core.ratelimit import Limit, ratelimit, user_key
from iktipet.payments import selectors, services
from iktipet.payments.models import PaymentOrder, Refund

REFUND_FIELDS = ("amount", "reason")


def _order_page(
    request: HttpRequest,
    order: PaymentOrder,
    *,
    errors: dict[str, str] | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "title": _("Betaling %(reference)s") % {"reference": order.reference},
        "order": order,
        "history": list(order.history.all()),
        "lines": selectors.order_lines(order),
        "refunds": list(order.refunds.select_related("created_by")),
        "may_refund": services.may_refund(request.user, order)
        and order.state == PaymentOrder.State.CAPTURED,
        "refundable": format_nok(order.refundable_ore),
        "errors": errors or {},
        "error_list": [
            {"anchor": f"refund-{name}", "message": (errors or {})[name]}
            for name in REFUND_FIELDS
            if name in (errors or {})
        ],
        "typed": typed or {},
    }
    return render(request, "payments/staff/order.html", context, status=status)


@staff_required
@require_safe
def order_page(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    return _order_page(request, selectors.order_for_staff(request.user, order_id))


@staff_required
@require_POST
@ratelimit("payments.refund", Limit(30, 60), key=user_key, methods=("POST",))
def refund(request: HttpRequest, order_id: uuid.UUID) -> HttpResponse:
    order = selectors.order_for_staff(request.user, order_id)
    typed = {"amount": request.POST.get("amount", ""), "reason": request.POST.get("reason", "")}
    amount = parse_nok(typed["amount"])
    try:
        if amount is None:
            raise ActionRefused(_("Skriv beløpet i kroner, for eksempel 250,00."), field="amount")
        done = services.refund(order, amount, user=request.user, reason=typed["reason"])
    except ActionRefused as refused:
        order.refresh_from_db()
        return refused_page(
            lambda **kw: _order_page(request, order, typed=typed, **kw),
            refused,
            fields=REFUND_FIELDS,
            other="reason",
        )
    if done.state == Refund.State.PENDING:
        messages.info(
            request,
            _(
                "Refusjonen er registrert. Betalingsleverandøren svarer ikke akkurat nå; "
                "den fullføres automatisk."
            ),
        )
    else:
        messages.success(request, _("Refundert %(amount)s.") % {"amount": format_nok(amount)})
    return HttpResponseRedirect(reverse("payments_staff:order", args=[order.pk]))


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return None


def _report(request: HttpRequest) -> tuple[Any, dict[str, Any]]:
    agencies = list(selectors.staff_payment_agencies(request.user, finance=True))
    if not agencies:
        raise Http404
    slug = request.GET.get("virksomhet", "")
    agency = next((a for a in agencies if a.slug == slug), agencies[0])
    day = _day(request.GET.get("dato", ""))
    context: dict[str, Any] = {"agencies": agencies, "agency": agency, "errors": {}}
    if day is None:
        context["errors"]["dato"] = _("Skriv datoen som ÅÅÅÅ-MM-DD.")
        context["day_text"] = request.GET.get("dato", "")
        return None, context
    context["day"] = day
    context["day_text"] = day.isoformat()
    return selectors.reconciliation_for_staff(request.user, agency, day), context


@staff_required
@require_safe
def reconciliation(request: HttpRequest) -> HttpResponse:
    report, context = _report(request)
    context.update({"title": _("Avstemming"), "report": report})
    return render(
        request,
        "payments/staff/reconciliation.html",
        context,
        status=400 if report is None else 200,
    )


def _spreadsheet_safe(text: str) -> str:
    """A text cell a spreadsheet will not run as a formula (CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@staff_required
@require_safe
def reconciliation_csv(request: HttpRequest) -> HttpResponse:
    report, _context = _report(request)
    if report is None:
        return HttpResponse(_("Ugyldig dato."), status=400, content_type="text/plain")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"avstemming-{report.agency.slug}-{report.day.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            "time",
            "kind",
            "order_reference",
            "title",
            "provider",
            "provider_reference",
            "operation_reference",
            "amount_ore",
            "fee_ore",
        ]
    )
    for movement in report.movements:
        writer.writerow(
            [
                timezone.localtime(movement.at).isoformat(),
                movement.kind,
                movement.order.reference,
                _spreadsheet_safe(movement.order.title),
                movement.order.provider,
                movement.provider_reference,
                movement.operation_reference,
                movement.amount_ore,
                movement.fee_ore,
            ]
        )
    writer.writerow(["total", "captured", "", "", "", "", "", report.captured_ore, report.fee_ore])
    writer.writerow(["total", "refunded", "", "", "", "", "", -report.refunded_ore, ""])
    writer.writerow(["total", "net", "", "", "", "", "", report.net_ore, ""])
    return response
