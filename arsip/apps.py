from django.apps import AppConfig


class ArsipConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "arsip"
    verbose_name = "Arsip"
