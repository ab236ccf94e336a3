"""Layanan Aduan Masyarakat (SOP DINKOMINFO/4/1/32/2020, Kabupaten Demak).

The complaint and its state machine, declared where the state lives. Each state is work
waiting for one lane of the SOP (the map is the ``state`` of each Step in
``aduan/sop/dmk_aduan.yaml``); each transition names its label and whether it needs a note.
Decisions on the SOP's ambiguities (specs.md §4.6) are in this module's comments and README.md.
"""

from django.db import models
from django_fsm import FSMField, transition

from sop.models import Case
from sop.exceptions import TindakanDitolak
from sop.upload import lampiran_path  # aduan.models.lampiran_path: the name migration 0001 refers to


def _has_unit(aduan):
    return aduan.unit_id is not None


_has_unit.pesan = "Pilih OPD tujuan terlebih dahulu."


def _has_answer(aduan):
    return bool(aduan.jawaban.strip())


_has_answer.pesan = "Jawaban OPD belum diisi."


class Aduan(Case):
    SOP_KODE = "DMK-ADUAN"
    KODE_PREFIX = "ADU"
    STAFF_URL_NAME = "aduan:staf_detail"

    class State(models.TextChoices):
        SUBMITTED = "submitted", "Aduan masuk"
        RETURNED = "returned_to_complainant", "Aduan tidak diterima"
        ACCEPTED = "accepted", "Aduan diterima; verifikasi OPD terkait"
        OPD_VERIFIED = "opd_verified", "OPD terkait terverifikasi"
        WITH_OPD = "with_opd", "Ditelaah OPD"
        ANSWER_PREPARED = "answer_prepared", "Jawaban OPD tersedia"
        ANSWER_POSTED = "answer_posted", "Jawaban disampaikan"
        MONITORING = "monitoring", "Monitoring dan evaluasi"
        READY_TO_ARCHIVE = "ready_to_archive", "Selesai; diagendakan"
        ARCHIVED = "archived", "Diarsipkan"

    class Kategori(models.TextChoices):
        INFRASTRUKTUR = "infrastruktur", "Infrastruktur (jalan, jembatan, drainase)"
        PELAYANAN = "pelayanan", "Pelayanan publik dan administrasi"
        KESEHATAN = "kesehatan", "Kesehatan"
        PENDIDIKAN = "pendidikan", "Pendidikan"
        LINGKUNGAN = "lingkungan", "Lingkungan dan kebersihan"
        KETERTIBAN = "ketertiban", "Ketertiban dan keamanan"
        SOSIAL = "sosial", "Sosial dan bantuan"
        INFORMASI = "informasi", "Informasi publik"
        LAINNYA = "lainnya", "Lainnya"

    state = FSMField("tahap", default=State.SUBMITTED, choices=State.choices, protected=True)

    uraian = models.TextField("uraian aduan")
    lokasi = models.CharField("lokasi kejadian", max_length=300)
    tanggal_kejadian = models.DateField("tanggal kejadian", null=True, blank=True)
    kategori = models.CharField("kategori", max_length=30, choices=Kategori.choices)
    # "anonim": no identity is kept at all. "rahasia": identity kept, hidden from OPD lanes
    # and public pages (see Aduan.identitas_untuk).
    anonim = models.BooleanField("anonim", default=False)
    rahasia = models.BooleanField("rahasia", default=False)
    nama = models.CharField("nama pengadu", max_length=150, blank=True)
    email = models.EmailField("e-mail", blank=True)
    telepon = models.CharField("telepon/WhatsApp", max_length=30, blank=True)

    alasan_tidak_diterima = models.TextField("alasan tidak diterima", blank=True)
    jawaban = models.TextField("jawaban", blank=True)
    jawaban_disampaikan = models.DateTimeField("jawaban disampaikan", null=True, blank=True)
    tindak_lanjut = models.TextField("tindak lanjut terakhir", blank=True)

    class Meta:
        ordering = ["-dibuat"]
        verbose_name = "aduan"
        verbose_name_plural = "aduan"
        indexes = [models.Index(fields=["state", "unit"], name="aduan_state_unit")]

    def judul_antrian(self):
        text = " ".join(self.uraian.split())
        kategori = self.get_kategori_display().split(" (")[0]  # "Infrastruktur", without the examples
        return f"{kategori}: {text[:120]}"

    def save(self, *args, **kwargs):
        if self.anonim:  # an anonymous complaint keeps no identity at all
            self.nama = self.email = self.telepon = ""
        super().save(*args, **kwargs)

    # --- who sees the identity ---------------------------------------------------------

    OPD_LANES = ("opd_bumd", "pejabat_penghubung")

    def identitas_terlihat(self, user):
        """Whether ``user`` may see the complainant's identity: never for an anonymous
        complaint; for a confidential one only outside the OPD lanes."""
        if self.anonim:
            return False
        if not self.rahasia or user.is_superuser:
            return True
        from sop.models import Lane

        my_lanes = Lane.objects.filter(sop__kode=self.SOP_KODE, group__user=user)
        return my_lanes.exclude(kode__in=self.OPD_LANES).exists()

    # --- the archive ---------------------------------------------------------------------

    ARSIP_TANPA = Case.ARSIP_TANPA + ("anonim", "rahasia", "nama", "email", "telepon")

    def data_arsip(self, user=None):
        """As the case page: the identity only for those who may see it (identitas_terlihat)."""
        if self.anonim:
            pengadu = "Anonim (identitas tidak disimpan)"
        elif user is not None and self.identitas_terlihat(user):
            pengadu = " \u00b7 ".join(v for v in (self.nama or "(tanpa nama)", self.email, self.telepon) if v)
            pengadu += " (rahasia)" if self.rahasia else ""
        else:
            pengadu = "Dirahasiakan"
        return [("Pengadu", pengadu), *super().data_arsip(user)]

    def lampiran_arsip(self):
        return [(item.nama_asli, item.jenis, item.ukuran) for item in self.lampiran.all()]

    @property
    def jawaban_terbit(self):
        """The answer is public to the complainant once the Pejabat Penghubung posted it."""
        return self.jawaban_disampaikan is not None

    # --- transitions (SOP steps 2-8) ---------------------------------------------------

    @transition(field=state, source=State.SUBMITTED, target=State.ACCEPTED,
                custom={"label": "Terima aduan", "style": "utama"})
    def accept_complaint(self, by=None, note=""):
        """Step 2, YA: the Admin Koordinator has reviewed and clarified the complaint."""

    @transition(field=state, source=State.SUBMITTED, target=State.RETURNED,
                custom={"label": "Tidak diterima (kembalikan ke Pengadu)", "style": "bahaya", "note_required": True})
    def reject_complaint(self, by=None, note=""):
        """Step 2, TIDAK. The reason is shown to the complainant on the tracking page (D-2);
        a resubmission is a new complaint with a new code."""
        self.alasan_tidak_diterima = note

    @transition(field=state, source=State.ACCEPTED, target=State.OPD_VERIFIED,
                custom={"label": "Verifikasi OPD terkait", "style": "utama"})
    def verify_opd(self, by=None, note="", unit=None):
        """Step 3: the Admin Koordinator routes the complaint to one OPD (one OPD per
        complaint; a second OPD means a reroute, not a fan-out)."""
        if unit is None:
            raise TindakanDitolak("Pilih OPD tujuan terlebih dahulu.", status=400)
        self.unit = unit

    @transition(field=state, source=State.OPD_VERIFIED, target=State.ACCEPTED,
                custom={"label": "Ubah OPD tujuan", "style": "biasa", "note_required": True})
    def reroute(self, by=None, note=""):
        """D-9: the verification showed the wrong OPD; back to step 3."""

    @transition(field=state, source=State.OPD_VERIFIED, target=State.WITH_OPD, conditions=[_has_unit],
                custom={"label": "Teruskan ke OPD", "style": "utama"})
    def dispatch_to_opd(self, by=None, note=""):
        """Step 4: forwarded to the OPD (HALLO DEMAK is the portal itself)."""

    @transition(field=state, source=State.WITH_OPD, target=State.ACCEPTED,
                custom={"label": "Bukan kewenangan kami (kembalikan ke Admin)", "style": "bahaya",
                        "note_required": True})
    def return_to_admin(self, by=None, note=""):
        """The OPD says the complaint is not theirs: the Admin Koordinator routes it again."""
        self.unit = None

    @transition(field=state, source=State.WITH_OPD, target=State.ANSWER_PREPARED,
                custom={"label": "Kirim jawaban", "style": "utama"})
    def submit_answer(self, by=None, note="", jawaban=""):
        """Step 5: the OPD's analysis and answer."""
        if not jawaban.strip():
            raise TindakanDitolak("Jawaban OPD wajib diisi.", status=400)
        self.jawaban = jawaban.strip()

    @transition(field=state, source=State.ANSWER_PREPARED, target=State.WITH_OPD,
                custom={"label": "Kembalikan ke OPD untuk diperbaiki", "style": "bahaya", "note_required": True})
    def return_answer(self, by=None, note=""):
        """The Pejabat Penghubung finds the answer not ready to publish (a reading, not in the SOP)."""

    @transition(field=state, source=State.ANSWER_PREPARED, target=State.ANSWER_POSTED, conditions=[_has_answer],
                custom={"label": "Sampaikan jawaban ke Pengadu", "style": "utama"})
    def post_answer(self, by=None, note=""):
        """Step 6 (lane inferred, D-1): the Pejabat Penghubung publishes the answer."""
        from django.utils import timezone

        self.jawaban_disampaikan = timezone.now()

    @transition(field=state, source=State.ANSWER_POSTED, target=State.READY_TO_ARCHIVE,
                custom={"label": "Aduan selesai", "style": "utama"})
    def confirm_final(self, by=None, note=""):
        """Step 7, selesai."""

    @transition(field=state, source=State.ANSWER_POSTED, target=State.MONITORING,
                custom={"label": "Masih dalam proses OPD (monitoring)", "style": "biasa", "note_required": True})
    def put_under_monitoring(self, by=None, note=""):
        """Step 7 Keterangan: still in process at the OPD; monitored (D-5)."""

    @transition(field=state, source=State.MONITORING, target=State.ANSWER_POSTED,
                custom={"label": "Sampaikan tindak lanjut", "style": "utama"})
    def post_follow_up(self, by=None, note="", jawaban=""):
        """The monitoring loop's exit: the OPD's follow-up, posted for the complainant."""
        from django.utils import timezone

        if not jawaban.strip():
            raise TindakanDitolak("Tindak lanjut wajib diisi.", status=400)
        self.tindak_lanjut = jawaban.strip()
        self.jawaban_disampaikan = timezone.now()

    @transition(field=state, source=State.READY_TO_ARCHIVE, target=State.ARCHIVED,
                custom={"label": "Agendakan dan arsipkan", "style": "utama"})
    def archive(self, by=None, note=""):
        """Step 8."""

    # --- the citizen's side ------------------------------------------------------------

    def notifikasi_warga(self, transition, note):
        if self.anonim or not self.email:
            return []
        from django.conf import settings
        from django.urls import reverse

        link = f"{settings.PPID_SITE_URL}{reverse('aduan:lacak_detail', args=[self.kode])}"
        subjects = {
            "dibuat": "Aduan Anda telah kami terima",
            "reject_complaint": "Aduan Anda tidak dapat ditindaklanjuti",
            "post_answer": "Jawaban atas aduan Anda",
            "post_follow_up": "Tindak lanjut atas aduan Anda",
        }
        if transition not in subjects:
            return []
        body = (
            f"Kode lacak: {self.kode}\n"
            f"Tahap saat ini: {self.get_state_display()}\n\n"
            f"Ikuti perkembangan aduan Anda di {link}\n"
        )
        return [(self.email, f"[{self.kode}] {subjects[transition]}", body)]




