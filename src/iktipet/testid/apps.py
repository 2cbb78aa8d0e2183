from django.apps import AppConfig


class TestidConfig(AppConfig):
    name = "iktipet.testid"
    label = "testid"
