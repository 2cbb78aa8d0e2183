"""Every page's frame (``base.html``: head, header with the user menu, messages, footer)
around a page's content, without the template engine.

The pages written in Python (issue 13) still paid ~0.3 ms a request for ``base.html``: the
template engine, five context processors, ``{% extends %}`` and its blocks. That was the
largest cost left that every logged-in page shares. ``base.html`` stays the one definition
of the frame: it is rendered once per process, language, script prefix and municipality
name, with markers where the page's own parts go (title, head, user menu, the address to
come back to, content); the parts between the markers are kept, and a page is those parts
joined with what is this request's, escaped here. ``tests/accounts/test_accounts_chrome.py``
compares each page with ``base.html`` rendered by the engine.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.messages import get_messages
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template import Context, engines
from django.template.loader_tags import ExtendsNode
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from iktipet.accounts import menu
from iktipet.core.html import esc
from iktipet.core.per_language import per_language
from iktipet.core.selectors import current_municipality

#: A page's own parts, in the order ``base.html`` writes them.
_PARTS = ("title", "head", "nav", "next", "content")
_MARKED = (
    '{% extends "base.html" %}'
    "{% block title %}\ue000title\ue000{% endblock %}"
    "{% block head %}\ue000head\ue000{% endblock %}"
    "{% block nav_extra %}\ue000nav\ue000{% endblock %}"
    "{% block content %}\ue000content\ue000{% endblock %}"
)


class _MarkedRequest:
    """What ``base.html`` reads of the request: only the address to come back to."""

    def get_full_path(self) -> str:
        return "\ue000next\ue000"


def _split(rendered: str) -> tuple[str, ...]:
    pieces: list[str] = []
    rest = rendered
    for part in _PARTS:
        before, marker, rest = rest.partition(f"\ue000{part}\ue000")
        if not marker or "\ue000" in before:
            raise ImproperlyConfigured(f"base.html does not write its {part} once, in order")
        pieces.append(before)
    pieces.append(rest)
    return tuple(pieces)


@per_language
def _frames() -> dict[str, tuple[str, ...]]:
    """The frame's fixed pieces per municipality name (one, except in tests)."""
    return {}


def _frame(municipality: Any) -> tuple[str, ...]:
    frames = _frames()
    found = frames.get(municipality.name)
    if found is None:
        context = {"municipality": municipality, "request": _MarkedRequest(), "messages": ()}
        found = frames[municipality.name] = _split(
            engines["django"].from_string(_MARKED).render(context)
        )
    return found


def messages_html(messages: Iterable[Any]) -> str:
    """The messages left for this request (``{% page_messages %}`` in ``base.html``); reading
    them marks them shown, as the template's loop did."""
    html = []
    for message in messages:
        level = message.level_tag
        color = "danger" if level == "error" else "success" if level == "success" else "info"
        html.append(
            f'<div class="ds-alert" data-color="{color}" role="status">\n'
            f'      <p class="ds-paragraph">{esc(str(message))}</p>\n'
            "    </div>\n    "
        )
    return "".join(html)


def title(*parts: Any, errors: Any = False) -> SafeString:
    """A page's ``<title>`` text: its ``parts`` joined by " – " (each escaped unless HTML
    already), after "Feil:" when the page shows ``errors``, as the templates' title blocks
    wrote it."""
    text = " – ".join(esc(part) for part in parts)
    if errors:
        text = f"{esc(_('Feil:'))} {text}"
    return mark_safe(text)  # noqa: S308 (escaped above)


_INCLUDED = (
    "{% for item in items %}{% if item.html is not None %}{{ item.html }}{% else %}"
    "{% include item.template with section=item.context %}{% endif %}{% endfor %}"
)


@per_language
def _included() -> Any:
    """The loop above, compiled once per process (per language: forgotten with a setting
    change, when the engine may be another)."""
    return engines["django"].from_string(_INCLUDED)


def included(context: dict[str, Any], request: HttpRequest | None, items: Any) -> str:
    """The sections another app adds to a page as a template of its own (``template``,
    ``context``; or ``html``, written already): each included as the page's template did,
    with the page's context, the context processors' and ``section``. Only a page that has
    such a section pays the template engine."""
    return str(_included().render({**context, "items": items}, request))


def csrf_token(request: HttpRequest) -> Any:
    """As Django's ``csrf`` context processor: the token made only when a form writes it."""

    def value() -> str:
        token = get_token(request)
        return "NOTPROVIDED" if token is None else token

    return SimpleLazyObject(value)


def page(
    request: HttpRequest,
    *,
    title: str,
    content: str,
    head: str = "",
    token: Any = None,
) -> SafeString:
    """The whole page: ``base.html`` around ``content`` (HTML), with ``title`` (text, escaped
    here) and ``head`` (HTML for the ``<head>``). ``token``: the page's CSRF token if its
    content made one (``csrf_token``), so that the logout form writes the same."""
    frame = _frame(current_municipality())
    user = getattr(request, "user", None)
    full_path = request.get_full_path()  # the frame's and the menu's address to come back to
    nav = menu.user_menu(
        {
            "request": request,
            "user": user,
            "csrf_token": csrf_token(request) if token is None else token,
        },
        full_path=full_path,
    )
    messages = get_messages(request)
    return mark_safe(  # noqa: S308 (every part this request's is escaped here or by its maker)
        frame[0]
        + esc(title)
        + frame[1]
        + head
        + frame[2]
        + nav
        + frame[3]
        + esc(full_path)
        + frame[4]
        + (messages_html(messages) if messages else "")
        + content
        + frame[5]
    )


class TemplatePage:
    """A page whose template extends ``base.html`` and fills its blocks (title, head,
    content), made as those blocks in the frame, without rendering ``base.html`` or running
    the context processors: what the blocks read besides the view's context is the request,
    the CSRF token and the municipality (the tests compare each page with the template
    rendered whole). ``{{ block.super }}`` is not offered."""

    def __init__(self, template_name: str) -> None:
        self.template_name = template_name
        self._blocks: tuple[Any, dict[str, Any]] | None = None

    def blocks(self) -> tuple[Any, dict[str, Any]]:
        """The compiled template and its blocks by name, found once per engine."""
        compiled = engines["django"].get_template(self.template_name).template  # type: ignore[attr-defined]
        if self._blocks is None or self._blocks[0] is not compiled:
            extends = compiled.nodelist.get_nodes_by_type(ExtendsNode)
            if len(extends) != 1 or extends[0].parent_name.var != "base.html":
                raise ImproperlyConfigured(f"{self.template_name} does not extend base.html")
            self._blocks = (compiled, dict(extends[0].blocks))
        return self._blocks

    def __call__(self, context: dict[str, Any], request: HttpRequest) -> SafeString:
        compiled, blocks = self.blocks()
        token = csrf_token(request)
        values = {**context, "request": request, "csrf_token": token}
        values["municipality"] = current_municipality()
        own = Context(values)
        with own.render_context.push_state(compiled), own.bind_template(compiled):
            title = blocks["title"].render(own) if "title" in blocks else None
            head = blocks["head"].render(own) if "head" in blocks else ""
            content = blocks["content"].render(own) if "content" in blocks else ""
        return page(
            request,
            title=mark_safe(title) if title is not None else context.get("title", ""),  # noqa: S308 (rendered by the engine)
            head=head,
            content=content,
            token=token,
        )
