"""Shared fixtures. SQLite by default; PostgreSQL when IKTIPET_DATABASE_URL says so.

Helpers shared by the test folders are in tests/support/ (on the path: pyproject.toml's
``pythonpath``); the browser fixtures of support.browser are a plugin for every folder."""

from __future__ import annotations

import os

import pytest

pytest_plugins = ["support.browser"]


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in bokmål: a test that activates English must not leak it."""
    from django.utils import translation

    translation.activate("nb")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _python_pages_as_their_templates(monkeypatch):
    """Each page written in Python, as it is rendered, is compared with the template it
    replaced (support.python_pages)."""
    from iktipet.core.python_pages import PythonPage
    from support import python_pages

    real = PythonPage.render

    def render(self, context=None, request=None):
        new = real(self, context, request)
        python_pages.compare(self.name, new, dict(context or {}), request)
        return new

    monkeypatch.setattr(PythonPage, "render", render)


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate limits and cached selectors must not leak between tests."""
    from django.core.cache import cache

    from iktipet.core.selectors import forget_this_process_copy

    cache.clear()
    forget_this_process_copy()
    yield
    cache.clear()
    forget_this_process_copy()


@pytest.fixture(autouse=True)
def _reads_compiled_as_written(request):
    """A read through ``core.rows`` whose parameters do not match its compiled SQL falls
    back to the ORM in production (correct, only slower); in a test it is a mistake in the
    parameters' order, so it fails the test that first compiles it."""
    import logging

    fallbacks: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.getMessage().startswith("not compiled once"):
                fallbacks.append(record.getMessage())

    handler = Collect(level=logging.WARNING)
    logger = logging.getLogger("iktipet.core.rows")
    logger.addHandler(handler)
    yield
    logger.removeHandler(handler)
    if fallbacks and request.node.get_closest_marker("rows_fallback") is None:
        pytest.fail("core.rows read by the ORM instead: " + "; ".join(fallbacks), pytrace=False)


@pytest.fixture
def subprocess_env(tmp_path):
    """Environment for `python -m iktipet …` in a subprocess: none of the caller's IKTIPET_*
    settings, its own var/ directory. Add the variables a test is about."""
    prefixes = ("IKTIPET_", "DJANGO_", "PROMETHEUS_")
    env = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    env["IKTIPET_VAR_DIR"] = str(tmp_path / "var")
    return env


@pytest.fixture
def offline_settings(settings, tmp_path):
    """Settings for tests that submit, notify and store files (support.offline): private
    storage and VAR_DIR in tmp, mail in memory, the console SMS channel, the local registers."""
    from support.offline import offline_values

    for name, value in offline_values(tmp_path).items():
        setattr(settings, name, value)
    return settings


@pytest.fixture
def agencies(db):
    """Oslo kommune and its agencies, as `iktipet load_demo` makes them."""
    from iktipet.core.demo_data import load_municipality
    from iktipet.core.models import Agency

    load_municipality()
    return {agency.slug: agency for agency in Agency.objects.all()}
