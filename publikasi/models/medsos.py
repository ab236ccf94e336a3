"""Penyebarluasan Informasi melalui Media Sosial (SOP 01/KPTS/2024, PPID Kalurahan Bunder).

A publication from the Ketua PPID's instruction to the report of the published links. The
Admin Medsos writes drafts; every draft submitted is a new, never-edited ``Versi``. A review
decision is given on one exact version (``Keputusan``): a stale version cannot be approved,
and a change after approval is a new version that needs approval again. Decisions on the
SOP's ambiguities (specs.md §2.6) are in README.md.
"""

import difflib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django_fsm import FSMField, transition

from sop.models import Case
from sop.exceptions import TindakanDitolak


class PlatformMedsos(models.Model):
    """A place the office publishes on. Data an admin can change: the list, each caption limit
    and the hosts a published link must be on (empty: any host, as for the website)."""

    kode = models.SlugField("kode", max_length=30, unique=True)
    nama = models.CharField("nama", max_length=60)
    batas_karakter = models.PositiveIntegerField("batas karakter keterangan", null=True, blank=True)
    domain = models.CharField("domain tautan", max_length=300, blank=True,
                              help_text="Dipisah koma, mis. instagram.com. Kosong: domain apa pun.")
    aktif = models.BooleanField("aktif", default=True)
    urutan = models.PositiveSmallIntegerField("urutan", default=0)

    class Meta:
        ordering = ["urutan", "nama"]
        verbose_name = "platform media sosial"
        verbose_name_plural = "platform media sosial"

    def __str__(self):
        return self.nama

    def domains(self):
        return [d.strip().lower() for d in self.domain.split(",") if d.strip()]

    def accepts(self, url):
        """Whether ``url`` is a link on this platform."""
        from urllib.parse import urlsplit

        host = (urlsplit(url).hostname or "").lower()
        domains = self.domains()
        return bool(host) and (not domains or any(host == d or host.endswith("." + d) for d in domains))

    def kelebihan(self, caption):
        """How many characters ``caption`` is over this platform's limit (0 if within)."""
        if not self.batas_karakter:
            return 0
        return max(0, len(caption) - self.batas_karakter)


