"""The site's Content-Security-Policy, built in one place.

Every response gets :func:`content_security_policy` from
:class:`iktipet.ops.middleware.SecurityHeadersMiddleware`: no inline script or style, nothing
from other origins, no framing. A view that needs one more source for one page passes it for
that response only, and the rest of the policy stays as strict::

    response["Content-Security-Policy"] = content_security_policy(form_action=[origin])

Sources are added to a directive; a directive whose only source is ``'none'`` is replaced
(``frame_ancestors=[provider]`` for the page a provider frames). ``IKTIPET_CSP_FORM_ACTION``
adds origins to ``form-action`` on every page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings

#: The directives and their sources, in the order they are sent.
SITE_POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
}


def content_security_policy(conf: Any = settings, **extra: Iterable[str]) -> str:
    """The site policy, with ``extra`` sources per directive (``form_action=[…]`` for
    ``form-action``); a directive the site policy lacks (``frame_src``) is appended."""
    directives = {name: list(sources) for name, sources in SITE_POLICY.items()}
    directives["form-action"] += conf.CSP_FORM_ACTION_EXTRA
    for key, sources in extra.items():
        name = key.replace("_", "-")
        added = [source for source in sources if source]
        current = directives.get(name, [])
        if current == ["'none'"]:
            current = []
        directives[name] = [*current, *(s for s in added if s not in current)] or ["'none'"]
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())
