"""The user menu in every page's header (log in; or the name, the party, Min side, log out),
written in Python.

It was ``accounts/_user_menu.html``, included by ``base.html``: the ``{% include %}``, its
``{% if %}``s and its fragments cost ~0.1 ms of CPU on every logged-in page (measured on an
empty page of ``base.html``, where that was a fifth of the page). What is the same for
everyone in a language (addresses, labels) is made once per process, language and script
prefix; what is the person's (the name, the party, the page to come back to, the CSRF token)
is escaped here on every request. ``tests/accounts/test_accounts_user_menu.py`` renders the
old template beside it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from iktipet.accounts.parties import acting_party
from iktipet.core.csrf_html import csrf_input
from iktipet.core.html import esc
from iktipet.core.per_language import per_language


@per_language
def _common() -> dict[str, str]:
    # Each label a plain gettext call (makemessages reads no f-string).
    log_out, log_in, staff, change, mine = (
        escape(_("Logg ut")),
        escape(_("Logg inn")),
        escape(_("Saksbehandling")),
        escape(_("Bytt aktør")),
        escape(_("Min side")),
    )
    return {
        "login": f'<li><a class="ds-link" href="{escape(reverse("accounts:login"))}?next=',
        "login_end": f'">{log_in}</a></li>',
        "staff": (
            f'<li><a class="ds-link" href="{escape(reverse("staff:home"))}">{staff}</a></li>'
        ),
        "choose": f' <a class="ds-link" href="{escape(reverse("accounts:choose_party"))}?next=',
        "choose_end": (
            f'">{change}</a></li>'
            '<li><a class="ds-link" '
            f'href="{escape(reverse("accounts:my_page"))}">{mine}</a></li>'
        ),
        "logout": (
            '<li><form class="inline-form" method="post" '
            f'action="{escape(reverse("accounts:logout"))}">'
        ),
        "logout_end": (
            '<button class="ds-button" data-variant="secondary" data-size="sm" type="submit">'
            f"{log_out}</button></form></li>"
        ),
    }


def _next(full_path: str) -> str:
    # As the template's {{ request.get_full_path|urlencode }}: quoted, "/" kept (nothing
    # left that HTML would need escaped).
    return quote(full_path, safe="/")


def user_menu(context: Any, full_path: str | None = None) -> SafeString:
    """The menu's ``<li>``s for the user in ``context`` (``base.html``'s navigation);
    ``full_path``: the request's, when the caller has it already."""
    parts = _common()
    request = context.get("request")
    user = context.get("user")
    if full_path is None and request is not None:
        full_path = request.get_full_path()
    back = _next(full_path) if full_path is not None else ""
    if user is None or not user.is_authenticated:
        return mark_safe(parts["login"] + back + parts["login_end"])  # noqa: S308 (escaped)
    name = f'<li><span class="site-nav__user">{esc(user.display_name)}</span>'
    logout = parts["logout"] + csrf_input(context.get("csrf_token")) + parts["logout_end"]
    if getattr(user, "is_staff_member", False):
        return mark_safe(parts["staff"] + name + "</li>" + logout)  # noqa: S308 (escaped)
    party = acting_party(request) if request is not None else None
    on_behalf = ""
    if party is not None and party.is_organisation:
        on_behalf = ' <span class="site-nav__party">{}</span>'.format(
            _("på vegne av %(name)s") % {"name": esc(party.name)}
        )
    html = name + on_behalf + parts["choose"] + back + parts["choose_end"] + logout
    return mark_safe(html)  # noqa: S308 (every value escaped above)
