"""Min side's probe with the sections' constants written into its SQL (payments' cancelled
state, nabovarsel's partial index conditions; ``accounts.my_page.Constant``, issue 13): no
parameter for them, and each section's answer is its query's ``exists()``."""

from __future__ import annotations

from django.db import connections, router

from iktipet.accounts import my_page as accounts_my_page
from iktipet.accounts.models import Person
from iktipet.accounts.my_page import PageParties, _probed
from iktipet.accounts.parties import ActingParty
from iktipet.accounts.pid import pid_lookup_hash
from iktipet.cases.models import Case
from support.cases import KARI, submitted_case

ME = ActingParty("person", "", "")
TESTGRILLEN = ActingParty("organisation", "310000019", "Testgrillen Restaurant AS")


def _request(user, parties):
    from django.http import HttpRequest

    request = HttpRequest()
    request.user = user
    request._iktipet_page_parties = PageParties(parties, parties, "")  # type: ignore[attr-defined]
    return request


def test_the_probe_has_its_constants_as_literals(kari):
    submitted_case()
    user = Person.objects.get(pid_hash=pid_lookup_hash(KARI)).user
    for parties in [(ME,), (ME, TESTGRILLEN)]:
        request = _request(user, parties)
        found = _probed(request)
        for _name, (query, has) in found.items():
            if query is not None:
                assert has == query.build(router.db_for_read(query.model)).exists()
    connection = connections[router.db_for_read(Case)]
    statements = [s for s in accounts_my_page._probes[connection].values() if s is not None]
    assert statements
    for statement in statements:
        assert "'cancelled'" in statement.sql
        assert "<> ''" in statement.sql or "= '')" in statement.sql