class Publikasi(Case):
    SOP_KODE = "BUNDER-MEDSOS"
    KODE_PREFIX = "PUB"
    STAFF_URL_NAME = "publikasi:staf_detail"

    class State(models.TextChoices):
        INSTRUCTED = "instructed", "Instruksi Ketua PPID diterbitkan"
        DRAFTING = "drafting", "Admin Medsos menyusun konsep materi"
        SECTION_REVIEW = "section_review", "Konsep ditelaah Seksi"
        SECTION_ACCEPTED = "section_accepted", "Konsep lolos telaah Seksi"
        KETUA_REVIEW = "ketua_review", "Menunggu persetujuan Ketua PPID"
        APPROVED = "approved", "Materi disetujui Ketua PPID"
        PLATFORM_ASSIGNED = "platform_assigned", "Platform ditentukan"
        READY_TO_UPLOAD = "ready_to_upload", "Materi siap diunggah"
        UPLOADED = "uploaded", "Materi terunggah; laporan tautan ke Seksi"
        REPORTED_TO_KETUA = "reported_to_ketua", "Laporan tautan disampaikan ke Ketua PPID"
        COMPLETED = "completed", "Selesai"

    state = FSMField("tahap", default=State.INSTRUCTED, choices=State.choices, protected=True)

    judul = models.CharField("judul kegiatan", max_length=200)
    instruksi = models.TextField("instruksi Ketua PPID")
    bahan = models.TextField("bahan informasi kegiatan")
    platform_final = models.ManyToManyField(PlatformMedsos, blank=True, related_name="+",
                                            verbose_name="platform yang ditentukan")

    class Meta:
        ordering = ["-dibuat"]
        verbose_name = "publikasi media sosial"
        verbose_name_plural = "publikasi media sosial"

    def judul_antrian(self):
        return self.judul

    # --- the archive ---------------------------------------------------------------------

    def data_arsip(self, user=None):
        """The case's fields, then the last version, its decisions and the published links."""
        pairs = super().data_arsip(user)
        latest = self.versi_terbaru()
        if latest is not None:
            pairs.append((f"Konsep versi {latest.nomor} (terakhir)", latest.caption))
            pairs.append(("Platform tujuan versi terakhir", ", ".join(str(p) for p in latest.platform.all())))
        for versi in self.versi.prefetch_related("keputusan__oleh"):
            for k in versi.keputusan.all():
                hasil = "disetujui" if k.setuju else "dikembalikan"
                oleh = k.oleh.get_full_name() or k.oleh.get_username()
                pairs.append((f"{k.get_tahap_display()} versi {versi.nomor}",
                              f"{hasil} oleh {oleh}" + (f": {k.catatan}" if k.catatan else "")))
        for t in self.tautan.select_related("platform"):
            pairs.append((f"Tautan {t.platform.nama}", t.url))
        return pairs

    def lampiran_arsip(self):
        files = [(b.nama_asli, b.jenis, _size(b.berkas)) for b in self.bahan_berkas.all()]
        for gambar in GambarVersi.objects.filter(versi__publikasi=self).select_related("versi"):
            files.append((f"versi {gambar.versi.nomor}: {gambar.nama_asli}", gambar.jenis, _size(gambar.berkas)))
        return files

    # --- versions ----------------------------------------------------------------------

    def versi_terbaru(self):
        return self.versi.order_by("-nomor").first()

    def versi_disetujui(self):
        """The version the Ketua approved, if the case is past approval and it is still the
        latest one (a later version voids the approval)."""
        latest = self.versi_terbaru()
        if latest and latest.keputusan.filter(tahap=Keputusan.KETUA, setuju=True).exists():
            return latest
        return None

    def _reviewed_version(self, versi):
        latest = self.versi_terbaru()
        if latest is None:
            raise TindakanDitolak("Belum ada konsep materi yang dapat ditelaah.", status=400)
        if versi is None or versi.pk != latest.pk:
            seen = f"versi {versi.nomor}" if versi is not None else "versi yang Anda lihat"
            raise TindakanDitolak(
                f"Keputusan ditolak: {seen} sudah diganti dengan versi {latest.nomor}. "
                "Periksa versi terbaru sebelum memutuskan.", status=409)
        return latest

    def _decide(self, versi, tahap, setuju, by, note):
        reviewed = self._reviewed_version(versi)
        if not setuju and not note.strip():
            raise TindakanDitolak("Penolakan wajib disertai catatan untuk Admin Medsos.", status=400)
        Keputusan.objects.create(versi=reviewed, tahap=tahap, setuju=setuju, catatan=note, oleh=by)

    def _new_version(self, by, caption, platforms, gambar):
        if not caption.strip():
            raise TindakanDitolak("Keterangan (caption) wajib diisi.", status=400)
        if not platforms:
            raise TindakanDitolak("Pilih paling sedikit satu platform tujuan.", status=400)
        over = [f"{p.nama} (lebih {p.kelebihan(caption)} karakter)" for p in platforms if p.kelebihan(caption)]
        if over:
            raise TindakanDitolak("Keterangan melebihi batas: " + ", ".join(over) + ".", status=400)
        latest = self.versi_terbaru()
        versi = Versi.objects.create(publikasi=self, nomor=(latest.nomor + 1) if latest else 1,
                                     caption=caption.strip(), dibuat_oleh=by)
        versi.platform.set(platforms)
        for upload in gambar:
            item = GambarVersi(versi=versi, nama_asli=upload.name[:200], jenis=upload.sniffed_type)
            item.berkas.save(upload.name, upload, save=False)
            item.save()
        if not gambar and latest is not None:
            # An unchanged picture set carries over: only the caption or platforms changed.
            for old in latest.gambar.all():
                GambarVersi.objects.create(versi=versi, berkas=old.berkas.name, nama_asli=old.nama_asli,
                                           jenis=old.jenis)
        return versi

    # --- transitions (SOP steps 2-10) --------------------------------------------------

    @transition(field=state, source=State.INSTRUCTED, target=State.DRAFTING,
                custom={"label": "Teruskan instruksi ke Admin Medsos"})
    def assign_to_admin(self, by=None, note=""):
        """Step 2."""

    @transition(field=state, source=State.DRAFTING, target=State.SECTION_REVIEW,
                custom={"label": "Ajukan konsep untuk ditelaah"})
    def submit_draft(self, by=None, note="", caption="", platforms=(), gambar=()):
        """Step 3: each submission is a new version; earlier versions and notes are kept."""
        self._new_version(by, caption, list(platforms), list(gambar))

    @transition(field=state, source=State.SECTION_REVIEW, target=State.DRAFTING,
                custom={"label": "Tidak: kembalikan untuk diperbaiki", "style": "bahaya", "note_required": True})
    def section_return_for_revision(self, by=None, note="", versi=None):
        """Step 4, Tidak: back to drafting with a note (B-3)."""
        self._decide(versi, Keputusan.SEKSI, False, by, note)

    @transition(field=state, source=State.SECTION_REVIEW, target=State.SECTION_ACCEPTED,
                custom={"label": "Ya: konsep layak diajukan"})
    def section_accept(self, by=None, note="", versi=None):
        """Step 4, Ya (a reading: the SOP keeps two gates, B-2)."""
        self._decide(versi, Keputusan.SEKSI, True, by, note)

    @transition(field=state, source=State.SECTION_ACCEPTED, target=State.KETUA_REVIEW,
                custom={"label": "Ajukan ke Ketua PPID"})
    def submit_to_ketua(self, by=None, note=""):
        """Step 5."""

    @transition(field=state, source=State.KETUA_REVIEW, target=State.DRAFTING,
                custom={"label": "Tidak disetujui: kembalikan ke Admin Medsos", "style": "bahaya",
                        "note_required": True})
    def ketua_reject(self, by=None, note="", versi=None):
        """Step 5/6, Tidak: back to drafting (B-3), with the note the drafter reads."""
        self._decide(versi, Keputusan.KETUA, False, by, note)

    @transition(field=state, source=State.KETUA_REVIEW, target=State.APPROVED,
                custom={"label": "Setujui materi"})
    def ketua_approve(self, by=None, note="", versi=None):
        """Step 6, Ya: approval of this exact version."""
        self._decide(versi, Keputusan.KETUA, True, by, note)

    @transition(field=state, source=[State.APPROVED, State.PLATFORM_ASSIGNED, State.READY_TO_UPLOAD],
                target=State.SECTION_REVIEW,
                custom={"label": "Ubah materi (perlu persetujuan ulang)", "style": "biasa",
                        "lane": "admin_medsos", "note_required": True})
    def revise_after_approval(self, by=None, note="", caption="", platforms=(), gambar=()):
        """A change after approval is a new version, and approval starts over."""
        self._new_version(by, caption, list(platforms), list(gambar))
        self.platform_final.clear()

    @transition(field=state, source=State.APPROVED, target=State.PLATFORM_ASSIGNED,
                custom={"label": "Tetapkan platform"})
    def choose_platform(self, by=None, note="", platforms=()):
        """Step 7: the Seksi confirms the platforms, from those the approved version targets."""
        approved = self.versi_disetujui()
        if approved is None:
            raise TindakanDitolak("Belum ada versi yang disetujui Ketua PPID.", status=409)
        allowed = set(approved.platform.values_list("pk", flat=True))
        chosen = [p for p in platforms if p.pk in allowed]
        if not chosen or len(chosen) != len(list(platforms)):
            raise TindakanDitolak("Pilih platform dari platform tujuan versi yang disetujui.", status=400)
        self.platform_final.set(chosen)

    @transition(field=state, source=State.PLATFORM_ASSIGNED, target=State.READY_TO_UPLOAD,
                custom={"label": "Terima materi yang disetujui"})
    def accept_material(self, by=None, note=""):
        """Step 8: the Admin Medsos acknowledges the approved material."""

    @transition(field=state, source=State.READY_TO_UPLOAD, target=State.UPLOADED,
                custom={"label": "Catat tautan unggahan"})
    def upload(self, by=None, note="", tautan=None):
        """Step 9: one published link for every confirmed platform, on that platform's domain."""
        tautan = tautan or {}
        versi = self.versi_disetujui()
        if versi is None:
            raise TindakanDitolak("Materi ini belum disetujui untuk diunggah.", status=409)
        rows = []
        for platform in self.platform_final.all():
            url = (tautan.get(platform.kode) or "").strip()
            if not url:
                raise TindakanDitolak(f"Tautan {platform.nama} wajib diisi.", status=400)
            if not platform.accepts(url):
                raise TindakanDitolak(f"Tautan {platform.nama} harus berada di {', '.join(platform.domains())}.",
                                      status=400)
            rows.append(TautanUnggahan(publikasi=self, versi=versi, platform=platform, url=url, oleh=by))
        TautanUnggahan.objects.bulk_create(rows)

    @transition(field=state, source=State.UPLOADED, target=State.REPORTED_TO_KETUA,
                custom={"label": "Laporkan tautan ke Ketua PPID"})
    def report_links_to_ketua(self, by=None, note=""):
        """The second step 8 (row 10)."""

    @transition(field=state, source=State.REPORTED_TO_KETUA, target=State.COMPLETED,
                custom={"label": "Terima laporan dan selesaikan"})
    def acknowledge_report(self, by=None, note=""):
        """Step 10: SELESAI."""


