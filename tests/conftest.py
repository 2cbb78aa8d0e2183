"""Shared fixtures. SQLite by default; PostgreSQL when IKTIPET_DATABASE_URL says so."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and cached selectors must not leak between tests."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def subprocess_env(tmp_path):
    """Environment for `python -m iktipet …` in a subprocess: none of the caller's IKTIPET_*
    settings, its own var/ directory. Add the variables a test is about."""
    prefixes = ("IKTIPET_", "DJANGO_", "PROMETHEUS_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env["IKTIPET_VAR_DIR"] = str(tmp_path / "var")
    return env
