from django.apps import AppConfig

from sop.registry import MenuEntry, registry


class ContohConfig(AppConfig):
    """A small workflow that exists only in the tests: the engine's tests run on it, so they
    pin the engine's behaviour and not one SOP's. Its SOP file loads with the portal's."""

    name = "tests.contoh"
    label = "contoh"
    verbose_name = "Alur contoh (uji)"
    sop_files = ["sop/uji_contoh.yaml"]

    def ready(self):
        registry.register(self, staff_menu=[MenuEntry("Permintaan contoh", "contoh:daftar")])
