"""The public pages as whole pages (``core.python_pages``): each template's blocks in the
frame every page shares (``accounts.chrome.TemplatePage``), without ``base.html`` rendered by
the engine and the context processors: ~0.2 ms of each public page (issue 13)."""

from __future__ import annotations

from iktipet.accounts.chrome import TemplatePage

front = TemplatePage("portal/front.html")
catalogue = TemplatePage("catalog/catalogue.html")
service = TemplatePage("catalog/service.html")
