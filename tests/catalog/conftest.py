"""Fixtures for the catalogue: Oslo's agencies, the shipped services, small definitions."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from catalog_helpers import MINIMAL
from django.conf import settings


@pytest.fixture
def minimal() -> dict[str, Any]:
    return copy.deepcopy(MINIMAL)


@pytest.fixture
def agencies(db):
    from iktipet.core.demo_data import load_municipality

    load_municipality()


@pytest.fixture
def seed_dir() -> Path:
    return Path(settings.SERVICES_DIR)


@pytest.fixture
def published(agencies, seed_dir):
    """Every shipped service loaded and published; returns {service id: version}."""
    from iktipet.catalog.services import load_service_definitions

    loaded = load_service_definitions([seed_dir], publish=True)
    return {item.version.service.service_id: item.version for item in loaded}
