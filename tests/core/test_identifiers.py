"""Norwegian identifiers: fødselsnummer (real, d, Tenor, Dolly), orgnr, kontonr, kommunenr."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from iktipet.core.identifiers import (
    InvalidIdentifier,
    birth_date_from_fodselsnummer,
    format_kontonummer,
    is_synthetic_fodselsnummer,
    mask_fodselsnummer,
    validate_fodselsnummer,
    validate_kommunenummer,
    validate_kontonummer,
    validate_orgnr,
)

REAL = "15108695088"  # python-stdnum's documented example
D_NUMMER = "55108695071"  # same date, first digit + 4
TENOR = "17819049912"  # Kari Nordmann-Test, month + 80
TENOR_D = "57819049906"  # d-nummer form of a Tenor number
DOLLY = "15518695050"  # month + 40
DOLLY_D = "55518695044"


def code_of(value: str, *, allow_synthetic: bool = True) -> str:
    with pytest.raises(InvalidIdentifier) as info:
        validate_fodselsnummer(value, allow_synthetic=allow_synthetic)
    return info.value.code


@pytest.mark.parametrize("allow_synthetic", [True, False])
@pytest.mark.parametrize("value", [REAL, D_NUMMER, "151086 95088", " 15108695088\n"])
def test_real_numbers_always_pass(value, allow_synthetic):
    assert validate_fodselsnummer(value, allow_synthetic=allow_synthetic) in (REAL, D_NUMMER)


@pytest.mark.parametrize("value", [TENOR, TENOR_D, DOLLY, DOLLY_D])
def test_synthetic_numbers_pass_only_when_allowed(value):
    assert validate_fodselsnummer(value, allow_synthetic=True) == value
    assert code_of(value, allow_synthetic=False) == "synthetic"
    assert is_synthetic_fodselsnummer(value)


def test_real_numbers_are_not_synthetic():
    assert not is_synthetic_fodselsnummer(REAL)
    assert not is_synthetic_fodselsnummer(D_NUMMER)
    assert not is_synthetic_fodselsnummer("garbage")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "required"),
        ("   ", "required"),
        (None, "required"),
        (15108695088, "required"),
        ("1510869508", "format"),
        ("151086950888", "format"),
        ("1510869508x", "format"),
        ("151086-95088", "format"),
        ("١٥١٠٨٦٩٥٠٨٨", "format"),  # Arabic-Indic digits: str.isdigit() alone would pass them
        ("15108695077", "checksum"),
        ("15108695089", "checksum"),
        ("29020049004", "invalid_date"),  # 29 Feb 1900 (no leap year)
        ("15108680048", "invalid_date"),  # individual number 800 with year 86: no century
        ("15123595006", "invalid_date"),  # born in 2035
        ("81108695048", "invalid_date"),  # FH-nummer: no date by design
        ("15138695058", "invalid_date"),  # month 13
        ("15938695013", "invalid_date"),  # month 93
        ("32108695012", "invalid_date"),  # day 32
    ],
)
def test_invalid_numbers(value, code):
    assert code_of(value) == code


def test_error_messages_are_norwegian_and_translatable():
    with translation.override("nb"), pytest.raises(InvalidIdentifier) as info:
        validate_fodselsnummer("123", allow_synthetic=False)
    assert str(info.value) == "Fødselsnummeret må ha 11 siffer."
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("value", "born"),
    [
        (REAL, datetime.date(1986, 10, 15)),
        (D_NUMMER, datetime.date(1986, 10, 15)),
        (TENOR, datetime.date(1990, 1, 17)),
        (TENOR_D, datetime.date(1990, 1, 17)),
        (DOLLY, datetime.date(1986, 11, 15)),
        (DOLLY_D, datetime.date(1986, 11, 15)),
        ("01012050190", datetime.date(2020, 1, 1)),
        ("01015460020", datetime.date(1854, 1, 1)),
        ("14832699927", datetime.date(2026, 3, 14)),
    ],
)
def test_birth_date(value, born):
    assert birth_date_from_fodselsnummer(value) == born


def test_birth_date_of_garbage_is_invalid_identifier():
    with pytest.raises(InvalidIdentifier):
        birth_date_from_fodselsnummer("15108695077")


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("17019012345", "170190 *****"),
        ("170190 12345", "170190 *****"),
        ("123", "****** *****"),
        ("", "****** *****"),
        (None, "****** *****"),
    ],
)
def test_mask(value, masked):
    assert mask_fodselsnummer(value) == masked


def test_orgnr():
    assert validate_orgnr("974 760 673") == "974760673"
    assert validate_orgnr("310000019") == "310000019"
    for value, code in [
        ("", "required"),
        ("97476067", "format"),
        ("974-760-673", "format"),
        ("974760674", "checksum"),
        ("112233445", "checksum"),
    ]:
        with pytest.raises(InvalidIdentifier) as info:
            validate_orgnr(value)
        assert info.value.code == code


def test_kontonummer():
    assert validate_kontonummer("8601 11 17947") == "86011117947"
    assert validate_kontonummer("8601.11.17947") == "86011117947"
    assert format_kontonummer("86011117947") == "8601.11.17947"
    for value, code in [
        ("", "required"),
        ("860111179", "format"),
        ("1234567", "format"),  # stdnum accepts old 7-digit numbers; we do not
        ("86011117948", "checksum"),
    ]:
        with pytest.raises(InvalidIdentifier) as info:
            validate_kontonummer(value)
        assert info.value.code == code


def test_kommunenummer():
    assert validate_kommunenummer("0301") == "0301"
    assert validate_kommunenummer(" 4601 ") == "4601"
    for value in ["", "301", "03011", "0001", "03a1", "０３０１"]:
        with pytest.raises(InvalidIdentifier):
            validate_kommunenummer(value)


VALIDATORS = [
    lambda v: validate_fodselsnummer(v, allow_synthetic=True),
    lambda v: validate_fodselsnummer(v, allow_synthetic=False),
    birth_date_from_fodselsnummer,
    validate_orgnr,
    validate_kontonummer,
    format_kontonummer,
    validate_kommunenummer,
]

any_text = st.one_of(
    st.text(),
    st.text(alphabet="0123456789 \t.-", max_size=16),
    st.from_regex(r"\A[0-9]{11}\Z"),
    st.from_regex(r"\A[0-9]{9}\Z"),
    st.from_regex(r"\A[0-9]{4}\Z"),
)


@given(any_text)
def test_validators_raise_only_invalid_identifier(value):
    for validate in VALIDATORS:
        try:
            validate(value)
        except InvalidIdentifier as exc:
            assert str(exc)


@given(st.from_regex(r"\A[0-9]{11}\Z"))
def test_accepted_fodselsnummer_round_trips(value):
    try:
        number = validate_fodselsnummer(value, allow_synthetic=True)
    except InvalidIdentifier:
        return
    assert number == value
    assert birth_date_from_fodselsnummer(number) <= datetime.date.today()
    real = not is_synthetic_fodselsnummer(number)
    assert real == (int(number[2:4]) <= 12)


@given(st.one_of(st.text(), st.none(), st.integers()))
def test_mask_never_raises_or_reveals_more_than_six_digits(value):
    masked = mask_fodselsnummer(value)
    assert sum(ch.isdigit() for ch in masked) <= 6
    assert masked.endswith(" *****")


def test_error_messages_in_english():
    with translation.override("en"), pytest.raises(InvalidIdentifier) as info:
        validate_fodselsnummer(TENOR, allow_synthetic=False)
    assert str(info.value) == "This is a synthetic test number. It cannot be used here."
