from django.apps import AppConfig

from sop.registry import Limit, MenuEntry, registry


class PublikasiConfig(AppConfig):
    """Publication workflows (SOPs BUNDER-MEDSOS, SRG-UJI-KONSEKUENSI, PTK-PENGUMUMAN) and the
    public information register: their SOP data files, menus and the register's search limit."""

    name = "publikasi"
    verbose_name = "Publikasi dan informasi publik"
    sop_files = ["sop/bunder_medsos.yaml", "sop/srg_uji_konsekuensi.yaml", "sop/ptk_pengumuman.yaml"]

    def ready(self):
        registry.register(
            self,
            public_menu=[
                MenuEntry("Informasi publik", "publikasi:dip"),
                MenuEntry("Pengumuman", "publikasi:pengumuman_publik"),
            ],
            staff_menu=[
                MenuEntry("Publikasi medsos", "publikasi:staf_daftar"),
                MenuEntry("Uji konsekuensi", "publikasi:uji_daftar"),
                MenuEntry("Pengumuman", "publikasi:pengumuman_daftar"),
            ],
            # Searching the register counts; the register itself is free.
            limits=[Limit("publikasi:dip", "cari", "GET", only_with_query=True)],
        )
