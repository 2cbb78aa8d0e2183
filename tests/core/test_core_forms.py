"""Which characters a text input refuses: every control character but tab, LF and CR."""

from __future__ import annotations

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from iktipet.core.forms import TextField, disallowed_text_error, has_disallowed_characters

ALLOWED_CONTROLS = {"\t", "\n", "\r"}


def _refused(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cs") and ch not in ALLOWED_CONTROLS


@given(st.text(alphabet=st.characters(codec=None)))
def test_refused_exactly_when_a_control_character_or_surrogate_is_in_it(value):
    assert has_disallowed_characters(value) == any(_refused(ch) for ch in value)


@given(
    st.recursive(
        st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
        max_leaves=8,
    )
)
def test_nested_values_are_searched_keys_and_all(value):
    def flat(v):
        if isinstance(v, str):
            yield v
        elif isinstance(v, dict):
            for key, item in v.items():
                yield key
                yield from flat(item)
        else:
            for item in v:
                yield from flat(item)

    assert has_disallowed_characters(value) == any(map(has_disallowed_characters, flat(value)))


def test_non_text_values_hold_nothing():
    assert not has_disallowed_characters(None)
    assert not has_disallowed_characters(12)


@pytest.mark.parametrize("value", ["a\x00b", "\x1f", "x\x7f", "\x85", "\ud800"])
def test_text_field_refuses_with_a_translated_message(value):
    field = TextField(required=False)
    with pytest.raises(ValidationError) as refused:
        field.clean(value)
    assert refused.value.code == "control_character"
    assert "usynlig kontrolltegn" in refused.value.messages[0]
    with translation.override("en"):
        assert "invisible control character" in disallowed_text_error(value)


def test_text_field_keeps_tab_and_line_breaks():
    assert TextField(strip=False).clean("a\tb\r\nc") == "a\tb\r\nc"
