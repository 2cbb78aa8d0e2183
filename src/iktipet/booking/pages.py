"""The week of times as a whole page (``core.python_pages``): ``picker.html``'s blocks in the
frame every page shares (``accounts.chrome.TemplatePage``), without ``base.html`` rendered by
the engine and the context processors (issue 13)."""

from __future__ import annotations

from iktipet.accounts.chrome import TemplatePage

picker = TemplatePage("booking/picker.html")
