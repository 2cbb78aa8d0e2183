"""A template backend for the pages written in Python (issue 13).

A hot page's view still calls ``render(request, "cases/citizen/case.html", context)`` as
every view does; this backend, listed first in ``TEMPLATES``, answers for the names in its
``OPTIONS["pages"]`` with the function at the dotted path given there, which makes the whole
page from the same context and the request. Any other name goes on to Django's engine. So a
view, its tests that look at what it rendered, and Django's test signals of which template
was used need not know how a page is made, and moving a page from a template to Python (or
back) is a line in the settings.

A page function is ``page(context: dict, request: HttpRequest | None) -> str`` (HTML). The
context processors do not run: the page reads what it needs from the request
(``accounts.chrome`` writes the frame every page shares).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest
from django.template import TemplateDoesNotExist
from django.template.backends.base import BaseEngine
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe

PageFunction = Callable[[dict[str, Any], HttpRequest | None], str]


class PythonPage:
    """One page: what ``get_template`` hands to ``render()``."""

    def __init__(self, name: str, function: PageFunction) -> None:
        self.origin = name
        self.template_name = name
        self.name = name
        self.function = function

    def render(
        self, context: Mapping[str, Any] | None = None, request: HttpRequest | None = None
    ) -> SafeString:
        given = dict(context or {})
        # The test client's record of which template a response used (``response.context``),
        # as Django's engine sends it under test. Not imported here: a process that never
        # loaded django.test has no one listening, and need not load it.
        signals = sys.modules.get("django.test.signals")
        if signals is not None:
            signals.template_rendered.send(sender=self, template=self, context=given)
        return mark_safe(self.function(given, request))  # noqa: S308 (the page escapes)


class PythonPages(BaseEngine):
    """``{"BACKEND": "iktipet.core.python_pages.PythonPages", "NAME": "python",
    "DIRS": [], "APP_DIRS": False, "OPTIONS": {"pages": {name: "dotted.path", …}}}``"""

    def __init__(self, params: dict[str, Any]) -> None:
        params = params.copy()
        options = params.pop("OPTIONS", {}).copy()
        self.paths: dict[str, str] = dict(options.pop("pages", {}))
        super().__init__(params)
        self.pages: dict[str, PythonPage] = {}

    def get_template(self, template_name: str) -> PythonPage:
        found = self.pages.get(template_name)
        if found is None:
            path = self.paths.get(template_name)
            if path is None:
                raise TemplateDoesNotExist(template_name, backend=self)
            found = self.pages[template_name] = PythonPage(template_name, import_string(path))
        return found
