"""The parts every field repeats (label, hint, error, aria attributes) for the field
templates that remain (address, file, property, ranked choice, group), and a group's rows'
fields: written in Python by :mod:`iktipet.applications.fields.html`, as the step page's
own fields are (issue 13: the nested ``{% include %}``s were most of the page's CPU).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

from iktipet.applications.fields import html
from iktipet.applications.step_html import step_content_html
from iktipet.applications.summary_html import summary_content_html

register = template.Library()


@register.filter
def field_label(f: Any) -> SafeString:
    """The label text, and "(valgfritt)" after an optional field's."""
    return mark_safe(html.label_html(f))  # noqa: S308 (escaped by fields.html)


@register.filter
def field_hint(f: Any) -> SafeString:
    """The hint under the label, its id named by the input's aria-describedby."""
    return mark_safe(html.hint_html(f))  # noqa: S308 (escaped by fields.html)


@register.filter
def field_error(f: Any) -> SafeString:
    """The error under the input, announced with its "Feil:" prefix."""
    return mark_safe(html.error_html(f))  # noqa: S308 (escaped by fields.html)


@register.filter
def field_aria(f: Any) -> SafeString:
    """aria-invalid, aria-describedby and readonly, for the input element."""
    return mark_safe(html.aria_html(f))  # noqa: S308 (escaped by fields.html)


@register.filter
def field_html(f: Any) -> SafeString:
    """A whole field (a group's row's), nothing when the rules hide it."""
    return html.field_html(f)


@register.filter
def answer(row: Any, quiet: Any = False) -> SafeString:
    """A summary row's answer (``applications/_answer.html``)."""
    return html.answer_html(row, bool(quiet))


@register.simple_tag(takes_context=True)
def step_content(context: Any) -> SafeString:
    """``step.html``'s content (``applications.step_html``), with the page's CSRF token."""
    request = context.get("request")
    return step_content_html(
        context, csrf_token=context.get("csrf_token"), full_path=request.get_full_path()
    )


@register.simple_tag(takes_context=True)
def summary_content(context: Any) -> SafeString:
    """``summary.html``'s content (``applications.summary_html``), with the page's CSRF
    token."""
    return summary_content_html(context, csrf_token=context.get("csrf_token"))
