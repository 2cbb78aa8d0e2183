from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "iktipet.catalog"
    label = "catalog"
