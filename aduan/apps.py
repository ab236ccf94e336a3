from django.apps import AppConfig

from sop.registry import Limit, MenuEntry, registry


class AduanConfig(AppConfig):
    """The complaint service (SOP DMK-ADUAN). Declares its SOP data file (sop.loader) and its
    menus and rate-limited public endpoints (sop.registry)."""

    name = "aduan"
    verbose_name = "Layanan Aduan Masyarakat"
    sop_files = ["sop/dmk_aduan.yaml"]

    def ready(self):
        from .views import baru_terlalu_banyak

        registry.register(
            self,
            public_menu=[MenuEntry("Kirim aduan", "aduan:baru"), MenuEntry("Lacak aduan", "aduan:lacak")],
            staff_menu=[MenuEntry("Daftar aduan", "aduan:staf_daftar")],
            limits=[
                # Over the limit the citizen gets the form back with what they typed.
                Limit("aduan:baru", "aduan", "POST", responder=baru_terlalu_banyak),
                # The empty form is free; looking up a code counts.
                Limit("aduan:lacak", "lacak", "GET", only_with_query=True),
                Limit("aduan:lacak_detail", "lacak", "GET"),
            ],
        )
