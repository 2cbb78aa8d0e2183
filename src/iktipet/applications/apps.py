from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "iktipet.applications"
    label = "applications"
