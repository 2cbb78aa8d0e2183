from django.apps import AppConfig


class TestidConfig(AppConfig):
    name = "iktipet.testid"
    label = "testid"
    verbose_name = "TestID"

    def ready(self) -> None:
        from iktipet.testid import tasks  # noqa: F401  (registers the periodic job)
