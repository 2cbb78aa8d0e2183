"""The inbox's rows written in Python (cases/inbox_html.py, issue 13): the same HTML, byte for
byte, as the template loop they replaced (kept in templates_before/), and every value a
person or a service wrote escaped on the page."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from pathlib import Path

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from iktipet.accounts.testing import sign_in_staff
from iktipet.cases.deadlines import OSLO
from iktipet.cases.inbox import Assignee, InboxRow
from iktipet.cases.inbox_html import _escaped_each, inbox_rows_html
from iktipet.cases.models import Case
from iktipet.cases.workflow import get_workflow
from iktipet.core.dates import format_date
from iktipet.core.html import esc
from iktipet.messaging.services import post_message
from support.cases import submitted_case

BEFORE = Path(__file__).parent / "templates_before" / "inbox_rows.html"
HOSTILE = "<script>alert(\"x\")</script> & 'q'"


NOW = dt.datetime(2026, 12, 7, 22, 30, tzinfo=dt.UTC)  # 8 December in Oslo


def _rows() -> list[InboxRow]:
    """A row in every state the inbox shows: overdue by its due date or by a late answer or
    not, closed, assigned (to a name, a username only, a hostile name) or not, 0/1/3 unread,
    a missing due date, each workflow's states, names and titles with markup and ampersands,
    times either side of Oslo's midnight."""
    rows = []
    states = [
        (workflow, state.id)
        for workflow in ("standard", "skjenkebevilling", "nabovarsel")
        for state in get_workflow(workflow).states
    ]
    assignees = [
        None,
        Assignee("Sara", "Saksbehandler", "sara"),
        Assignee("", "", "brukernavn"),
        Assignee(HOSTILE, HOSTILE, "x"),
    ]
    days = [None, dt.date(2026, 12, 7), dt.date(2026, 12, 8), dt.date(2027, 1, 2)]
    waits = [None, NOW - dt.timedelta(minutes=1), NOW + dt.timedelta(minutes=1)]
    combinations = itertools.product([True, False], assignees, [0, 1, 3], days, waits)
    for number, (is_open, assignee, unread, due, waiting) in enumerate(combinations):
        workflow, status = states[number % len(states)]
        rows.append(
            InboxRow(
                id=uuid.UUID(int=number),
                year=2026,
                sequence=number,
                title=HOSTILE if number % 5 == 0 else "Skjenkebevilling & uteservering",
                workflow=workflow,
                status=status,
                is_open=is_open,
                party_name=HOSTILE if number % 7 == 0 else f"Kari Nordmann-Test {number % 3}",
                received_at=NOW - dt.timedelta(hours=number % 48),
                due_date=due,
                waiting_until=waiting,
                assignee=assignee,
                unread=unread,
            )
        )
    return rows


def _old_rows(rows: list[InboxRow]) -> list[dict]:
    """The rows as inbox_view gave them to the old template (before issue 13's rows)."""
    today = NOW.astimezone(OSLO).date()
    old = []
    for row in rows:
        assignee = row.assignee
        old.append(
            {
                "case": row,
                "url": f"{reverse('casework:inbox')}{row.pk}/",
                "status": row.status_label,
                "received": format_date(
                    row.received_at.astimezone(OSLO).date(), "SHORT_DATE_FORMAT"
                ),
                "due": format_date(row.due_date, "SHORT_DATE_FORMAT") if row.due_date else "–",
                "overdue": row.is_open
                and (
                    (row.due_date is not None and row.due_date < today)
                    or (row.waiting_until is not None and row.waiting_until < NOW)
                ),
                "assignee": (assignee.get_full_name() or assignee.get_username())
                if assignee
                else "",
                "unread": row.unread,
                "unread_label": ngettext(
                    "%(count)s ulest melding", "%(count)s uleste meldinger", row.unread
                )
                % {"count": row.unread}
                if row.unread
                else "",
            }
        )
    return old


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_rows_are_the_old_templates_html(language):
    source = BEFORE.read_text()
    rows = _rows()
    with translation.override(language):
        labels = {
            "overdue": _("Overtid"),
            "unassigned": _("Ikke tildelt"),
            "no_unread": _("Ingen nye meldinger"),
        }
        for chosen in (rows, rows[:1], [], rows):  # the last: labels and days already made
            old = (
                engines["django"]
                .from_string(source)
                .render(
                    {
                        "rows": _old_rows(chosen),
                        "overdue_label": labels["overdue"],
                        "unassigned_label": labels["unassigned"],
                        "no_unread_label": labels["no_unread"],
                    }
                )
            )
            # The reference file holds the loop as the page had it: indented, then a newline.
            assert "    " + inbox_rows_html(chosen, NOW) + "\n" == old
            if not chosen:
                assert old == "    \n"


def test_everything_written_by_people_is_escaped_in_the_inbox(client, agencies):
    case = submitted_case(name=("Kari", "Nordmann-Test"))
    worker = sign_in_staff(client, [("naeringsetaten", "case_worker")])
    worker.first_name, worker.last_name = HOSTILE, HOSTILE
    worker.save(update_fields=["first_name", "last_name"])
    Case.objects.filter(pk=case.pk).update(title=HOSTILE, party_name=HOSTILE, assignee=worker)
    post_message(case.thread, author=None, side="citizen", body="Hei")
    page = client.get(reverse("casework:inbox") + "?visning=alle")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script" not in html and "'q'" not in html
    # In the rows: the title, the party's name and the assignee's name (first and last).
    table = html[html.index("<tbody>") : html.index("</tbody>")]
    assert table.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") == 4
    assert "1 ulest melding" in html


@pytest.mark.parametrize(
    "values",
    [
        [],
        [""],
        [HOSTILE, "Kari Nordmann-Test", "", "Ærlig & Ålesund"],
        ["a\x00b", HOSTILE],  # a NUL: each value apart
        [HOSTILE, 7],  # no str: each value apart
    ],
)
def test_the_party_names_are_escaped_each_as_esc_escapes_it(values):
    assert _escaped_each(values) == [esc(value) for value in values]