class Lampiran(models.Model):
    aduan = models.ForeignKey(Aduan, on_delete=models.CASCADE, related_name="lampiran")
    berkas = models.FileField(upload_to=lampiran_path)
    nama_asli = models.CharField("nama berkas", max_length=200)
    jenis = models.CharField("jenis", max_length=60)
    ukuran = models.PositiveIntegerField("ukuran (byte)")

    class Meta:
        ordering = ["id"]
        verbose_name = "lampiran"
        verbose_name_plural = "lampiran"

    def __str__(self):
        return self.nama_asli

    @property
    def ekstensi(self):
        return {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}.get(self.jenis, "")


# What each stage means, said to the complainant on the tracking page.
TAHAP_PUBLIK = {
    Aduan.State.SUBMITTED: "Aduan Anda sudah masuk dan sedang ditelaah oleh Admin Koordinator.",
    Aduan.State.RETURNED: "Aduan Anda tidak dapat ditindaklanjuti. Alasannya tertulis di bawah.",
    Aduan.State.ACCEPTED: "Aduan Anda diterima. Admin Koordinator sedang menentukan OPD yang berwenang.",
    Aduan.State.OPD_VERIFIED: "OPD yang berwenang sudah ditentukan; aduan segera diteruskan.",
    Aduan.State.WITH_OPD: "Aduan Anda sedang ditelaah oleh OPD yang berwenang.",
    Aduan.State.ANSWER_PREPARED: "OPD sudah menyiapkan jawaban; jawaban sedang diperiksa sebelum disampaikan.",
    Aduan.State.ANSWER_POSTED: "Jawaban sudah disampaikan. Bacalah di bawah.",
    Aduan.State.MONITORING: "Jawaban sudah disampaikan dan tindak lanjutnya masih dipantau.",
    Aduan.State.READY_TO_ARCHIVE: "Aduan Anda selesai ditangani.",
    Aduan.State.ARCHIVED: "Aduan Anda selesai ditangani dan telah diarsipkan.",
}

# The name of each step as the complainant reads it in the timeline (no officer names).
LANGKAH_PUBLIK = {
    "dibuat": "Aduan disampaikan",
    "accept_complaint": "Aduan diterima dan diklarifikasi",
    "reject_complaint": "Aduan tidak diterima",
    "verify_opd": "OPD terkait diverifikasi",
    "reroute": "OPD tujuan ditinjau ulang",
    "dispatch_to_opd": "Aduan diteruskan ke OPD",
    "return_to_admin": "Aduan dikembalikan untuk ditentukan ulang OPD-nya",
    "submit_answer": "OPD menyiapkan jawaban",
    "return_answer": "Jawaban OPD diperbaiki",
    "post_answer": "Jawaban disampaikan",
    "confirm_final": "Aduan dinyatakan selesai",
    "put_under_monitoring": "Tindak lanjut dipantau (monitoring dan evaluasi)",
    "post_follow_up": "Tindak lanjut disampaikan",
    "archive": "Aduan diagendakan dan diarsipkan",
}
