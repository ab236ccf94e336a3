from django.apps import AppConfig


class PpidConfig(AppConfig):
    name = "ppid"
    verbose_name = "PPID Portal"
