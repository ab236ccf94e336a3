"""Pengumuman Informasi Publik (SOP /SOP.DINSOS/2023, Dinas Sosial Kota Pontianak).

One update cycle of berkala or serta merta information, from the Bidang's coordination to
publication on the public announcements page, where it also enters the Daftar Informasi Publik.
Serta merta information (UU 14/2008 Pasal 10) is marked urgent in every queue and skips step
6, which the SOP writes for berkala information only (E-4). Decisions: README.md.
"""

from django.db import models
from django.utils import timezone
from django_fsm import FSMField, transition

from sop.models import Case
from sop.exceptions import TindakanDitolak

from .dip import Bentuk, InformasiPublik, Kelas

JENIS = [(Kelas.BERKALA, "Berkala"), (Kelas.SERTA_MERTA, "Serta merta")]


def _serta_merta(p):
    return p.jenis == Kelas.SERTA_MERTA


def _berkala(p):
    return p.jenis == Kelas.BERKALA


_serta_merta.pesan = "Hanya informasi serta merta yang langsung dipublikasikan."
_berkala.pesan = "Langkah ini hanya untuk informasi berkala."


def _file_path(instance, filename):
    import secrets

    return f"pengumuman/{secrets.token_hex(16)}"


class Pengumuman(Case):
    SOP_KODE = "PTK-PENGUMUMAN"
    KODE_PREFIX = "PGM"
    STAFF_URL_NAME = "publikasi:pengumuman_detail"

    class State(models.TextChoices):
        CYCLE_STARTED = "cycle_started", "Pemutakhiran dimulai; koordinasi pengumpulan"
        COLLECTION_REQUESTED = "collection_requested", "PPID Pelaksana menyiapkan informasi"
        UNDER_VERIFICATION = "under_verification", "Diklasifikasi dan diverifikasi PPID Utama"
        VERIFIED = "verified", "Terverifikasi PPID Utama"
        CLEARED_FOR_PUBLICATION = "cleared_for_publication", "Siap dipublikasikan"
        CONTENT_UPDATED = "content_updated", "Konten diperbarui"
        PUBLISHED = "published", "Dipublikasikan"

    state = FSMField("tahap", default=State.CYCLE_STARTED, choices=State.choices, protected=True)

    judul = models.CharField("judul informasi", max_length=300)
    jenis = models.CharField("jenis informasi", max_length=20, choices=JENIS)
    surat_koordinasi = models.TextField("surat koordinasi", blank=True)
    ringkasan = models.TextField("ringkasan", blank=True)
    isi = models.TextField("isi pengumuman", blank=True)
    berkas = models.FileField("berkas", upload_to=_file_path, blank=True)
    berkas_jenis = models.CharField(max_length=60, blank=True)
    periode = models.CharField("periode", max_length=100, blank=True)
    penanggung_jawab = models.CharField("penanggung jawab", max_length=200, blank=True)
    catatan_verifikasi = models.TextField("catatan verifikasi", blank=True)
    dipublikasikan = models.DateTimeField("dipublikasikan", null=True, blank=True)
    informasi = models.OneToOneField(InformasiPublik, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="pengumuman", verbose_name="entri DIP")

    class Meta:
        ordering = ["-dibuat"]
        verbose_name = "pengumuman informasi publik"
        verbose_name_plural = "pengumuman informasi publik"

    def judul_antrian(self):
        return f"{self.get_jenis_display()}: {self.judul}"

    def mendesak(self):
        return self.jenis == Kelas.SERTA_MERTA

    def lampiran_arsip(self):
        """The stored name is random and has no extension: the archive names the kind sniffed."""
        if not self.berkas:
            return []
        try:
            size = self.berkas.size
        except OSError:
            size = None
        return [("Berkas pengumuman", self.berkas_jenis, size)]

    # --- transitions -------------------------------------------------------------------

    @transition(field=state, source=State.CYCLE_STARTED, target=State.COLLECTION_REQUESTED,
                custom={"label": "Kirim surat koordinasi ke PPID Pelaksana"})
    def request_collection(self, by=None, note="", surat_koordinasi=""):
        """Step 2: coordination of the collection (to the PPID Pelaksana of the unit)."""
        if not surat_koordinasi.strip():
            raise TindakanDitolak("Isi surat koordinasi.", status=400)
        self.surat_koordinasi = surat_koordinasi.strip()

    @transition(field=state, source=State.COLLECTION_REQUESTED, target=State.UNDER_VERIFICATION,
                custom={"label": "Ajukan rancangan ke PPID Utama"})
    def submit_draft(self, by=None, note="", ringkasan="", isi="", periode="", penanggung_jawab="", berkas=None):
        """Step 3: the unit's draft of the information."""
        if not isi.strip() or not penanggung_jawab.strip() or not periode.strip():
            raise TindakanDitolak("Lengkapi isi, periode dan penanggung jawab.", status=400)
        self.ringkasan, self.isi = ringkasan.strip(), isi.strip()
        self.periode, self.penanggung_jawab = periode.strip(), penanggung_jawab.strip()
        if berkas is not None:
            self.berkas_jenis = berkas.sniffed_type
            self.berkas.save(berkas.name, berkas, save=False)

    @transition(field=state, source=State.UNDER_VERIFICATION, target=State.VERIFIED,
                custom={"label": "Klasifikasi dan verifikasi"})
    def verify(self, by=None, note="", jenis=""):
        """Step 4: the PPID Utama classifies (berkala / serta merta) and verifies (E-3)."""
        if jenis not in dict(JENIS):
            raise TindakanDitolak("Pilih klasifikasi informasi.", status=400)
        self.jenis = jenis
        self.catatan_verifikasi = note

    @transition(field=state, source=State.UNDER_VERIFICATION, target=State.COLLECTION_REQUESTED,
                custom={"label": "Kembalikan ke PPID Pelaksana", "style": "bahaya", "note_required": True})
    def return_for_revision(self, by=None, note=""):
        """Step 4, not passed (a reading): back to the unit with a note."""
        self.catatan_verifikasi = note

    @transition(field=state, source=State.VERIFIED, target=State.CLEARED_FOR_PUBLICATION,
                custom={"label": "Setujui untuk dipublikasikan"})
    def authorise_publication(self, by=None, note=""):
        """Step 5: coordinate and authorise publication (E-4)."""

    @transition(field=state, source=State.CLEARED_FOR_PUBLICATION, target=State.CONTENT_UPDATED,
                conditions=[_berkala], custom={"label": "Perbarui konten informasi berkala"})
    def update_content(self, by=None, note=""):
        """Step 6: berkala information only."""

    @transition(field=state, source=[State.CONTENT_UPDATED, State.CLEARED_FOR_PUBLICATION], target=State.PUBLISHED,
                custom={"label": "Publikasikan"})
    def publish(self, by=None, note=""):
        """Step 7: on the announcements page and in the Daftar Informasi Publik."""
        if self.state == self.State.CLEARED_FOR_PUBLICATION and not _serta_merta(self):
            raise TindakanDitolak("Informasi berkala diperbarui dulu kontennya (langkah 6).", status=400)
        today = timezone.localdate()
        self.dipublikasikan = timezone.now()
        self.informasi = InformasiPublik.objects.create(
            judul=self.judul, ringkasan=self.ringkasan or self.isi[:500], unit=self.unit,
            penanggung_jawab=self.penanggung_jawab, periode=self.periode,
            bentuk=Bentuk.DOKUMEN if self.berkas else Bentuk.DATA, kelas=self.jenis,
            berkas=self.berkas.name if self.berkas else "", berkas_jenis=self.berkas_jenis, diterbitkan=today,
        )
