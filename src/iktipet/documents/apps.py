from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "iktipet.documents"
    label = "documents"
