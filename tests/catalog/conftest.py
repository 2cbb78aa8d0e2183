"""Fixtures for the catalogue: the shipped services, small definitions. (``agencies`` is
tests/conftest.py's.)"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from support.catalog import MINIMAL


@pytest.fixture
def minimal() -> dict[str, Any]:
    return copy.deepcopy(MINIMAL)


@pytest.fixture
def seed_dir() -> Path:
    return Path(settings.SERVICES_DIR)


@pytest.fixture
def published(agencies, seed_dir):
    """Every shipped service loaded and published; returns {service id: version}."""
    from iktipet.catalog.services import load_service_definitions

    loaded = load_service_definitions([seed_dir], publish=True)
    return {item.version.service.service_id: item.version for item in loaded}
