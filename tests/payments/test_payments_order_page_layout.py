"""The order page as a person on a phone meets it: the lines' table scrolls inside its own
focusable region rather than the page sideways, amounts keep to one line, and the state tag
starts with a capital as the case statuses beside it do."""

from __future__ import annotations

import pytest

from iktipet.accounts.parties import myself
from iktipet.accounts.testing import sign_in_citizen
from iktipet.payments import services
from iktipet.payments.providers.base import OrderLine

pytestmark = pytest.mark.django_db


def test_the_lines_scroll_in_their_own_region_and_the_state_is_capitalised(
    client, agencies, offline_settings
):
    offline_settings.PAYMENT_PROVIDERS = ["testbank"]
    person = sign_in_citizen(client)
    order = services.create_order(
        payable=("layout-test", "1"),
        agency=agencies["naeringsetaten"],
        title="Gebyr",
        lines=[OrderLine("Gruppe 1 (øl): 10 000 liter à 0,61 kr", 1, 610_000)],
        user=person.user,
        party=myself(person),
    )
    page = client.get(f"/betaling/{order.pk}/").content.decode()
    region = page.index('<div class="table-scroll" role="region" tabindex="0" aria-label="')
    assert region < page.index("<table") < page.index("</table></div>")
    assert ">Til betaling</span>" in page
