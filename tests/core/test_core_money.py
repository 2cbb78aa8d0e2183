"""Money as integer øre: parsed from what people type, shown in Norwegian and English."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from iktipet.core.money import format_nok, ore_from_kroner, parse_nok


@pytest.mark.parametrize(
    ("text", "ore"),
    [
        ("1 234,50", 123450),
        ("1\u00a0234.5", 123450),
        ("1500 kr", 150000),
        ("kr 99,-", 9900),
        ("-10", -1000),
        ("12,345", None),
        ("ti kroner", None),
        ("١٢", None),  # digits, but not ASCII ones
        ("1" * 20, None),  # beyond MAX_ORE
    ],
)
def test_parse_nok(text, ore):
    assert parse_nok(text) == ore


@pytest.mark.parametrize(
    ("kroner", "ore"),
    [(Decimal("10.385"), 1039), ("1038.0000000000002", 103800), (7, 700), ("0.005", 1)],
)
def test_ore_from_kroner_rounds_half_up(kroner, ore):
    assert ore_from_kroner(kroner) == ore


@pytest.mark.parametrize(
    ("ore", "nb", "en"),
    [
        (123450, "1\u00a0234,50\u00a0kr", "NOK\u00a01,234.50"),
        (5, "0,05\u00a0kr", "NOK\u00a00.05"),
        (-1_000_000_00, "-1\u00a0000\u00a0000,00\u00a0kr", "-NOK\u00a01,000,000.00"),
    ],
)
def test_format_nok_in_both_languages(ore, nb, en):
    assert format_nok(ore, "nb") == nb
    assert format_nok(ore, "en") == en
    with translation.override("en"):
        assert format_nok(ore) == en
    with translation.override("nb"):
        assert format_nok(ore) == nb
