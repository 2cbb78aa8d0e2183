"""Every page written in Python (``core.python_pages``) checked against the template it
replaced, in every test that renders one.

The old page templates are kept under ``tests/core/pages_before/`` by their names; a page
made from its template's blocks (``chrome.TemplatePage``) is compared with that template. While a
test runs, each Python page that is rendered is rendered again by Django's engine from the
old template, with the same context and request, and the two must be the same text, byte
for byte, but for the CSRF token's mask (drawn anew for each render). So every state the
suite drives a page into (errors, messages, languages, parties, hostile input) is a
comparison.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import TemplateDoesNotExist
from django.template.backends.django import DjangoTemplates

BEFORE = Path(__file__).resolve().parent.parent / "core" / "pages_before"
_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_engine: list[DjangoTemplates] = []


@receiver(setting_changed)
def _forget_engine(**_: Any) -> None:  # a test that changes TEMPLATES
    _engine.clear()


def django_settings() -> dict[str, Any]:
    """``TEMPLATES``' entry of Django's engine (the Python pages' backend is listed first)."""
    (django,) = (e for e in settings.TEMPLATES if e["BACKEND"].endswith("DjangoTemplates"))
    return django


def engine() -> DjangoTemplates:
    """The project's Django engine with the old pages found first."""
    if not _engine:
        django = django_settings()
        _engine.append(
            DjangoTemplates(
                {
                    "NAME": "pages-before",
                    "DIRS": [BEFORE, *django["DIRS"]],
                    "APP_DIRS": False,
                    "OPTIONS": dict(django["OPTIONS"]),
                }
            )
        )
    return _engine[0]


def masked(html: str) -> str:
    return _TOKEN.sub(r"\1…\2", html)


def compare(name: str, new: str, context: dict[str, Any], request: Any) -> None:
    """Raise when ``new`` (the Python page) is not what the old template writes."""
    try:  # the old page kept in the tests, or the template a TemplatePage renders in parts
        old = engine().get_template(name).render(context, request)
    except TemplateDoesNotExist:
        return
    if masked(new) != masked(old):
        at = next(
            (i for i, (a, b) in enumerate(zip(masked(new), masked(old), strict=False)) if a != b),
            min(len(new), len(old)),
        )
        raise AssertionError(
            f"{name} written in Python differs from the old template at {at}:\n"
            f"python:   {masked(new)[max(0, at - 120) : at + 120]!r}\n"
            f"template: {masked(old)[max(0, at - 120) : at + 120]!r}"
        )
