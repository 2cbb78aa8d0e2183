"""An amount in a notice is kept in øre and written out in the language the notice goes out
in — "1 250,00 kr" in bokmål, "NOK 1,250.00" in English — as the pages write it."""

from __future__ import annotations

import pytest
from django.core import mail

from iktipet.messaging.events import clean_context, render_notice
from iktipet.messaging.services import notify
from iktipet.messaging.tasks import send_notification
from support.messaging import KARI

FATIMA = "19859349903"  # the contact register (KRR) says she reads English
URL = "https://iktipet.test/betaling/x/"
NOK = {"nb": "1\xa0250,00\xa0kr", "en": "NOK\xa01,250.00"}


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize(
    "event", ["payment.claim", "payment.refunded", "booking.cancelled", "case.received"]
)
def test_an_amount_in_ore_is_written_in_the_notice_language(event, language):
    context = clean_context({"amount_ore": 125_000, "deadline": "2027-01-15"})
    rendered = render_notice(event, language=language, context=context, url=URL)
    assert NOK[language] in rendered.body
    other = NOK["en" if language == "nb" else "nb"]
    assert other not in rendered.body


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_booking_cancelled_too_late_says_nothing_comes_back(language):
    rendered = render_notice(
        "booking.cancelled", language=language, context=clean_context({"amount_ore": 0}), url=URL
    )
    expected = {
        "nb": "Avbestillingsfristen var ute",
        "en": "The cancellation deadline had passed",
    }[language]
    assert expected in rendered.body.replace("\n", " ")
    assert "0,00" not in rendered.body and "0.00" not in rendered.body


def test_amount_ore_must_be_a_whole_number_of_ore():
    for wrong in ("1 250,00 kr", 12.5, True):
        with pytest.raises(ValueError, match="amount_ore"):
            clean_context({"amount_ore": wrong})
    # Eleven digits of øre are an amount, not a fødselsnummer.
    assert clean_context({"amount_ore": 17_819_049_912}) == {"amount_ore": "17819049912"}


def test_the_recipient_reads_the_amount_in_their_own_language(agencies):
    sent = {}
    for pid in (KARI, FATIMA):
        notification = notify(
            event="payment.refunded",
            pid=pid,
            agency=agencies["naeringsetaten"],
            link_path="/min-side/",
            context={"reference": "B-ABCDEFGH", "amount_ore": 125_000},
        )
        assert send_notification.call(str(notification.pk)) == "sent"
        sent[pid] = mail.outbox[-1].body
    assert NOK["nb"] in sent[KARI] and NOK["en"] not in sent[KARI]
    assert NOK["en"] in sent[FATIMA] and NOK["nb"] not in sent[FATIMA]
