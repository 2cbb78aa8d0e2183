from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "iktipet.registers"
    label = "registers"

    def ready(self) -> None:
        # Each kind of register (and the plugins in its own package) on the plugin registry,
        # so the system check finds them (core.registry.registries).
        from iktipet.registers import (  # noqa: F401
            addresses,
            contact,
            kindergartens,
            organisations,
            population,
            property,
        )
