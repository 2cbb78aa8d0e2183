from django.apps import AppConfig


class RegistersConfig(AppConfig):
    name = "iktipet.registers"
    label = "registers"
