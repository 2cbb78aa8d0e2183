from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "iktipet.applications"
    label = "applications"

    def ready(self) -> None:
        from iktipet.applications import signals, tasks  # noqa: F401  (connect, register)
