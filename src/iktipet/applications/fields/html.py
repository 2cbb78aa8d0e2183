"""A step's fields as HTML, written in Python (issue 13: the step page is hot).

The field templates cost most of the step page's template time: each field was an
``{% include %}`` (a context push, a loader lookup) of ~20 nodes, each variable resolved
through the template engine's lookups and escaped one by one. The common field types are
written here as plain string formatting instead: the same markup, byte for byte, as the
templates they replace (ids, labels, ``aria-describedby``, the error summary's anchors,
``autocomplete``), so the page, the live questions (``live.js`` compares a field's HTML)
and the no-JS journey are unchanged. The rarer composite types (address, file, property,
ranked choice, group) keep their templates, rendered through the engine.

Every value from a definition, an answer or a translation is escaped here as the template
engine escapes ``{{ value }}`` (``html.escape``, or the value's own ``__html__``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from iktipet.applications.fields import FIELD_TYPES
from iktipet.applications.fields.base import FieldSpec
from iktipet.core.html import esc
from iktipet.core.html import linebreaksbr as breaks

if TYPE_CHECKING:
    from iktipet.applications.engine.form import BoundField


#: ``value`` as ``{{ value }}`` writes it (autoescape on).
_e = esc


# --- the parts every field repeats ----------------------------------------------------------


def label_html(f: BoundField) -> str:
    """The label text, and "(valgfritt)" after an optional field's."""
    if f.required:
        return _e(f.label)
    optional = _e(_("(valgfritt)"))
    return f'{_e(f.label)} <span class="app-optional">{optional}</span>'


def hint_html(f: BoundField) -> str:
    """The hint under the label, its id named by the input's aria-describedby."""
    if not f.hint:
        return ""
    return f'<div data-field="description" id="{_e(f.html_id)}-hint">{_e(f.hint)}</div>'


def error_html(f: BoundField) -> str:
    """The error under the input, announced with its "Feil:" prefix."""
    if not f.error:
        return ""
    prefix = _e(_("Feil:"))
    return (
        f'<div class="ds-validation-message" data-field="validation" id="{_e(f.html_id)}-error">'
        f'<span class="ds-sr-only">{prefix}</span>{_e(f.error)}</div>'
    )


def aria_html(f: BoundField) -> str:
    """aria-invalid, aria-describedby and readonly, for the input element."""
    attributes = ' aria-invalid="true"' if f.error else ""
    describedby = f.describedby
    if describedby:
        attributes += f' aria-describedby="{_e(describedby)}"'
    if f.readonly:
        attributes += " readonly"
    return attributes


def _described(f: BoundField) -> str:
    """A fieldset's aria-describedby (hint and error), when it has either."""
    describedby = f.describedby
    return f' aria-describedby="{_e(describedby)}"' if describedby else ""


def _error_class(f: BoundField) -> str:
    return " app-field--error" if f.error else ""


def _required(f: BoundField) -> str:
    return ' aria-required="true"' if f.required else ""


def _invalid(f: BoundField) -> str:
    return ' aria-invalid="true"' if f.error else ""


def _part(raw: Any, key: str) -> str:
    """``{{ f.raw.key }}``: a composite field's part, "" when the raw value has none."""
    if isinstance(raw, dict):
        return _e(raw[key]) if key in raw else ""
    return ""


# --- one input with its label -------------------------------------------------------------


def _single(f: BoundField, input_html: str, *, after_label: str = "") -> str:
    hid = _e(f.html_id)
    return (
        f'<div class="ds-field{_error_class(f)}">\n'
        f'  <label class="ds-label" for="{hid}">{label_html(f)}{after_label}</label>\n'
        f"  {hint_html(f)}\n"
        f"  {input_html}\n"
        f"  {error_html(f)}\n"
        "</div>\n"
    )


def _text(f: BoundField) -> str:
    hid, max_length, autocomplete = _e(f.html_id), f.spec.max_length, f.autocomplete
    return _single(
        f,
        f'<input class="ds-input" type="text" id="{hid}" name="{_e(f.name)}" value="{_e(f.raw)}"'
        + (f' maxlength="{_e(max_length)}"' if max_length else "")
        + (f' autocomplete="{_e(autocomplete)}"' if autocomplete else "")
        + f"{_required(f)}{aria_html(f)}>",
    )


