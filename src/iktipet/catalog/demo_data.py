"""Demo: load and publish the service definitions shipped in services/."""

from __future__ import annotations

from django.conf import settings

from iktipet.core.demo import loader


@loader(order=20)
def load_services() -> None:
    from iktipet.catalog.services import load_service_definitions

    if settings.SERVICES_DIR.is_dir():
        load_service_definitions([settings.SERVICES_DIR], publish=True)
