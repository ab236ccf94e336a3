"""Uji Konsekuensi Informasi Publik (SOP 01/SOP-PPID/DKSIKOMINFORMATIKA/2020, Kabupaten Serang).

The document's body is garbled (specs.md §3: it speaks of "pembinaan" by "PPD Pembinaan",
"PPD Utama" and "Tipe Pembinaan"); only its title, its six time standards and its column
order are usable. What is built is the clean reading under UU 14/2008 Pasal 17 and Perki
1/2017 Pasal 4: the PPID Pelaksana proposes an item for exemption with the harm it would
cause; the PPID Utama runs the test and records the minutes; the Atasan PPID approves, rejects
(the item stays public) or returns it for another test; the PPID Utama issues the Surat
Penetapan with the Pasal 4(4) fields; the Pelaksana attaches the reasons; the PPID Utama lists
the item in the Daftar Informasi yang Dikecualikan.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import FSMField, transition

from sop.models import Case
from sop.exceptions import TindakanDitolak

from .dip import InformasiPublik, Kelas

# UU 14/2008 Pasal 17: the closed list of exemption grounds.
PASAL_17 = [
    ("a", "Pasal 17 huruf a: menghambat proses penegakan hukum"),
    ("b", "Pasal 17 huruf b: mengganggu perlindungan hak atas kekayaan intelektual dan persaingan usaha tidak sehat"),
    ("c", "Pasal 17 huruf c: membahayakan pertahanan dan keamanan negara"),
    ("d", "Pasal 17 huruf d: mengungkapkan kekayaan alam Indonesia"),
    ("e", "Pasal 17 huruf e: merugikan ketahanan ekonomi nasional"),
    ("f", "Pasal 17 huruf f: merugikan kepentingan hubungan luar negeri"),
    ("g", "Pasal 17 huruf g: mengungkapkan isi akta otentik yang bersifat pribadi atau wasiat"),
    ("h", "Pasal 17 huruf h: mengungkap rahasia pribadi"),
    ("i", "Pasal 17 huruf i: memorandum atau surat antar/intra badan publik yang dirahasiakan"),
    ("j", "Pasal 17 huruf j: informasi yang tidak boleh diungkapkan berdasarkan undang-undang"),
]


class UjiKonsekuensi(Case):
    SOP_KODE = "SRG-UJI-KONSEKUENSI"
    KODE_PREFIX = "UJI"
    STAFF_URL_NAME = "publikasi:uji_detail"

    class State(models.TextChoices):
        IDENTIFICATION = "identification", "Identifikasi dan penyusunan usulan"
        CONSEQUENCE_TEST = "consequence_test", "Uji konsekuensi oleh PPID Utama"
        AWAITING_APPROVAL = "awaiting_approval", "Menunggu persetujuan Atasan PPID"
        EXEMPTION_APPROVED = "exemption_approved", "Pengecualian disetujui; penyusunan Surat Penetapan"
        DETERMINATION_ISSUED = "determination_issued", "Surat Penetapan terbit; melengkapi lampiran alasan"
        DETERMINATION_COMPLETE = "determination_complete", "Penetapan lengkap; pencantuman di DIK"
        LISTED_IN_DIK = "listed_in_dik", "Tercantum dalam Daftar Informasi yang Dikecualikan"
        NOT_EXEMPT = "not_exempt", "Informasi tetap terbuka (tidak dikecualikan)"

    class Pemicu(models.TextChoices):
        PROAKTIF = "proaktif", "Sebelum ada permohonan (proaktif)"
        PERMOHONAN = "permohonan", "Saat ada permohonan informasi"
        MAJELIS = "majelis", "Atas perintah Majelis Komisioner"

    state = FSMField("tahap", default=State.IDENTIFICATION, choices=State.choices, protected=True)

    informasi = models.ForeignKey(InformasiPublik, on_delete=models.PROTECT, related_name="uji",
                                  verbose_name="informasi yang diuji")
    pemicu = models.CharField("pemicu pengujian", max_length=20, choices=Pemicu.choices, default=Pemicu.PROAKTIF)
    usulan_alasan = models.TextField("akibat yang timbul bila dibuka (usulan)", blank=True)
    # The test (step 2).
    pasal = models.CharField("dasar pengecualian", max_length=2, choices=PASAL_17, blank=True)
    konsekuensi = models.TextField("konsekuensi bila dibuka", blank=True)
    kepentingan_publik = models.TextField("pertimbangan kepentingan publik (Pasal 19)", blank=True)
    jangka_tahun = models.PositiveSmallIntegerField("jangka waktu pengecualian (tahun)", null=True, blank=True)
    berita_acara = models.TextField("berita acara uji konsekuensi", blank=True)
    # The decision and the Surat Penetapan (steps 3-5).
    keputusan_atasan = models.TextField("pertimbangan Atasan PPID", blank=True)
    nomor_penetapan = models.CharField("nomor Surat Penetapan", max_length=100, blank=True)
    tempat_penetapan = models.CharField("tempat penetapan", max_length=100, blank=True)
    tanggal_penetapan = models.DateField("tanggal penetapan", null=True, blank=True)
    pejabat_ppid = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name="PPID yang menetapkan")
    lampiran_alasan = models.TextField("lampiran: alasan pengecualian", blank=True)

    class Meta:
        ordering = ["-dibuat"]
        verbose_name = "uji konsekuensi"
        verbose_name_plural = "uji konsekuensi"

    def judul_antrian(self):
        return f"Uji konsekuensi: {self.informasi.judul}"

    @property
    def dikecualikan_sampai(self):
        if self.tanggal_penetapan is None or not self.jangka_tahun:
            return None
        start = self.tanggal_penetapan
        try:
            return start.replace(year=start.year + self.jangka_tahun)
        except ValueError:  # 29 February
            return date(start.year + self.jangka_tahun, 3, 1)

    @property
    def penetapan_lengkap(self):
        return bool(self.nomor_penetapan and self.tanggal_penetapan and self.tempat_penetapan and self.pasal
                    and self.jangka_tahun and (self.lampiran_alasan or self.konsekuensi))

    # --- transitions -------------------------------------------------------------------

    @transition(field=state, source=State.IDENTIFICATION, target=State.CONSEQUENCE_TEST,
                custom={"label": "Ajukan usulan pengecualian ke PPID Utama"})
    def submit_proposal(self, by=None, note="", usulan_alasan=""):
        """Step 1: the proposal with the harm disclosure would cause."""
        if not usulan_alasan.strip():
            raise TindakanDitolak("Uraikan akibat yang timbul bila informasi dibuka.", status=400)
        self.usulan_alasan = usulan_alasan.strip()

    @transition(field=state, source=State.CONSEQUENCE_TEST, target=State.AWAITING_APPROVAL,
                custom={"label": "Selesaikan uji dan ajukan ke Atasan PPID"})
    def complete_test(self, by=None, note="", pasal="", konsekuensi="", kepentingan_publik="", jangka_tahun=None,
                      berita_acara=""):
        """Step 2: the test (Pasal 17 ground, consequence, Pasal 19 public interest, period)."""
        if pasal not in dict(PASAL_17) or not konsekuensi.strip() or not kepentingan_publik.strip() \
                or not jangka_tahun or not berita_acara.strip():
            raise TindakanDitolak("Lengkapi dasar pengecualian, konsekuensi, kepentingan publik, jangka waktu "
                                  "dan berita acara.", status=400)
        self.pasal, self.jangka_tahun = pasal, jangka_tahun
        self.konsekuensi, self.kepentingan_publik = konsekuensi.strip(), kepentingan_publik.strip()
        self.berita_acara = berita_acara.strip()

    @transition(field=state, source=State.AWAITING_APPROVAL, target=State.EXEMPTION_APPROVED,
                custom={"label": "Setujui pengecualian"})
    def approve_exemption(self, by=None, note=""):
        """Step 3, Ya (a reading: the document has no decision)."""
        if note:  # an approval without a note keeps the reasoning of an earlier "uji ulang"
            self.keputusan_atasan = note

    @transition(field=state, source=State.AWAITING_APPROVAL, target=State.NOT_EXEMPT,
                custom={"label": "Tolak: informasi tetap terbuka", "style": "bahaya", "note_required": True})
    def reject_exemption(self, by=None, note=""):
        """Step 3, Tidak: the item stays public in the DIP."""
        self.keputusan_atasan = note

    @transition(field=state, source=State.AWAITING_APPROVAL, target=State.CONSEQUENCE_TEST,
                custom={"label": "Uji ulang", "style": "biasa", "note_required": True})
    def return_for_retest(self, by=None, note=""):
        """Step 3, uji ulang: back to the PPID Utama with what is missing."""
        self.keputusan_atasan = note

    @transition(field=state, source=State.EXEMPTION_APPROVED, target=State.DETERMINATION_ISSUED,
                custom={"label": "Terbitkan Surat Penetapan"})
    def issue_determination(self, by=None, note="", nomor="", tempat="", tanggal=None):
        """Step 4: the Surat Penetapan (Perki 1/2017 Pasal 4(4))."""
        if not (nomor.strip() and tempat.strip() and tanggal):
            raise TindakanDitolak("Isi nomor, tempat dan tanggal Surat Penetapan.", status=400)
        self.nomor_penetapan, self.tempat_penetapan, self.tanggal_penetapan = nomor.strip(), tempat.strip(), tanggal
        self.pejabat_ppid = by

    @transition(field=state, source=State.DETERMINATION_ISSUED, target=State.DETERMINATION_COMPLETE,
                custom={"label": "Lengkapi lampiran alasan"})
    def attach_reasons(self, by=None, note="", lampiran_alasan=""):
        """Step 5 (lane uncertain in the document; the proposing PPID Pelaksana here)."""
        if not lampiran_alasan.strip():
            raise TindakanDitolak("Lampiran alasan pengecualian wajib diisi.", status=400)
        self.lampiran_alasan = lampiran_alasan.strip()

    @transition(field=state, source=State.DETERMINATION_COMPLETE, target=State.LISTED_IN_DIK,
                custom={"label": "Cantumkan dalam Daftar Informasi yang Dikecualikan"})
    def list_and_publish(self, by=None, note=""):
        """Step 6: the item becomes exempt; from now on only its title, ground and period show."""
        item = self.informasi
        item.kelas = Kelas.DIKECUALIKAN
        item.dasar_pengecualian = f"UU 14/2008 {dict(PASAL_17)[self.pasal].split(':')[0]}"
        item.dikecualikan_sampai = self.dikecualikan_sampai
        item.tinjau_diingatkan = None
        if item.diterbitkan is None:
            item.diterbitkan = timezone.localdate()
        item.save()