def _textarea(f: BoundField) -> str:
    return _single(
        f,
        f'<textarea class="ds-input" rows="6" id="{_e(f.html_id)}" name="{_e(f.name)}"'
        f"{_required(f)}{aria_html(f)}>{_e(f.raw)}</textarea>",
    )


def _email(f: BoundField) -> str:
    return _single(
        f,
        f'<input class="ds-input" type="email" id="{_e(f.html_id)}" name="{_e(f.name)}" '
        f'value="{_e(f.raw)}" spellcheck="false" autocomplete="{_e(f.autocomplete or "email")}"'
        f"{_required(f)}{aria_html(f)}>",
    )


def _phone(f: BoundField) -> str:
    return _single(
        f,
        f'<input class="ds-input app-input--medium" type="tel" id="{_e(f.html_id)}" '
        f'name="{_e(f.name)}" value="{_e(f.raw)}" autocomplete="{_e(f.autocomplete or "tel")}"'
        f"{_required(f)}{aria_html(f)}>",
    )


def _identifier(f: BoundField) -> str:
    return _single(
        f,
        '<input class="ds-input app-input--medium" type="text" inputmode="numeric" '
        f'autocomplete="off" spellcheck="false" id="{_e(f.html_id)}" name="{_e(f.name)}" '
        f'value="{_e(f.raw)}"{_required(f)}{aria_html(f)}>',
    )


def _number(f: BoundField) -> str:
    inputmode = getattr(f.type, "inputmode", "")
    return _single(
        f,
        f'<input class="ds-input app-input--short" type="text" inputmode="{_e(inputmode)}" '
        f'id="{_e(f.html_id)}" name="{_e(f.name)}" value="{_e(f.raw)}" spellcheck="false"'
        f"{_required(f)}{aria_html(f)}>",
        after_label=f" ({_e(f.unit)})" if f.unit else "",
    )


def _money(f: BoundField) -> str:
    currency = _e(_("kr"))
    return _single(
        f,
        '<div class="ds-field-affixes">\n'
        f'    <input class="ds-input app-input--short" type="text" inputmode="decimal" '
        f'id="{_e(f.html_id)}" name="{_e(f.name)}" value="{_e(f.raw)}" spellcheck="false"'
        f"{_required(f)}{aria_html(f)}>\n"
        f'    <span class="ds-field-affix" aria-hidden="true">{currency}</span>\n'
        "  </div>",
    )


def _date(f: BoundField) -> str:
    hid, describedby = _e(f.html_id), f.describedby
    how = _e(_("Skriv datoen som dd.mm.åååå, for eksempel 17.05.2027."))
    # A text input: a browser's date input sends nothing for 31.02.2027, which the server
    # could only call missing. (The blank line is the template's comment, kept as it was.)
    return _single(
        f,
        f'\n  <div data-field="description" id="{hid}-format">'
        f"{how}</div>\n"
        '  <input class="ds-input app-input--short" type="text" autocomplete="off" '
        f'spellcheck="false" size="10" id="{hid}" name="{_e(f.name)}" value="{_e(f.raw)}"'
        f'{_required(f)}{_invalid(f)} aria-describedby="{hid}-format'
        + (f" {_e(describedby)}" if describedby else "")
        + '"'
        + (" readonly" if f.readonly else "")
        + ">",
    )


def _declaration(f: BoundField) -> str:
    hid = _e(f.html_id)
    checked = " checked" if f.raw == "yes" else ""
    return (
        f'<div class="ds-field{_error_class(f)}">\n'
        f'  <input class="ds-input" type="checkbox" id="{hid}" name="{_e(f.name)}" value="yes"'
        f"{checked}{_required(f)}{aria_html(f)}>\n"
        f'  <label class="ds-label" for="{hid}">{_e(f.label)}</label>\n'
        f"  {hint_html(f)}\n"
        f"  {error_html(f)}\n"
        "</div>\n"
    )


