"""``core.html.esc`` writes what Django's ``conditional_escape`` writes, for every kind of value
a page gives it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.template.defaultfilters import linebreaksbr as django_linebreaksbr
from django.utils.html import conditional_escape, format_html
from django.utils.html import linebreaks as django_linebreaks
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from iktipet.core.html import esc, linebreaks, linebreaksbr

HOSTILE = "<script>alert('x')</script> & \"Ola\" > Kari's"


class Named:
    def __str__(self) -> str:
        return HOSTILE


@pytest.mark.parametrize(
    "value",
    [
        "",
        "Kari Nordmann",
        HOSTILE,
        "&amp; already an entity, escaped again",
        mark_safe("<b>trusted</b>"),
        format_html("<i>{}</i>", HOSTILE),
        7,
        Decimal("6100.50"),
        None,
        Named(),
        "æøå ÆØÅ – ‘quotes’",
    ],
)
def test_esc_writes_what_conditional_escape_writes(value: Any) -> None:
    assert esc(value) == str(conditional_escape(value))


def test_a_lazy_text_is_escaped_in_the_active_language() -> None:
    text = gettext_lazy("Log out")
    with override("en"):
        assert esc(text) == str(conditional_escape(text))


def test_the_result_is_plain_text_for_the_page_to_mark_safe_once() -> None:
    assert type(esc(HOSTILE)) is str
    assert esc(HOSTILE) == (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;Ola&quot; &gt; Kari&#x27;s"
    )


TEXTS = [
    "",
    "én linje",
    HOSTILE,
    "to\nlinjer",
    "avsnitt\n\nnytt avsnitt\n\n\n\ntredje",
    "windows\r\nlinjer\r\n\r\nog\rmac",
    "\n\ninnledende og avsluttende\n\n",
    "<b>fet</b>\n & 'sitat'",
]


@pytest.mark.parametrize("text", TEXTS)
def test_linebreaks_writes_what_django_s_filter_writes(text: str) -> None:
    assert linebreaks(text) == str(django_linebreaks(text, autoescape=True))


@pytest.mark.parametrize("value", [*TEXTS, mark_safe("<i>trygg</i>\nlinje"), 7])
def test_linebreaksbr_writes_what_django_s_filter_writes(value: Any) -> None:
    assert linebreaksbr(value) == str(django_linebreaksbr(value, autoescape=True))
