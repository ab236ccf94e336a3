"""The public information register (Daftar Informasi Publik, DIP), with the list of exempt
information (Daftar Informasi yang Dikecualikan, DIK) inside it.

Visibility is decided here, once: :meth:`InformasiPublik.objects.publik` is what the public may
list, and :meth:`InformasiPublik.berkas_publik` whether its document may be fetched. An exempt
item shows only its title, legal basis and exemption period; its document is never served.
"""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone

from sop.models import Unit


class Kelas(models.TextChoices):
    BERKALA = "berkala", "Informasi berkala"
    SERTA_MERTA = "serta_merta", "Informasi serta merta"
    SETIAP_SAAT = "setiap_saat", "Informasi tersedia setiap saat"
    DIKECUALIKAN = "dikecualikan", "Informasi yang dikecualikan"


class Bentuk(models.TextChoices):
    DOKUMEN = "dokumen", "Dokumen"
    TAUTAN = "tautan", "Tautan"
    DATA = "data", "Data"


# Berkala information is updated at least every six months (UU 14/2008 Pasal 9 ayat 4).
PEMUTAKHIRAN_BERKALA = timedelta(days=182)


class InformasiQuerySet(models.QuerySet):
    def publik(self):
        """What the public page lists: published items, exempt ones included (as title only)."""
        return self.filter(diterbitkan__isnull=False, diterbitkan__lte=timezone.localdate())

    def dikecualikan(self):
        return self.filter(kelas=Kelas.DIKECUALIKAN)


def _berkas_path(instance, filename):
    import secrets

    return f"dip/{secrets.token_hex(16)}"


class InformasiPublik(models.Model):
    judul = models.CharField("judul", max_length=300)
    ringkasan = models.TextField("ringkasan", blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="informasi", verbose_name="unit penanggung jawab")
    penanggung_jawab = models.CharField("penanggung jawab", max_length=200)
    periode = models.CharField("periode", max_length=100, help_text="Mis. Tahun 2026, Semester I 2026.")
    bentuk = models.CharField("bentuk", max_length=20, choices=Bentuk.choices, default=Bentuk.DOKUMEN)
    kelas = models.CharField("klasifikasi", max_length=20, choices=Kelas.choices)
    berkas = models.FileField("berkas", upload_to=_berkas_path, blank=True)
    berkas_jenis = models.CharField(max_length=60, blank=True)
    tautan = models.URLField("tautan", max_length=500, blank=True)
    diterbitkan = models.DateField("tanggal diterbitkan", null=True, blank=True)
    jangka_simpan = models.CharField("jangka waktu penyimpanan", max_length=100, default="5 tahun")
    # Exemption (set by a consequence test listed in the DIK).
    dasar_pengecualian = models.CharField("dasar hukum pengecualian", max_length=300, blank=True)
    dikecualikan_sampai = models.DateField("dikecualikan sampai", null=True, blank=True)
    tinjau_diingatkan = models.DateTimeField(null=True, blank=True, editable=False)
    pemutakhiran_diingatkan = models.DateTimeField(null=True, blank=True, editable=False)

    objects = InformasiQuerySet.as_manager()

    class Meta:
        ordering = ["-diterbitkan", "judul"]
        indexes = [models.Index(fields=["kelas", "unit", "diterbitkan"], name="dip_kelas_unit_terbit")]
        verbose_name = "informasi publik (DIP)"
        verbose_name_plural = "Daftar Informasi Publik"

    def __str__(self):
        return self.judul

    @property
    def dikecualikan(self):
        return self.kelas == Kelas.DIKECUALIKAN

    @property
    def tahun(self):
        return self.diterbitkan.year if self.diterbitkan else None

    def berkas_publik(self):
        """Whether the public may fetch the document: published, not exempt, and present."""
        return bool(self.berkas) and not self.dikecualikan and self.diterbitkan is not None and (
            self.diterbitkan <= timezone.localdate())

    @property
    def pemutakhiran_berikut(self):
        if self.kelas != Kelas.BERKALA or self.diterbitkan is None:
            return None
        return self.diterbitkan + PEMUTAKHIRAN_BERKALA

    @staticmethod
    def cari(qs, q="", kelas="", unit="", tahun=""):
        """The public search: free text over title and summary, and the three filters."""
        if q:
            # An exempt item's summary is not public, so it must not be searchable either.
            qs = qs.filter(Q(judul__icontains=q) | (Q(ringkasan__icontains=q) & ~Q(kelas=Kelas.DIKECUALIKAN)))
        if kelas in Kelas.values:
            qs = qs.filter(kelas=kelas)
        if unit.isdigit():
            qs = qs.filter(unit_id=int(unit))
        if tahun.isdigit() and len(tahun) == 4:
            qs = qs.filter(diterbitkan__year=int(tahun))
        return qs