# --- choices ----------------------------------------------------------------------------------


def _fieldset(f: BoundField, body: str, *, extra_class: str = "") -> str:
    return (
        f'<fieldset class="ds-fieldset{extra_class}{_error_class(f)}" id="{_e(f.html_id)}"'
        f"{_described(f)}>\n"
        f'  <legend class="ds-label">{label_html(f)}</legend>\n'
        f"  {hint_html(f)}\n"
        f"{body}"
        f"  {error_html(f)}\n"
        "</fieldset>\n"
    )


def _yes_no(f: BoundField) -> str:
    hid, name, invalid = _e(f.html_id), _e(f.name), _invalid(f)
    rows = "".join(
        f'  <div class="ds-field"><input class="ds-input" type="radio" id="{hid}-{value}" '
        f'name="{name}" value="{value}"{" checked" if f.raw == value else ""}{invalid}>'
        f'<label class="ds-label" for="{hid}-{value}">{_e(text)}</label></div>\n'
        for value, text in (("yes", _("Ja")), ("no", _("Nei")))
    )
    return _fieldset(f, rows)


def _is_in(value: Any, raw: Any) -> bool:
    try:
        return value in raw
    except TypeError:  # as {% if … in … %} takes a failed test
        return False


def _boxes(f: BoundField, kind: str, checked: Callable[[Any], bool]) -> str:
    """The options as radio buttons or checkboxes, each with its label and hint."""
    hid, name, invalid = _e(f.html_id), _e(f.name), _invalid(f)
    rows = [
        f'<div class="ds-field"><input class="ds-input" type="{kind}" id="{hid}-{number}" '
        f'name="{name}" value="{_e(option.value)}"{" checked" if checked(option.value) else ""}'
        f'{invalid}><label class="ds-label" for="{hid}-{number}">{_e(option.label)}</label>'
        + (f'<div data-field="description">{_e(option.hint)}</div>' if option.hint else "")
        + "</div>\n  "
        for number, option in enumerate(f.options, start=1)
    ]
    return "".join(rows)


def _single_choice(f: BoundField) -> str:
    raw = f.raw
    if f.spec.widget == "select":
        choose = _e(_("Velg …"))
        options = "".join(
            f'<option value="{_e(option.value)}"'
            f"{' selected' if option.value == raw else ''}>{_e(option.label)}</option>"
            for option in f.options
        )
        return _single(
            f,
            f'<select class="ds-input" id="{_e(f.html_id)}" name="{_e(f.name)}"'
            f"{_required(f)}{aria_html(f)}>\n"
            f'    <option value="">{choose}</option>\n'
            f"    {options}\n"
            "  </select>",
        )
    boxes = _boxes(f, "radio", lambda value: value == raw)
    if not f.options:
        none = _e(_("Vi fant ingen du kan velge her. Ta kontakt med oss hvis dette er feil."))
        boxes = f'<p class="ds-paragraph">{none}</p>\n  '
    return _fieldset(f, f"  {boxes}\n")


def _multiple_choice(f: BoundField) -> str:
    raw = f.raw
    return _fieldset(f, f"  {_boxes(f, 'checkbox', lambda value: _is_in(value, raw))}\n")


def _person(f: BoundField) -> str:
    hid, name, raw, anchor = _e(f.html_id), _e(f.name), f.raw, f.error_anchor
    invalid = ' aria-invalid="true"'
    name_label, fnr_label = _e(_("Fullt navn")), _e(_("Fødselsnummer (11 siffer)"))
    return _fieldset(
        f,
        '  <div class="ds-field">\n'
        f'    <label class="ds-label" for="{hid}-name">{name_label}</label>\n'
        f'    <input class="ds-input" type="text" id="{hid}-name" name="{name}-name" '
        f'value="{_part(raw, "name")}" maxlength="150" autocomplete="off"'
        f"{invalid if anchor == '-name' else ''}>\n"
        "  </div>\n"
        '  <div class="ds-field">\n'
        f'    <label class="ds-label" for="{hid}-fnr">{fnr_label}</label>\n'
        '    <input class="ds-input app-input--medium" type="text" inputmode="numeric" '
        f'id="{hid}-fnr" name="{name}-fnr" value="{_part(raw, "fnr")}" autocomplete="off" '
        f'spellcheck="false"{invalid if anchor == "-fnr" else ""}>\n'
        "  </div>\n",
        extra_class=" app-composite",
    )


