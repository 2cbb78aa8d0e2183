"""The inbox's rows written in Python (cases/inbox_html.py, issue 13): the same HTML, byte for
byte, as the template loop they replaced (kept in templates_before/), and every value a
person or a service wrote escaped on the page."""

from __future__ import annotations

import itertools
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from iktipet.accounts.testing import sign_in_staff
from iktipet.cases.inbox_html import inbox_rows_html
from iktipet.cases.models import Case
from iktipet.messaging.services import post_message
from support.cases import submitted_case

BEFORE = Path(__file__).parent / "templates_before" / "inbox_rows.html"
HOSTILE = "<script>alert(\"x\")</script> & 'q'"


def _rows() -> list[dict]:
    """A row in every state the inbox shows: overdue or not, assigned or not, 0/1/3 unread,
    a missing due date, names with markup and ampersands."""
    rows = []
    states = itertools.product(
        [False, True], ["", "Sara Saksbehandler", HOSTILE], [0, 1, 3], ["–", "01.02.2026"]
    )
    for number, (overdue, assignee, unread, due) in enumerate(states):
        case = SimpleNamespace(
            reference=f"2026/{number:06d}",
            title=HOSTILE if number % 5 == 0 else "Skjenkebevilling & uteservering",
            party_name=HOSTILE if number % 7 == 0 else "Kari Nordmann-Test",
        )
        rows.append(
            {
                "case": case,
                "url": f"/saksbehandling/saker/{number}/?a=1&b=2",
                "status": "Under behandling" if number % 2 else "Mottatt <ny>",
                "received": "07.12.2026",
                "due": due,
                "overdue": overdue,
                "assignee": assignee,
                "unread": unread,
                "unread_label": f"{unread} uleste meldinger" if unread else "",
            }
        )
    return rows


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
        for chosen in (rows, rows[:1], []):
            old = (
                engines["django"]
                .from_string(source)
                .render(
                    {
                        "rows": chosen,
                        "overdue_label": labels["overdue"],
                        "unassigned_label": labels["unassigned"],
                        "no_unread_label": labels["no_unread"],
                    }
                )
            )
            # The reference file holds the loop as the page had it: indented, then a newline.
            assert "    " + inbox_rows_html(chosen, labels) + "\n" == old
    assert old == "    \n"  # the last one: no rows


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