def _size(berkas):
    try:
        return berkas.size
    except OSError:  # gone from storage: the archive still names it
        return None


def _berkas_path(instance, filename):
    ext = {"image/png": ".png", "image/jpeg": ".jpg", "application/pdf": ".pdf"}.get(instance.jenis, "")
    return f"publikasi/{secrets.token_hex(12)}{ext}"


class BahanBerkas(models.Model):
    """A file of the activity material the Ketua PPID gives with the instruction."""

    publikasi = models.ForeignKey(Publikasi, on_delete=models.CASCADE, related_name="bahan_berkas")
    berkas = models.FileField(upload_to=_berkas_path)
    nama_asli = models.CharField(max_length=200)
    jenis = models.CharField(max_length=60)

    def __str__(self):
        return self.nama_asli


class Versi(models.Model):
    """One submitted draft. Never edited: a change is a new version."""

    publikasi = models.ForeignKey(Publikasi, on_delete=models.CASCADE, related_name="versi")
    nomor = models.PositiveIntegerField()
    caption = models.TextField("keterangan")
    platform = models.ManyToManyField(PlatformMedsos, related_name="+", verbose_name="platform tujuan")
    dibuat = models.DateTimeField(default=timezone.now)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["nomor"]
        constraints = [models.UniqueConstraint(fields=["publikasi", "nomor"], name="versi_nomor_unik")]
        verbose_name = "versi konsep"
        verbose_name_plural = "versi konsep"

    def __str__(self):
        return f"{self.publikasi.kode} v{self.nomor}"

    def sebelumnya(self):
        return self.publikasi.versi.filter(nomor__lt=self.nomor).order_by("-nomor").first()

    def perubahan_html(self):
        """The caption's change from the previous version, words marked <del>/<ins>."""
        before = self.sebelumnya()
        if before is None:
            return ""
        a, b = before.caption.split(), self.caption.split()
        out = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
            if op == "equal":
                out.append(escape(" ".join(a[i1:i2])))
            if op in ("delete", "replace"):
                out.append(f"<del>{escape(' '.join(a[i1:i2]))}</del>")
            if op in ("insert", "replace"):
                out.append(f"<ins>{escape(' '.join(b[j1:j2]))}</ins>")
        return mark_safe(" ".join(out))

    def perubahan_platform(self):
        before = self.sebelumnya()
        if before is None:
            return [], []
        old, new = set(before.platform.all()), set(self.platform.all())
        return sorted(new - old, key=str), sorted(old - new, key=str)


