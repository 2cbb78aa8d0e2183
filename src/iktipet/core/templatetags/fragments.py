"""``{% samefor %}``: a piece of a template rendered once per process, not once per request.

The header, footer and stylesheet links of ``base.html`` are the same on every page for a
language: their ``{% url %}``, ``{% static %}`` and ``{% translate %}`` tags cost ~0.3 ms of
every page's CPU (measured on the step page and the front page). Written as

    {% samefor name=municipality.name %}<a href="{% url 'front' %}">{{ name }}</a>{% endsamefor %}

the content is rendered the first time for each combination of the active language, the
script prefix and the named values, then reused. Nothing personal can leak from one request
into another's page: the content is rendered in a context holding *only* the named values
(not the request, the user or the CSRF token), and those values are part of the key, so a
fragment can only show what it is keyed on. Name only values that are few and the same for
many people (a language, a municipality's name, a kind of user), never a person's data.

A changed setting (tests) empties every fragment, as it would restart a deployed process.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

#: Distinct keys one fragment keeps (a service's page: one per service and language): a bound
#: against a value that is not few after all; the oldest is dropped for a new one.
MAX_VARIANTS = 64


class _Generation:
    """Bumped when a setting changes: every fragment rendered before is stale."""

    value = 0


@receiver(setting_changed)
def _forget_fragments(**_: Any) -> None:
    _Generation.value += 1


class SameForNode(template.Node):
    def __init__(self, nodelist: NodeList, values: dict[str, FilterExpression]) -> None:
        self.nodelist = nodelist
        self.values = values
        self.generation = -1
        self.rendered: dict[tuple[Any, ...], SafeString] = {}

    def render(self, context: Context) -> SafeString:
        values = {name: value.resolve(context) for name, value in self.values.items()}
        key = (get_language(), get_script_prefix(), *map(str, values.values()))
        if self.generation != _Generation.value:
            self.rendered, self.generation = {}, _Generation.value
        found = self.rendered.get(key)
        if found is None:
            own = Context(values, autoescape=context.autoescape, use_l10n=context.use_l10n)
            own.template = context.template  # {% include %} and {% url %} need the engine
            found = mark_safe(self.nodelist.render(own))  # noqa: S308 (rendered by the engine)
            if len(self.rendered) >= MAX_VARIANTS:  # the oldest goes (dicts keep their order)
                with contextlib.suppress(RuntimeError, StopIteration):  # another thread's turn
                    self.rendered.pop(next(iter(self.rendered)), None)
            self.rendered[key] = found
        return found


@register.tag
def samefor(parser: Parser, token: Token) -> SameForNode:
    """``{% samefor [name=value …] %}…{% endsamefor %}``: see the module's docstring."""
    values: dict[str, FilterExpression] = {}
    for bit in token.split_contents()[1:]:
        name, sep, expression = bit.partition("=")
        if not sep or not name.isidentifier():
            raise template.TemplateSyntaxError(f"samefor takes name=value pairs, not {bit!r}")
        values[name] = parser.compile_filter(expression)
    nodelist = parser.parse(("endsamefor",))
    parser.delete_first_token()
    return SameForNode(nodelist, values)
