"""Shared fixtures. SQLite by default; PostgreSQL when IKTIPET_DATABASE_URL says so."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and cached selectors must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
