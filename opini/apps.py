from django.apps import AppConfig

from sop.registry import MenuEntry, registry


class OpiniConfig(AppConfig):
    """Public opinion monitoring (SOP CRB-OPINI): its SOP data file and its menus."""

    name = "opini"
    verbose_name = "Pemantauan Opini Publik"
    sop_files = ["sop/crb_opini.yaml"]

    def ready(self):
        registry.register(
            self,
            public_menu=[MenuEntry("Tanggapan opini", "opini:publik")],
            staff_menu=[MenuEntry("Opini publik", "opini:staf_daftar")],
        )
