"""The demo municipality for the journeys here. The browser fixtures (``browser``,
``browser_context``, ``page``, ``axe_check``) are support.browser's, a plugin of
tests/conftest.py, so a browser test in any folder has them."""

from __future__ import annotations

import pytest


@pytest.fixture
def core_demo(transactional_db: None) -> None:
    """Oslo kommune and its agencies, as `iktipet load_demo` makes them."""
    from iktipet.core.demo_data import load_municipality

    load_municipality()