def _information(f: BoundField) -> str:
    variant = f.spec.variant
    heading = f'<h3 class="ds-heading" data-size="xs">{_e(f.label)}</h3>' if f.label else ""
    body = f'{heading}<p class="ds-paragraph">{breaks(f.text)}</p></div>\n'
    if variant == "neutral":
        return f'<div class="app-info" id="{_e(f.html_id)}">{body}'
    color = variant if variant in ("warning", "success") else "info"
    return f'<div class="ds-alert" data-color="{color}" id="{_e(f.html_id)}">{body}'


#: The writers by the name a field type gives as its ``markup``.
WRITERS: dict[str, Callable[[BoundField], str]] = {
    "text": _text,
    "textarea": _textarea,
    "email": _email,
    "phone": _phone,
    "identifier": _identifier,
    "number": _number,
    "money": _money,
    "date": _date,
    "declaration": _declaration,
    "yes_no": _yes_no,
    "single_choice": _single_choice,
    "multiple_choice": _multiple_choice,
    "person": _person,
    "information": _information,
}


def field_html(f: BoundField) -> SafeString:
    """One field (nothing when the rules hide it)."""
    if not f.visible:
        return mark_safe("")
    template = f.template
    if template:  # a group, or a composite type that keeps its template
        return mark_safe(get_template(template).render({"f": f}))  # noqa: S308 (the engine's)
    kind = f.type
    assert kind is not None  # only a group has none, and it has a template
    return mark_safe(WRITERS[kind.markup](f))  # noqa: S308 (every value escaped above)


def _live_field(f: BoundField) -> str:
    """One visible field in the wrapper the live questions' script replaces."""
    return (
        f'<div class="app-live-field" data-live-field="{_e(f.name)}" '
        f'data-live-kind="{_e(f.spec.type)}" data-live-label="{_e(f.label)}">'
        f"{field_html(f)}</div>"
    )


# --- the same fields from fragments made once ------------------------------------------------
#
# Most of a field's markup is the same on every request: its label, hint, ids, name, options
# and the translated texts depend on the definition (its spec, per language), the input's name,
# and whether it is required or read-only. Only the answer differs. So a field without an
# error is written once per such key by the writers above and kept as fragments:
#
# * an input that shows the answer as text (``SPLICED``) is written with a marker for the
#   answer and split there: the page joins the two halves around the escaped answer;
# * a choice (``CHOSEN``) is written whole for which of its options are chosen: its answer
#   only decides which ``checked``/``selected`` the markup has, never appears in it.
#
# Nothing from an answer is kept: a fragment holds the definition's texts and the key only
# says which option is chosen. Options from a register (``spec.source``: the person's own),
# information texts with placeholders, composite fields and fields with an error are written
# anew each time.

SPLICED = frozenset(("text", "textarea", "email", "phone", "identifier", "number", "money", "date"))
CHOSEN = frozenset(("yes_no", "declaration", "single_choice", "multiple_choice"))
#: Stands for the answer while an input is written once; not changed by escaping.
_MARK = "\x00\ue000answer\ue001\x00"
#: (id(spec), name, required, readonly, language, which options are chosen) ->
#: (the spec, the fragments). The entry holds its spec, so an id is not reused while kept.
_fragments: dict[tuple[Any, ...], tuple[FieldSpec, tuple[str, ...]]] = {}
_FRAGMENTS_MAX = 4096


def _chosen(markup: str, f: BoundField) -> Any:
    """What of a choice's answer its markup shows: which options are checked."""
    raw = f.raw
    if markup == "yes_no":
        return tuple(value == raw for value in ("yes", "no"))
    if markup == "declaration":
        return raw == "yes"
    if markup == "single_choice":
        return tuple(option.value == raw for option in f.options)
    return tuple(_is_in(option.value, raw) for option in f.options)


