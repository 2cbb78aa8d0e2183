"""A task for bench_worker.py only: the receipt PDF rendered in the worker after each submit.

That is the alternative the platform rejected by measurement (it renders the receipt on
first download, applications/receipt.py); the benchmark keeps it to show why.
"""

from __future__ import annotations

from iktipet.core.tasks import background


@background()
def render_receipt(application_id: str) -> bool:
    from iktipet.applications.models import Application
    from iktipet.applications.receipt import receipt_pdf

    receipt_pdf(Application.objects.get(pk=application_id, status="submitted"))
    return True