class GambarVersi(models.Model):
    versi = models.ForeignKey(Versi, on_delete=models.CASCADE, related_name="gambar")
    berkas = models.FileField(upload_to=_berkas_path)
    nama_asli = models.CharField(max_length=200)
    jenis = models.CharField(max_length=60)

    def __str__(self):
        return self.nama_asli


class Keputusan(models.Model):
    """A reviewer's decision on one exact version, with the note the drafter reads."""

    SEKSI, KETUA = "seksi", "ketua"
    TAHAP = [(SEKSI, "Telaah Seksi"), (KETUA, "Persetujuan Ketua PPID")]

    versi = models.ForeignKey(Versi, on_delete=models.CASCADE, related_name="keputusan")
    tahap = models.CharField(max_length=10, choices=TAHAP)
    setuju = models.BooleanField()
    catatan = models.TextField(blank=True)
    oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    waktu = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["waktu", "id"]
        verbose_name = "keputusan telaah"
        verbose_name_plural = "keputusan telaah"


class TautanUnggahan(models.Model):
    """The link of the published post on one platform (step 9's output)."""

    publikasi = models.ForeignKey(Publikasi, on_delete=models.CASCADE, related_name="tautan")
    versi = models.ForeignKey(Versi, on_delete=models.PROTECT, related_name="+")
    platform = models.ForeignKey(PlatformMedsos, on_delete=models.PROTECT, related_name="+")
    url = models.URLField(max_length=500)
    oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    waktu = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["platform__urutan"]
        constraints = [models.UniqueConstraint(fields=["publikasi", "platform"], name="tautan_satu_per_platform")]
        verbose_name = "tautan unggahan"
        verbose_name_plural = "tautan unggahan"
