"""Pemantauan Opini Publik (SOP 023/SOP-PIP/2018, Diskominfostat Kota Cirebon).

An opinion a citizen posted on the web or social media, from capture by the monitor to the
published answer of the responsible Perangkat Daerah. States and transitions follow
specs.md §1.5; decisions on its ambiguities (§1.6) are in README.md and the docstrings here.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit

from django.conf import settings
from django.db import models
from django.utils import timezone
from django_fsm import FSMField, transition

from sop.models import Case
from sop.exceptions import TindakanDitolak


class Platform(models.TextChoices):
    WEBSITE = "website", "Website"
    INSTAGRAM = "instagram", "Instagram"
    FACEBOOK = "facebook", "Facebook"
    X = "x", "X (Twitter)"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"


# The hosts a post on each platform lives on; a website may be any host.
PLATFORM_DOMAINS = {
    Platform.INSTAGRAM: ("instagram.com",),
    Platform.FACEBOOK: ("facebook.com", "fb.com", "fb.watch"),
    Platform.X: ("x.com", "twitter.com"),
    Platform.TIKTOK: ("tiktok.com",),
    Platform.YOUTUBE: ("youtube.com", "youtu.be"),
}

# Query parameters that only say where a link was shared from, not which post it is.
_TRACKING_PARAMS = {"fbclid", "igshid", "igsh", "si", "s", "t", "ref", "ref_src", "feature", "mibextid"}


def host_of(url):
    host = (urlsplit(url).hostname or "").lower()
    for prefix in ("www.", "m.", "mobile.", "web."):
        if host.startswith(prefix):
            return host[len(prefix):]
    return host


def on_platform(url, platform):
    domains = PLATFORM_DOMAINS.get(platform)
    if not domains:
        return True
    host = host_of(url)
    return any(host == d or host.endswith("." + d) for d in domains)


def normalise_url(url):
    """The same post under one name: no scheme, no www/m., no tracking parameters, no
    fragment, no trailing slash. Two links to one post normalise to the same string."""
    parts = urlsplit(url.strip())
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=False)
        if k.lower() not in _TRACKING_PARAMS and not k.lower().startswith("utm_")
    )
    path = parts.path.rstrip("/") or ""
    normal = host_of(url) + path
    if query:
        normal += "?" + urlencode(query)
    return normal


def tangkapan_path(instance, filename):
    """A generated name: the monitor's own file name says nothing the record needs."""
    import secrets

    ext = {"image/png": ".png", "image/jpeg": ".jpg"}.get(instance.tangkapan_jenis, "")
    return f"opini/{secrets.token_hex(12)}{ext}"


