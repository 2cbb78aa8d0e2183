"""The step page's own content, written in Python (issue 13: the step page is hot).

``step.html``'s content block was ~20 template nodes around the fields' HTML (the progress,
the error summary, the new-question alert, the heading, the form and its buttons), each
variable resolved and escaped by the template engine. This writes the same markup, byte for
byte (``tests/applications/test_applications_step_html.py`` compares it with the template
it replaces, in bokmål and English), so accessibility, the no-JS journey and the live
questions' script are unchanged. The rare open-application warning keeps its template.

Every value from a definition, an answer or a translation is escaped as ``{{ value }}``
escapes it; the CSRF token is the page's one masked token, as ``{% csrf_token %}`` writes it.
"""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import linebreaksbr
from django.template.loader import get_template
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from iktipet.accounts import chrome
from iktipet.core.csrf_html import csrf_input
from iktipet.core.html import esc as _e
from iktipet.core.per_language import per_language


@per_language
def _texts() -> dict[str, str]:
    """The page's fixed texts, escaped."""
    return {
        "errors": _e(_("For å gå videre må du rette opp følgende:")),
        "back": _e(_("Forrige steg")),
        "summary": _e(_("Gå til oppsummering")),
        "next": _e(_("Neste steg")),
        "save": _e(_("Lagre og fortsett senere")),
        "default": _e(_("Neste")),
        "added": _e(_("Nye spørsmål:")),
        "removed": _e(_("Spørsmål fjernet:")),
        "updated": _e(_("Oppdatert:")),
        "head": (
            f'<link rel="stylesheet" href="{static("applications/applications.css")}">\n'
            f'<script src="{static("applications/live.js")}" defer></script>'
        ),
    }


def error_summary_html(errors: Any, texts: dict[str, str] | None = None) -> str:
    """``_error_summary.html``: the errors, each a link to its input."""
    if not errors:
        return ""
    heading = (texts or _texts())["errors"]
    items = "".join(
        f'<li><a class="ds-link" href="#{_e(error.anchor)}">{_e(error.message)}</a></li>'
        for error in errors
    )
    return (
        '<div class="ds-error-summary app-error-summary" role="alert" '
        'aria-labelledby="error-summary-heading" tabindex="-1" id="error-summary">\n'
        f'  <h2 class="ds-heading" data-size="xs" id="error-summary-heading">{heading}</h2>\n'
        '  <ul class="ds-list">\n'
        f"    {items}\n"
        "  </ul>\n"
        "</div>\n"
    )


def _revealed_html(revealed: Any, names: str) -> str:
    if not revealed:
        return ""
    # As {% blocktranslate count %}: the message as translated, the names escaped.
    message = ngettext(
        "Svaret ditt ga et nytt spørsmål: %(names)s. Svar på det og trykk «Neste steg».",
        "Svarene dine ga nye spørsmål: %(names)s. Svar på dem og trykk «Neste steg».",
        len(revealed),
    ) % {"names": _e(names)}
    return (
        '<div class="ds-alert" data-color="info" id="revealed" role="alert">'
        f'<p class="ds-paragraph">{message}</p></div>'
    )


def _actions_html(texts: dict[str, str], has_previous: bool, to_summary: bool) -> str:
    back = ""
    if has_previous:
        back = (
            '<button class="ds-button" data-variant="secondary" type="submit" name="_action" '
            f'value="back">{texts["back"]}</button>'
        )
    onward = texts["summary"] if to_summary else texts["next"]
    save = texts["save"]
    return (
        '<div class="app-actions">\n'
        f"    {back}\n"
        '    <button class="ds-button" data-variant="primary" type="submit" name="_action" '
        f'value="next">{onward}</button>\n'
        "  </div>\n"
        '  <p class="ds-paragraph"><button class="ds-button" data-variant="tertiary" '
        f'type="submit" name="_action" value="save">{save}</button></p>'
    )


def step_content_html(
    context: Any, *, csrf_token: Any, full_path: str, texts: dict[str, str] | None = None
) -> SafeString:
    """The content block of ``step.html`` for the view's ``context`` (a template's context
    or a dict: what it has ``get``). ``texts``: ``_texts()``, if the page asked already
    (each ask reads the language and the script prefix)."""
    intro = context.get("intro")
    open_elsewhere = ""
    if context.get("open_elsewhere"):
        names = ("open_elsewhere", "open_elsewhere_links")
        open_elsewhere = get_template("applications/_open_elsewhere.html").render(
            {name: context.get(name) for name in names}
        )
    warnings = "".join(
        '<div class="ds-alert" data-color="warning" role="alert">'
        f'<p class="ds-paragraph">{_e(warning)}</p></div>'
        for warning in context.get("warnings") or ()
    )
    warned = "".join(
        f'<input type="hidden" name="_warned" value="{_e(warning_id)}">'
        for warning_id in context.get("warning_ids") or ()
    )
    seen = "".join(
        f'<input type="hidden" name="_open_seen" value="{_e(link["application"].pk)}">'
        for link in context.get("open_elsewhere_links") or ()
    )
    texts = texts or _texts()
    actions = _actions_html(
        texts, bool(context.get("has_previous")), bool(context.get("to_summary"))
    )
    default_text, added = texts["default"], texts["added"]
    removed, updated = texts["removed"], texts["updated"]
    content = (
        f'\n<p class="ds-paragraph app-service-name">{_e(context.get("service_title", ""))}</p>\n'
        f'<p class="ds-paragraph app-progress">{_e(context.get("progress", ""))}</p>\n'
        f"{error_summary_html(context.get('errors'), texts)}\n"
        f"{_revealed_html(context.get('revealed'), context.get('revealed_names', ''))}\n"
        f'<h1 class="ds-heading" data-size="lg">{_e(context.get("title", ""))}</h1>\n'
        + (f'<p class="ds-paragraph">{linebreaksbr(intro, autoescape=True)}</p>' if intro else "")
        + f"\n{warnings}\n{open_elsewhere}\n"
        '<form method="post" enctype="multipart/form-data" novalidate '
        f'action="{_e(full_path)}" class="app-form">\n'
        f"  {csrf_input(csrf_token)}\n"
        "  \n"
        '  <button class="app-default-action" type="submit" name="_action" value="next" '
        f'tabindex="-1" aria-hidden="true">{default_text}</button>\n'
        f'  <div class="app-live" data-live-url="{_e(context.get("live_url", ""))}" '
        f'data-live-added="{added}" data-live-removed="{removed}" '
        f'data-live-updated="{updated}">\n'
        f"  {_e(context.get('fields_html', ''))}\n"
        "  </div>\n"
        '  <div class="ds-sr-only" aria-live="polite" data-live-status></div>\n'
        f"  {warned}\n"
        f"  {seen}\n"
        f"  {actions}\n"
        "</form>\n"
    )
    return mark_safe(content)  # noqa: S308 (every value escaped above)


def step_page(context: dict[str, Any], request: Any) -> SafeString:
    """``applications/step.html`` (core.python_pages): the step's content in the frame."""
    token = chrome.csrf_token(request)
    texts = _texts()
    content = step_content_html(
        context, csrf_token=token, full_path=request.get_full_path(), texts=texts
    )
    return chrome.page(
        request,
        title=chrome.title(
            context.get("title", ""), context.get("service_title", ""), errors=context.get("errors")
        ),
        head=texts["head"],
        content=content,
        token=token,
    )