def _written(f: BoundField, markup: str) -> tuple[str, ...] | None:
    """The field's fragments, or None when it is not one to keep."""
    if markup in CHOSEN:
        return (_live_field(f),)
    parts = tuple(_live_field(replace(f, raw=_MARK)).split(_MARK))
    return parts if len(parts) == 2 else None


def _live_field_fast(f: BoundField, language: str | None) -> str:
    spec = f.spec
    kind = FIELD_TYPES.get(spec.type)
    markup = kind.markup if kind is not None and not kind.template else ""
    if f.error or spec.source or not (markup in SPLICED or markup in CHOSEN):
        return _live_field(f)
    chosen = _chosen(markup, f) if markup in CHOSEN else None
    key = (id(spec), f.name, f.required, f.readonly, language, chosen)
    found = _fragments.get(key)
    if found is not None and found[0] is spec:
        parts = found[1]
    else:
        written = _written(f, markup)
        if written is None:
            return _live_field(f)
        if len(_fragments) >= _FRAGMENTS_MAX:  # definitions replaced many times over
            _fragments.clear()
        _fragments[key] = (spec, written)
        parts = written
    if len(parts) == 1:
        return parts[0]
    return f"{parts[0]}{esc(f.raw)}{parts[1]}"


@receiver(setting_changed)
def _forget(**_: Any) -> None:
    _fragments.clear()


def live_fields_html(
    fields: Iterable[BoundField], shown: Iterable[str], language: str | None = None
) -> SafeString:
    """The step's fields, each in the wrapper the live questions' script replaces, and the
    ids the page shows (posted back as ``_shown``). ``language``: the active one, if the
    caller read it already."""
    language = language or get_language()
    parts = [_live_field_fast(f, language) for f in fields if f.visible]
    inputs = "".join(f'<input type="hidden" name="_shown" value="{esc(i)}">' for i in shown)
    parts.append(f'\n<div class="app-live-shown" data-live-shown>{inputs}</div>\n')
    return mark_safe("".join(parts))  # noqa: S308 (every value escaped above)


# --- the summary's answers ------------------------------------------------------------------


def _item(row: Any, key: str) -> Any:
    """``{{ row.key }}`` of a summary row (a dict, or an object from a plugin)."""
    if isinstance(row, dict):
        return row.get(key)
    return getattr(row, key, None)


def answer_html(row: Any, quiet: bool = False) -> SafeString:
    """One answer of a summary row: its text (line breaks kept), a repeating group as a
    table, or "Ikke besvart" (nothing when ``quiet``)."""
    return mark_safe(answer_text(row, quiet))  # noqa: S308 (every value escaped)


def answer_text(row: Any, quiet: bool = False) -> str:
    """``answer_html`` as a plain string, for a page that marks the whole safe once."""
    table = _item(row, "table")
    if table and _item(table, "rows"):
        muted = '<span class="app-muted">–</span>'
        headers = "".join(f'<th scope="col">{_e(h)}</th>' for h in _item(table, "headers") or ())
        body = "".join(
            "<tr>"
            + "".join(f"<td>{breaks(cell) if cell else muted}</td>" for cell in cells)
            + "</tr>"
            for cells in _item(table, "rows")
        )
        return (
            '<table class="ds-table app-answer-table" data-size="sm">\n'
            f'  <caption class="ds-sr-only">{_e(_item(table, "caption") or "")}</caption>\n'
            f"  <thead><tr>{headers}</tr></thead>\n"
            f"  <tbody>{body}</tbody>\n"
            "</table>"
        )
    value = row.get("value") if type(row) is dict else _item(row, "value")
    if value:
        return breaks(value)
    if quiet:
        return ""
    # Outside the f-string: makemessages (xgettext) does not look into its expressions.
    unanswered = _e(_("Ikke besvart"))
    return f'<span class="app-muted">{unanswered}</span>'
