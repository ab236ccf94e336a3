from django.apps import AppConfig


class OpiniConfig(AppConfig):
    name = "opini"
    verbose_name = "Pemantauan Opini Publik"
