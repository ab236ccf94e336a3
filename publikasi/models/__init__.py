"""The publication workflows, one module each: social-media publishing (``medsos``), the public
information register (``dip``), the consequence test (``uji``) and public announcements
(``pengumuman``)."""

from .dip import InformasiPublik
from .medsos import BahanBerkas, GambarVersi, Keputusan, PlatformMedsos, Publikasi, TautanUnggahan, Versi
from .pengumuman import Pengumuman
from .uji import UjiKonsekuensi

__all__ = [
    "BahanBerkas", "GambarVersi", "InformasiPublik", "Keputusan", "Pengumuman", "PlatformMedsos", "Publikasi",
    "TautanUnggahan", "UjiKonsekuensi", "Versi",
]
