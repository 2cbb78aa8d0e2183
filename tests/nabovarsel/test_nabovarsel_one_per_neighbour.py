"""A neighbour who owns two adjoining properties gets one notice per case, listing both
(issue 14.6): one notification, one answer, and every property in the reply and summary."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from iktipet.accounts.pid import pid_lookup_hash
from iktipet.messaging.models import Notification
from iktipet.nabovarsel.summary import summary_context
from support.nabovarsel import NORA, signed_in, submit_nabovarsel

REMARK = "Tilbygget tar utsikten fra begge eiendommene våre."


def test_one_notice_one_notification_one_answer_for_both_properties(nabovarsel_service):
    applicant, case = submit_nabovarsel()
    mine = case.neighbour_notices.filter(pid_hash=pid_lookup_hash(NORA))
    assert mine.count() == 1
    notice = mine.get()
    assert (
        Notification.objects.filter(
            event="nabovarsel.notice", recipient_pid_hash=pid_lookup_hash(NORA)
        ).count()
        == 1
    )

    nora = signed_in(NORA)
    page = nora.get(reverse("nabovarsel:notice", args=[notice.pk])).content.decode()
    assert "Dine eiendommer" in page
    assert "0301-901/10" in page and "0301-901/20" in page
    response = nora.post(
        reverse("nabovarsel:notice", args=[notice.pk]), {"consent": "no", "remark": REMARK}
    )
    assert response.status_code == 302
    event = case.events.get(kind="neighbour_replied")
    assert event.details["property"] == "0301-901/10, 0301-901/20"

    # The applicant's list of replies and the municipality's summary name both properties.
    html = applicant.get(reverse("cases:case", args=[case.pk])).content.decode()
    assert REMARK in html
    row = html[html.index("Nora Lie-Test") :]
    assert row.index("0301-901/10") < row.index("0301-901/20") < row.index("</tr>")
    context = summary_context(case)
    receipt = next(r for r in context["receipts"] if r["name"] == "Nora Lie-Test")
    assert receipt["property"] == "0301-901/10, 0301-901/20"
    assert [p["property"] for p in receipt["properties"]] == ["0301-901/10", "0301-901/20"]
    remark = next(m for m in context["remarks"] if m["name"] == "Nora Lie-Test")
    assert remark["property"] == "0301-901/10, 0301-901/20" and remark["remark"] == REMARK


@pytest.mark.django_db(transaction=True)
def test_the_migration_merges_the_rows_of_one_neighbour(nabovarsel_service):
    """Rows made before the change (one per property) become one notice per neighbour,
    keeping the earliest opening, the latest reply (an objection wins), every remark."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from iktipet.nabovarsel.models import NeighbourNotice

    _applicant, case = submit_nabovarsel()
    NeighbourNotice.objects.filter(case=case).delete()
    executor = MigrationExecutor(connection)
    executor.migrate([("nabovarsel", "0001_initial")])
    old = executor.loader.project_state([("nabovarsel", "0001_initial")]).apps
    Notice = old.get_model("nabovarsel", "NeighbourNotice")
    now = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
    day = dt.timedelta(days=1)
    common = {"case_id": case.pk, "sent_at": now, "deadline": now + 14 * day}
    Notice.objects.create(
        property="0301-901/20",
        name="Nora",
        pid_hash="n",
        address="Vei 20",
        opened_at=now + 2 * day,
        replied_at=now + 3 * day,
        consent=True,
        **common,
    )
    Notice.objects.create(
        property="0301-901/10",
        name="Nora",
        pid_hash="n",
        address="Vei 10",
        opened_at=now + day,
        replied_at=now + 2 * day,
        consent=False,
        remark="Skygge",
        **common,
    )
    Notice.objects.create(property="0301-901/11", name="Fatima", pid_hash="f", **common)
    Notice.objects.create(property="0301-901/14", name="AS", orgnr="310000027", **common)
    Notice.objects.create(property="0301-901/15", name="AS", orgnr="310000027", **common)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    notices = NeighbourNotice.objects.filter(case=case)
    assert notices.count() == 3
    nora = notices.get(pid_hash="n")
    assert [p["property"] for p in nora.properties] == ["0301-901/10", "0301-901/20"]
    assert [p["address"] for p in nora.properties] == ["Vei 10", "Vei 20"]
    assert nora.opened_at == now + day
    assert nora.replied_at == now + 3 * day
    assert nora.consent is False and "0301-901/10: Skygge" in nora.remark
    assert notices.get(pid_hash="f").further_properties == []
    company = notices.get(orgnr="310000027")
    assert company.properties_text == "0301-901/14, 0301-901/15"
