from django.apps import AppConfig


class PublikasiConfig(AppConfig):
    name = "publikasi"
    verbose_name = "Publikasi dan informasi publik"