class Opini(Case):
    SOP_KODE = "CRB-OPINI"
    KODE_PREFIX = "OPN"
    STAFF_URL_NAME = "opini:staf_detail"

    class State(models.TextChoices):
        CAPTURED = "captured", "Opini terpantau"
        KASI_SCREENING = "kasi_screening", "Diteliti Kasi"
        SCREENED = "screened", "Sudah diteliti; Perangkat Daerah ditentukan"
        KABID_REVIEW = "kabid_review", "Menunggu keputusan Kabid"
        RETURNED_FOR_ARCHIVING = "returned_for_archiving", "Tidak perlu ditanggapi; diarsipkan Kasi"
        ARCHIVED_NO_RESPONSE = "archived_no_response", "Diarsipkan tanpa tanggapan"
        APPROVED_FOR_RESPONSE = "approved_for_response", "Disetujui untuk ditanggapi"
        READY_TO_FORWARD = "ready_to_forward", "Siap diteruskan ke Perangkat Daerah"
        AWAITING_PD_RESPONSE = "awaiting_pd_response", "Menunggu tanggapan Perangkat Daerah"
        PD_RESPONSE_RECEIVED = "pd_response_received", "Tanggapan Perangkat Daerah diterima"
        LANGUAGE_REVIEW = "language_review", "Diteliti Kasi dari segi bahasa"
        RESPONSE_READY = "response_ready", "Tanggapan siap dikirim"
        RESPONDED_AND_ARCHIVED = "responded_and_archived", "Tanggapan dikirim dan diarsipkan"

    class Jalur(models.TextChoices):
        PORTAL = "portal", "Portal (Perangkat Daerah menjawab di portal)"
        EMAIL = "email", "E-mail"
        MEDSOS = "medsos", "Media sosial"

    state = FSMField("tahap", default=State.CAPTURED, choices=State.choices, protected=True)

    platform = models.CharField("platform", max_length=20, choices=Platform.choices)
    tautan = models.URLField("tautan unggahan", max_length=500)
    tautan_normal = models.CharField(max_length=500, unique=True, editable=False)
    akun = models.CharField("akun penulis", max_length=150)
    akun_organisasi = models.BooleanField(
        "akun publik organisasi", default=False,
        help_text="Centang bila penulisnya akun resmi organisasi; hanya nama akun organisasi yang tampil di halaman publik.",
    )
    tanggal_posting = models.DateField("tanggal diunggah")
    teks = models.TextField("isi opini")
    topik = models.CharField("topik", max_length=150)
    tangkapan_layar = models.FileField("tangkapan layar", upload_to=tangkapan_path, blank=True)
    tangkapan_jenis = models.CharField(max_length=60, blank=True, editable=False)
    dicatat_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )

    catatan_telaah = models.TextField("hasil penelitian Kasi", blank=True)
    alasan_tidak_ditanggapi = models.TextField("alasan tidak perlu ditanggapi", blank=True)
    jalur_diteruskan = models.CharField("diteruskan melalui", max_length=20, choices=Jalur.choices, blank=True)
    tanggapan = models.TextField("tanggapan Perangkat Daerah", blank=True)
    tanggapan_via = models.CharField("tanggapan diterima melalui", max_length=20, choices=Jalur.choices, blank=True)
    tanggapan_final = models.TextField("tanggapan setelah penelitian bahasa", blank=True)
    dikirim_di = models.CharField("dikirim melalui", max_length=20, choices=Platform.choices, blank=True)
    tautan_balasan = models.URLField("tautan balasan", max_length=500, blank=True)
    dipublikasikan = models.DateTimeField("tanggapan dikirim", null=True, blank=True)

    class Meta:
        ordering = ["-dibuat"]
        verbose_name = "opini publik"
        verbose_name_plural = "opini publik"
        indexes = [models.Index(fields=["state", "unit"], name="opini_state_unit")]

    def save(self, *args, **kwargs):
        self.tautan_normal = normalise_url(self.tautan)  # one case per post, however its URL is written
        super().save(*args, **kwargs)

    def judul_antrian(self):
        return f"{self.get_platform_display()} · {self.topik}: {' '.join(self.teks.split())[:110]}"

    @property
    def nama_akun_publik(self):
        """What the public page may say about the author: an organisation's account only."""
        return self.akun if self.akun_organisasi else ""

    # --- transitions (SOP steps 2-9) ---------------------------------------------------

    @transition(field=state, source=State.CAPTURED, target=State.KASI_SCREENING,
                custom={"label": "Serahkan ke Kasi"})
    def submit_to_kasi(self, by=None, note=""):
        """Step 2: the hand-over of the print-out becomes an in-app hand-over (A-9)."""

    @transition(field=state, source=State.KASI_SCREENING, target=State.SCREENED,
                custom={"label": "Teliti dan tentukan Perangkat Daerah"})
    def screen_and_select_pd(self, by=None, note="", unit=None):
        """Step 3: one opinion goes to one Perangkat Daerah (A-8)."""
        if unit is None:
            raise TindakanDitolak("Pilih Perangkat Daerah yang sesuai.", status=400)
        self.unit = unit
        self.catatan_telaah = note

    @transition(field=state, source=State.SCREENED, target=State.KASI_SCREENING,
                custom={"label": "Teliti ulang", "style": "biasa", "note_required": True})
    def rescreen(self, by=None, note=""):
        """Before submitting to the Kabid, the Kasi may reconsider the chosen unit."""

    @transition(field=state, source=State.SCREENED, target=State.KABID_REVIEW,
                custom={"label": "Serahkan ke Kabid untuk diputuskan"})
    def submit_to_kabid(self, by=None, note=""):
        """Step 4."""

    @transition(field=state, source=State.KABID_REVIEW, target=State.APPROVED_FOR_RESPONSE,
                custom={"label": "Perlu ditanggapi"})
    def approve_for_response(self, by=None, note=""):
        """Step 4 (Ya) and 5. Step 5's 5 minutes bound either decision (A-2)."""

    @transition(field=state, source=State.KABID_REVIEW, target=State.RETURNED_FOR_ARCHIVING,
                custom={"label": "Tidak perlu ditanggapi", "style": "bahaya", "note_required": True})
    def decline_no_response_needed(self, by=None, note=""):
        """Step 4 (Tidak): back to the Kasi to be archived, with the reason."""
        self.alasan_tidak_ditanggapi = note

    @transition(field=state, source=State.RETURNED_FOR_ARCHIVING, target=State.ARCHIVED_NO_RESPONSE,
                custom={"label": "Arsipkan"})
    def archive_without_response(self, by=None, note=""):
        """Step 4, tail: archived without a response."""

    @transition(field=state, source=State.APPROVED_FOR_RESPONSE, target=State.READY_TO_FORWARD,
                custom={"label": "Serahkan ke Pemantau untuk diteruskan"})
    def hand_to_monitor(self, by=None, note=""):
        """Step 6."""

    @transition(field=state, source=State.READY_TO_FORWARD, target=State.AWAITING_PD_RESPONSE,
                custom={"label": "Teruskan ke Perangkat Daerah"})
    def forward_to_pd(self, by=None, note="", jalur=""):
        """Step 7: the unit sees it in its queue; the channel records how it was also told."""
        if jalur not in self.Jalur.values:
            raise TindakanDitolak("Pilih jalur penerusan.", status=400)
        self.jalur_diteruskan = jalur

    @transition(field=state, source=State.AWAITING_PD_RESPONSE, target=State.PD_RESPONSE_RECEIVED,
                custom={"label": "Kirim tanggapan"})
    def submit_pd_response(self, by=None, note="", tanggapan=""):
        """The unit answers in the portal (a step the portal adds, 7a)."""
        self._record_response(tanggapan, self.Jalur.PORTAL)

    @transition(field=state, source=State.AWAITING_PD_RESPONSE, target=State.PD_RESPONSE_RECEIVED,
                custom={"label": "Catat tanggapan yang diterima melalui e-mail", "style": "biasa",
                        "lane": "pemantau"})
    def record_pd_response(self, by=None, note="", tanggapan=""):
        """The unit answered outside the portal: the monitor records it, marked as by e-mail."""
        self._record_response(tanggapan, self.Jalur.EMAIL)

    def _record_response(self, tanggapan, via):
        if not tanggapan.strip():
            raise TindakanDitolak("Tanggapan wajib diisi.", status=400)
        self.tanggapan = tanggapan.strip()
        self.tanggapan_via = via

    @transition(field=state, source=State.PD_RESPONSE_RECEIVED, target=State.LANGUAGE_REVIEW,
                custom={"label": "Serahkan ke Kasi untuk diteliti bahasanya"})
    def submit_for_language_review(self, by=None, note=""):
        """Step 8."""

    @transition(field=state, source=State.LANGUAGE_REVIEW, target=State.RESPONSE_READY,
                custom={"label": "Bahasa layak; teruskan ke Pemantau"})
    def complete_language_review(self, by=None, note="", tanggapan_final=""):
        """The Kasi's review (8a): may polish the wording; what is published is this text."""
        self.tanggapan_final = tanggapan_final.strip() or self.tanggapan

    @transition(field=state, source=State.LANGUAGE_REVIEW, target=State.AWAITING_PD_RESPONSE,
                custom={"label": "Kembalikan ke Perangkat Daerah untuk diperbaiki", "style": "bahaya",
                        "note_required": True})
    def request_pd_revision(self, by=None, note=""):
        """A reading, not in the SOP (A-3): the answer goes back to the unit with a note."""

    @transition(field=state, source=State.RESPONSE_READY, target=State.RESPONDED_AND_ARCHIVED,
                custom={"label": "Kirim tanggapan ke warga dan arsipkan"})
    def publish_and_archive(self, by=None, note="", dikirim_di="", tautan_balasan=""):
        """Step 9: one action with two required outputs (where it was posted, and the link);
        the archive is the case record itself (A-5)."""
        if dikirim_di not in Platform.values or not tautan_balasan:
            raise TindakanDitolak("Isi platform dan tautan balasan.", status=400)
        self.dikirim_di = dikirim_di
        self.tautan_balasan = tautan_balasan
        self.dipublikasikan = timezone.now()
