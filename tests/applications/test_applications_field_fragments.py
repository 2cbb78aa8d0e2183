"""The step's fields from fragments made once (``fields.html.live_fields_html``, issue 13):
the same HTML as each field written anew, for every field of the seed services and of the
bench service, in bokmål and English, with answers that are hostile, chosen, or of the
wrong shape, required or not, read-only or not; and no answer kept between requests."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.template.defaultfilters import linebreaksbr
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from iktipet.applications.engine.form import BoundField
from iktipet.applications.engine.specs import spec_for
from iktipet.applications.fields import html
from iktipet.applications.fields.base import FieldSpec, Option
from iktipet.catalog.schema import parse_definition
from support.applications import SERVICES_DIR

HOSTILE = "<script>alert('x')</script> & \"quoted\""
BENCH = Path(__file__).resolve().parents[2] / "bench" / "services"


def _fields() -> list[Any]:
    found = []
    for path in sorted([*SERVICES_DIR.glob("*.yaml"), *BENCH.glob("*.yaml")]):
        definition = parse_definition(yaml.safe_load(path.read_text(encoding="utf-8")))
        if hasattr(definition, "iter_fields"):  # a form, not a link to another site
            found += [item for _step, item in definition.iter_fields()]
    return found


def _answers(spec: FieldSpec) -> list[Any]:
    values = [option.value for option in spec.options]
    return [
        "",
        None,
        HOSTILE,
        "yes",
        "no",
        "12,5",
        "17.05.2027",
        [],
        values[:1],
        values,
        [HOSTILE],
        {"name": HOSTILE},
        *values,
    ]


def _bound(spec: FieldSpec, raw: Any, required: bool, readonly: bool) -> BoundField:
    return BoundField(
        spec=spec,
        name=spec.id,
        raw=raw,
        required=required,
        readonly=readonly,
        options=list(spec.options),
    )


@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_field_is_the_same_as_written_anew(language):
    html._fragments.clear()
    with translation.override(language):
        for item in _fields():
            spec = spec_for(item)
            for raw, required, readonly in itertools.product(
                _answers(spec), [False, True], [False, True]
            ):
                f = _bound(spec, raw, required, readonly)
                anew = html._live_field(f)
                for _ in range(2):  # made, then from the fragments kept
                    assert html._live_field_fast(f, language) == anew, (spec.id, raw)
    assert html._fragments, "no field was kept as fragments"


def test_an_error_or_a_registers_options_are_written_anew():
    html._fragments.clear()
    plain = FieldSpec(id="a", type="text", label="A")
    sourced = FieldSpec(
        id="b", type="single_choice", label="B", source="kindergartens", options=[Option("1", "X")]
    )
    with translation.override("nb"):
        errored = _bound(plain, HOSTILE, True, False)
        errored.error = f"Feil {HOSTILE}"
        html.live_fields_html([errored, _bound(sourced, "1", True, False)], ["a", "b"])
    assert html._fragments == {}


def test_no_answer_is_kept():
    html._fragments.clear()
    spec = FieldSpec(id="a", type="text", label="A")
    with translation.override("nb"):
        page = html.live_fields_html([_bound(spec, "secret-answer", True, False)], ["a"])
    assert "secret-answer" in page
    assert "secret-answer" not in repr(html._fragments)


@pytest.mark.parametrize(
    "value",
    [
        HOSTILE,
        "a\r\nb\rc\nd",
        "\r",
        mark_safe("<b>a</b>\r\nb\n"),
        gettext_lazy("Ja"),
        12,
        "plain",
        "",
    ],
)
def test_line_breaks_as_the_filter_writes_them(value):
    assert html.breaks(value) == linebreaksbr(value, autoescape=True)
