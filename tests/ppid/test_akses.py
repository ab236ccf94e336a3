"""The access matrix: every URL of the portal, walked as every kind of user.

The kinds of user: anonymous, a citizen holding another complaint's tracking code, an officer
of each lane of each SOP (per-unit lanes in the unit the cases are routed to), an officer of
each per-unit lane in another unit, and an admin. Supervisors are the lanes that others
escalate to (``atasan``), so they are among the lanes.

What each kind may do is written here as the SOPs give it, not derived from the engine:
a case is seen by the lanes of its SOP (per-unit lanes only in its unit) and by admins; an
action is taken only by the lane its current step belongs to; everything else is a 404 (a
case's existence is not revealed), a 403 with a reason (a lane that sees the case but whose
turn it is not), or the login page. A refused answer must not carry any of the cases'
secrets, and lists and searches must not show a case to whom may not open it.

``MATRIX`` names every URL pattern outside the admin; a pattern missing from it fails
:func:`test_every_url_of_the_portal_is_in_the_matrix`, so a new page cannot go unchecked.
The admin's own URLs are covered as a family, walked by one user of each kind
(:func:`test_the_admin_is_closed_to_all_but_admins`). The world (the users and a case of each
SOP) is built once for the module (:func:`dunia`).
"""

import io
import re
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.signing import get_cookie_signer
from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from aduan import views as aduan_views
from aduan.models import Lampiran
from arsip.models import ArsipMassal
from publikasi.models import BahanBerkas, Pengumuman, Publikasi, UjiKonsekuensi
from sop import services as engine
from sop.models import Lane, Sop
from tests.factories import AduanFactory, InformasiPublikFactory, OpiniFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")

# Words that exist only inside the cases; a refused or public answer must never carry them.
RAHASIA = {
    "nama": "Wiryo Sentono Rahasia",
    "email": "wiryo.rahasia@contoh.id",
    "telepon": "0812-9999-4321",
    "uraian": "Pungutan liar zonakuning di loket perizinan.",
    "opini": "Keluhan zonabiru tentang antrean puskesmas.",
    "caption": "Takarir zonahijau belum terbit.",
    "ringkasan_dik": "Daftar penerima zonaungu dengan NIK.",
    "pengumuman": "Rancangan zonajingga belum diumumkan.",
}

SOPS = ("DMK-ADUAN", "CRB-OPINI", "BUNDER-MEDSOS", "SRG-UJI-KONSEKUENSI", "PTK-PENGUMUMAN")


@dataclass
class Peran:
    """A kind of user: a lane member (``sop``/``lane``), or anonymous, the citizen, the admin."""

    nama: str
    user: object = None
    sop: str = ""
    lane: str = ""
    per_unit: bool = False
    unit_sendiri: bool = True
    admin: bool = False
    warga: bool = False

    @property
    def masuk(self):
        return self.user is not None

    def melihat(self, sop):
        """Whether the SOP gives this kind of user the cases of ``sop`` routed to the unit."""
        return self.admin or (self.sop == sop and self.unit_sendiri)

    def anggota(self, sop):
        """Whether this kind of user works in some lane of ``sop`` (whatever the unit)."""
        return self.admin or self.sop == sop

    def giliran(self, sop, lane):
        """Whether it is this kind of user's turn when a case of ``sop`` waits for ``lane``."""
        return self.sop == sop and self.lane == lane and self.unit_sendiri


@dataclass
class Dunia:
    unit: object
    unit_lain: object
    peran: list = field(default_factory=list)
    kasus: dict = field(default_factory=dict)
    berkas: dict = field(default_factory=dict)
    kode_warga: str = ""
    media: object = None  # the folder its files are in


def _people(unit, unit_lain):
    peran = [Peran("anonim"), Peran("warga", warga=True)]
    lanes = Lane.objects.filter(warga=False, sop__kode__in=SOPS).select_related("sop").order_by("sop__kode", "urutan")
    for lane in lanes:
        name = f"{lane.sop.kode}/{lane.kode}"
        user = UserFactory(username=name.lower().replace("/", "_")[:150],
                           lanes=(lane.sop.kode, lane.kode), units=[unit] if lane.per_unit else [])
        peran.append(Peran(name, user, lane.sop.kode, lane.kode, lane.per_unit))
        if lane.per_unit:
            other = UserFactory(username=f"{name}_lain".lower().replace("/", "_"),
                                lanes=(lane.sop.kode, lane.kode), units=[unit_lain])
            peran.append(Peran(f"{name}@unit-lain", other, lane.sop.kode, lane.kode, True, unit_sendiri=False))
    admin = get_user_model().objects.create_superuser("admin_portal", "admin@contoh.go.id", "sandi-rahasia-123")
    peran.append(Peran("admin", admin, admin=True))
    return peran


def _by(peran, sop, lane):
    return next(p.user for p in peran if p.sop == sop and p.lane == lane and p.unit_sendiri)


def _world(sops):
    """Every kind of user, and a case of each SOP at a step that shows its secrets."""
    unit = UnitFactory(nama="Dinas Penanaman Modal dan PTSP")
    unit_lain = UnitFactory(nama="Dinas Perikanan")
    d = Dunia(unit, unit_lain)
    d.peran = _people(unit, unit_lain)
    by = lambda sop, lane: _by(d.peran, sop, lane)  # noqa: E731

    # A confidential complaint routed to the unit, waiting for the OPD's answer, with an attachment.
    aduan = engine.start(AduanFactory(rahasia=True, nama=RAHASIA["nama"], email=RAHASIA["email"],
                                      telepon=RAHASIA["telepon"], uraian=RAHASIA["uraian"]))
    aduan = engine.advance(aduan, "accept_complaint", by("DMK-ADUAN", "admin_koordinator"))
    aduan = engine.advance(aduan, "verify_opd", by("DMK-ADUAN", "admin_koordinator"), unit=unit)
    aduan = engine.advance(aduan, "dispatch_to_opd", by("DMK-ADUAN", "admin_koordinator"))
    lampiran = Lampiran(aduan=aduan, nama_asli="bukti.pdf", jenis="application/pdf", ukuran=len(PDF))
    lampiran.berkas.save("bukti.pdf", ContentFile(PDF))
    d.kasus["aduan"], d.berkas["lampiran"] = aduan, lampiran
    # The citizen's own complaint: they hold its code, not the other one's.
    d.kode_warga = engine.start(AduanFactory(nama="Warga Biasa", email="warga@contoh.id")).kode

    # An opinion routed to the unit, waiting for the Perangkat Daerah, with a screenshot.
    opini = OpiniFactory(teks=RAHASIA["opini"], tangkapan_jenis="image/png")
    opini.tangkapan_layar.save("layar.png", ContentFile(PNG), save=False)
    opini = engine.start(opini, by=by("CRB-OPINI", "pemantau"))
    for name, lane, data in [
        ("submit_to_kasi", "pemantau", {}), ("screen_and_select_pd", "kasi_pop", {"unit": unit}),
        ("submit_to_kabid", "kasi_pop", {}), ("approve_for_response", "kabid_pip", {}),
        ("hand_to_monitor", "kasi_pop", {}), ("forward_to_pd", "pemantau", {"jalur": "portal"}),
    ]:
        opini = engine.advance(opini, name, by("CRB-OPINI", lane), **data)
    assert opini.state == "awaiting_pd_response"
    d.kasus["opini"] = opini

    # A publication waiting for the section's review of its first draft, with a material file.
    from publikasi.models import PlatformMedsos

    publikasi = engine.start(Publikasi(judul="Kerja bakti", instruksi="Mohon dipublikasikan.", bahan="Foto."),
                             by=by("BUNDER-MEDSOS", "ketua_ppid"))
    bahan = BahanBerkas(publikasi=publikasi, nama_asli="bahan.pdf", jenis="application/pdf")
    bahan.berkas.save("bahan.pdf", ContentFile(PDF))
    publikasi = engine.advance(publikasi, "assign_to_admin", by("BUNDER-MEDSOS", "seksi_pddi"))
    publikasi = engine.advance(publikasi, "submit_draft", by("BUNDER-MEDSOS", "admin_medsos"),
                               caption=RAHASIA["caption"], gambar=[],
                               platforms=list(PlatformMedsos.objects.filter(kode__in=["instagram", "website"])))
    assert publikasi.state == "section_review"
    d.kasus["publikasi"], d.berkas["bahan"] = publikasi, bahan

    # A consequence test of the unit's item with its Surat Penetapan issued, waiting for the reasons.
    item = InformasiPublikFactory(unit=unit)
    uji = engine.start(UjiKonsekuensi(informasi=item, unit=unit), by=by("SRG-UJI-KONSEKUENSI", "ppid_pelaksana"))
    for name, lane, data in [
        ("submit_proposal", "ppid_pelaksana", {"usulan_alasan": "Memuat data pribadi."}),
        ("complete_test", "ppid_utama", {"pasal": "h", "konsekuensi": "Mengungkap data pribadi.",
                                         "kepentingan_publik": "Rekap sudah cukup.", "jangka_tahun": 5,
                                         "berita_acara": "Rapat uji konsekuensi."}),
        ("approve_exemption", "atasan_ppid", {}),
        ("issue_determination", "ppid_utama", {"nomor": "480/1/PPID/2026", "tempat": "Serang",
                                               "tanggal": date(2026, 11, 23)}),
    ]:
        uji = engine.advance(uji, name, by("SRG-UJI-KONSEKUENSI", lane), **data)
    assert uji.state == "determination_issued"
    d.kasus["uji"] = uji

    # An announcement of the unit under verification, with its document.
    pengumuman = engine.start(Pengumuman(judul="Rekap bansos", jenis="berkala", unit=unit),
                              by=by("PTK-PENGUMUMAN", "bidang_plip"))
    pengumuman = engine.advance(pengumuman, "request_collection", by("PTK-PENGUMUMAN", "bidang_plip"),
                                surat_koordinasi="Mohon siapkan.")
    pengumuman = engine.advance(pengumuman, "submit_draft", by("PTK-PENGUMUMAN", "ppid_pelaksana"),
                                ringkasan="Rekap.", isi=RAHASIA["pengumuman"], periode="2026",
                                penanggung_jawab="Kabid")
    pengumuman.berkas_jenis = "application/pdf"
    pengumuman.berkas.save("rekap.pdf", ContentFile(PDF))
    assert pengumuman.state == "under_verification"
    d.kasus["pengumuman"] = pengumuman

    # The register: one public document, one exempt item whose document exists all the same.
    publik = InformasiPublikFactory(unit=unit, berkas_jenis="application/pdf")
    publik.berkas.save("publik.pdf", ContentFile(PDF))
    dikecualikan = InformasiPublikFactory(unit=unit, berkas_jenis="application/pdf", kelas="dikecualikan",
                                          ringkasan=RAHASIA["ringkasan_dik"],
                                          dasar_pengecualian="UU 14/2008 Pasal 17 huruf h")
    dikecualikan.berkas.save("dik.pdf", ContentFile(PDF))
    d.berkas["dip_publik"], d.berkas["dip_dikecualikan"] = publik, dikecualikan

    # Two bulk archives of the admin's: one finished with its ZIP, one failed (to retry).
    admin = next(p.user for p in d.peran if p.admin)
    selesai = ArsipMassal(sop=sops["DMK-ADUAN"], mulai=date(2026, 1, 1), sampai=date(2026, 11, 30),
                          dibuat_oleh=admin, status=ArsipMassal.Status.SELESAI, total=0)
    selesai.berkas.save("arsip.zip", ContentFile(b"PK\x05\x06" + bytes(18)))
    gagal = ArsipMassal.objects.create(sop=sops["DMK-ADUAN"], mulai=date(2026, 1, 1), sampai=date(2026, 11, 30),
                                       dibuat_oleh=admin, status=ArsipMassal.Status.GAGAL, pesan_galat="Uji.")
    d.berkas["arsip_selesai"], d.berkas["arsip_gagal"] = selesai, gagal
    return d


@pytest.fixture(scope="module")
def dunia(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once for the module: inside a transaction rolled back after its last
    test. Each test's own transaction (pytest-django's) nests in it as a savepoint, so what
    one test does is gone before the next, and the world is gone after the module."""
    media = tmp_path_factory.mktemp("akses-media")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py
    with override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hashers), django_db_blocker.unblock():
        with transaction.atomic():
            d = _world({sop.kode: sop for sop in Sop.objects.all()})
            d.media = media
            yield d
            transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _private_media(settings, dunia):
    """Overrides tests/conftest.py's: the world's files are in the module's media folder."""
    settings.MEDIA_ROOT = dunia.media
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- what each URL allows ---------------------------------------------------------------------

OK, MASUK, TOLAK, TIDAK_ADA, BOLEH, KEMBALI = "200", "ke halaman masuk", "403", "404", "diproses", "302"


def publik(p):
    return OK


def staf(p):
    return OK if p.masuk else MASUK


def daftar(sop):
    """A staff list: members of the SOP's lanes (any unit) and admins; nobody else learns it exists."""
    return lambda p: MASUK if not p.masuk else OK if p.anggota(sop) else TIDAK_ADA


def kasus(sop):
    """A case page, its attachments and its documents."""
    return lambda p: MASUK if not p.masuk else OK if p.melihat(sop) else TIDAK_ADA


def aksi(sop, lane):
    """An action on a case waiting for ``lane``: its turn, a refusal with a reason, or nothing."""
    return lambda p: (MASUK if not p.masuk else TIDAK_ADA if not p.melihat(sop)
                      else BOLEH if p.giliran(sop, lane) else TOLAK)


def baru(sop, lane):
    """The page that opens a case: only the lane of the SOP's first step (in whatever unit:
    a per-unit lane opens cases for its own unit)."""
    return lambda p: MASUK if not p.masuk else OK if (p.sop, p.lane) == (sop, lane) else TOLAK


def admin_saja(p):
    """Bulk archives: admins only; staff learn it is refused, the public is sent to log in."""
    return MASUK if not p.masuk else OK if p.admin else TOLAK


def admin_boleh(p):
    return MASUK if not p.masuk else BOLEH if p.admin else TOLAK


def nyata(kind):
    return lambda p: kind


@dataclass
class Url:
    """How to call one URL pattern in the world, and what each kind of user gets."""

    buat: object  # world -> (method, path, data)
    harapan: object  # Peran -> outcome
    sop: str = ""  # the SOP whose case the URL shows, where its name does not say it
    # A page the same for every lane (e.g. the SOP document's PDF, seconds to render) is walked
    # by one user of each kind rather than by every lane.
    wakil: bool = False


def get(name, *args):
    return lambda d: ("get", reverse(name, args=[a(d) if callable(a) else a for a in args]), None)


def post(name, *args, data=None):
    return lambda d: ("post", reverse(name, args=[a(d) if callable(a) else a for a in args]),
                      data(d) if callable(data) else (data or {}))


def kode(key):
    return lambda d: d.kasus[key].kode


def pk(key):
    return lambda d: d.berkas[key].pk


def tahap(key, name, **extra):
    """A valid action form: the stage it was shown at, a note, and what the action asks."""
    return lambda d: {f"{name}-tahap": d.kasus[key].state, f"{name}-catatan": "Catatan uji akses.",
                      **{f"{name}-{k}": v for k, v in extra.items()}}


MATRIX = {
    # public pages: everyone, and nothing confidential on them
    "beranda": Url(get("beranda"), publik),
    "aduan:baru": Url(get("aduan:baru"), publik),
    "aduan:terkirim": Url(get("aduan:terkirim"), lambda p: OK if p.warga else KEMBALI),
    "aduan:lacak": Url(get("aduan:lacak"), publik),
    # The tracking code is the key: whoever holds it reads the stage, never a confidential identity.
    "aduan:lacak_detail": Url(get("aduan:lacak_detail", kode("aduan")), publik),
    "opini:publik": Url(get("opini:publik"), publik),
    "publikasi:dip": Url(get("publikasi:dip"), publik),
    "publikasi:dik": Url(get("publikasi:dik"), publik),
    "publikasi:pengumuman_publik": Url(get("publikasi:pengumuman_publik"), publik),
    "publikasi:dip_berkas": Url(get("publikasi:dip_berkas", pk("dip_publik")), publik),
    # staff sign-in
    "staf:masuk": Url(get("staf:masuk"), publik),
    "staf:keluar": Url(post("staf:keluar"), nyata(MASUK)),
    "staf:sandi": Url(get("staf:sandi"), staf),
    "staf:sandi_selesai": Url(get("staf:sandi_selesai"), staf),
    "sop:antrian": Url(get("sop:antrian"), staf),
    # complaints
    "aduan:staf_daftar": Url(get("aduan:staf_daftar"), daftar("DMK-ADUAN")),
    "aduan:staf_detail": Url(get("aduan:staf_detail", kode("aduan")), kasus("DMK-ADUAN")),
    "aduan:staf_aksi": Url(post("aduan:staf_aksi", kode("aduan"), "submit_answer",
                                data=tahap("aduan", "submit_answer", jawaban="Sudah ditindak.")),
                           aksi("DMK-ADUAN", "opd_bumd")),
    "aduan:staf_lampiran": Url(get("aduan:staf_lampiran", kode("aduan"), pk("lampiran")), kasus("DMK-ADUAN")),
    # opinions
    "opini:staf_daftar": Url(get("opini:staf_daftar"), daftar("CRB-OPINI")),
    "opini:staf_baru": Url(get("opini:staf_baru"), baru("CRB-OPINI", "pemantau")),
    "opini:staf_detail": Url(get("opini:staf_detail", kode("opini")), kasus("CRB-OPINI")),
    "opini:staf_aksi": Url(post("opini:staf_aksi", kode("opini"), "submit_pd_response",
                                data=tahap("opini", "submit_pd_response", tanggapan="Segera diperbaiki.")),
                           aksi("CRB-OPINI", "perangkat_daerah")),
    "opini:staf_tangkapan": Url(get("opini:staf_tangkapan", kode("opini")), kasus("CRB-OPINI")),
    # social-media publishing
    "publikasi:staf_daftar": Url(get("publikasi:staf_daftar"), daftar("BUNDER-MEDSOS")),
    "publikasi:staf_baru": Url(get("publikasi:staf_baru"), baru("BUNDER-MEDSOS", "ketua_ppid")),
    "publikasi:staf_detail": Url(get("publikasi:staf_detail", kode("publikasi")), kasus("BUNDER-MEDSOS")),
    "publikasi:staf_aksi": Url(
        post("publikasi:staf_aksi", kode("publikasi"), "section_accept",
             data=lambda d: {**tahap("publikasi", "section_accept")(d),
                             "section_accept-versi": d.kasus["publikasi"].versi_terbaru().pk}),
        aksi("BUNDER-MEDSOS", "seksi_pddi")),
    "publikasi:staf_pratinjau": Url(post("publikasi:staf_pratinjau", kode("publikasi"),
                                         data={"submit_draft-caption": "Uji"}), kasus("BUNDER-MEDSOS")),
    "publikasi:staf_berkas": Url(get("publikasi:staf_berkas", kode("publikasi"), "bahan", pk("bahan")),
                                 kasus("BUNDER-MEDSOS")),
    # the consequence test
    "publikasi:uji_daftar": Url(get("publikasi:uji_daftar"), daftar("SRG-UJI-KONSEKUENSI")),
    "publikasi:uji_baru": Url(get("publikasi:uji_baru"), baru("SRG-UJI-KONSEKUENSI", "ppid_pelaksana")),
    "publikasi:uji_detail": Url(get("publikasi:uji_detail", kode("uji")), kasus("SRG-UJI-KONSEKUENSI")),
    "publikasi:uji_aksi": Url(post("publikasi:uji_aksi", kode("uji"), "attach_reasons",
                                   data=tahap("uji", "attach_reasons", lampiran_alasan="Data pribadi.")),
                              aksi("SRG-UJI-KONSEKUENSI", "ppid_pelaksana")),
    "publikasi:uji_penetapan": Url(get("publikasi:uji_penetapan", kode("uji")), kasus("SRG-UJI-KONSEKUENSI")),
    # announcements
    "publikasi:pengumuman_daftar": Url(get("publikasi:pengumuman_daftar"), daftar("PTK-PENGUMUMAN")),
    "publikasi:pengumuman_baru": Url(get("publikasi:pengumuman_baru"), baru("PTK-PENGUMUMAN", "bidang_plip")),
    "publikasi:pengumuman_detail": Url(get("publikasi:pengumuman_detail", kode("pengumuman")),
                                       kasus("PTK-PENGUMUMAN")),
    "publikasi:pengumuman_aksi": Url(post("publikasi:pengumuman_aksi", kode("pengumuman"), "verify",
                                          data=tahap("pengumuman", "verify", jenis="berkala")),
                                     aksi("PTK-PENGUMUMAN", "ppid_utama")),
    "publikasi:pengumuman_berkas": Url(get("publikasi:pengumuman_berkas", kode("pengumuman")),
                                       kasus("PTK-PENGUMUMAN")),
    # the SOP documents: the office's own procedures, for all its staff
    "sop:dokumen_daftar": Url(get("sop:dokumen_daftar"), staf),
    "sop:dokumen": Url(get("sop:dokumen", "DMK-ADUAN"), staf),
    "sop:dokumen_pdf": Url(get("sop:dokumen_pdf", "BUNDER-MEDSOS"), staf, wakil=True),
    # archives: a case's PDF as its page; bulk archives for admins
    "arsip:kasus_pdf": [
        Url(get("arsip:kasus_pdf", "DMK-ADUAN", kode("aduan")), kasus("DMK-ADUAN"), sop="DMK-ADUAN"),
        Url(get("arsip:kasus_pdf", "CRB-OPINI", kode("opini")), kasus("CRB-OPINI"), sop="CRB-OPINI"),
        Url(get("arsip:kasus_pdf", "BUNDER-MEDSOS", kode("publikasi")), kasus("BUNDER-MEDSOS"), sop="BUNDER-MEDSOS"),
        Url(get("arsip:kasus_pdf", "SRG-UJI-KONSEKUENSI", kode("uji")), kasus("SRG-UJI-KONSEKUENSI"), sop="SRG-UJI-KONSEKUENSI"),
        Url(get("arsip:kasus_pdf", "PTK-PENGUMUMAN", kode("pengumuman")), kasus("PTK-PENGUMUMAN"), sop="PTK-PENGUMUMAN"),
    ],
    "arsip:massal": Url(get("arsip:massal"), admin_saja),
    "arsip:massal_detail": Url(get("arsip:massal_detail", pk("arsip_selesai")), admin_saja),
    "arsip:massal_ulang": Url(post("arsip:massal_ulang", pk("arsip_gagal")), admin_boleh),
    "arsip:massal_unduh": Url(get("arsip:massal_unduh", pk("arsip_selesai")), admin_saja),
}

# Secrets that belong to each SOP's case: on a page of that SOP they are fine for whom sees
# the case; anywhere else, and on any refused answer, they must not appear.
RAHASIA_SOP = {
    "DMK-ADUAN": ("nama", "email", "telepon", "uraian"),
    "CRB-OPINI": ("opini",),
    "BUNDER-MEDSOS": ("caption",),
    "SRG-UJI-KONSEKUENSI": (),
    "PTK-PENGUMUMAN": ("pengumuman",),
}


IDENTITAS = {"nama", "email", "telepon"}
# One of each kind: anonymous, the citizen, an officer, a supervisor, an OPD of another unit, the admin.
WAKIL = {"anonim", "warga", "DMK-ADUAN/admin_koordinator", "DMK-ADUAN/pimpinan", "DMK-ADUAN/opd_bumd@unit-lain",
         "admin"}


def _boleh_tampil(name, sop, p, got):
    """The secrets a page may show this kind of user: its SOP's, to whom sees its cases (a
    refusal of an action re-renders the case page for them), a confidential identity never to
    the OPD lanes; the complaint's own text to whoever holds its tracking code."""
    if name == "aduan:lacak_detail":
        return {"uraian"}
    if name == "sop:antrian":
        sops = [sop for sop in RAHASIA_SOP if p.melihat(sop)]
    else:
        sops = [sop] if sop and p.melihat(sop) and got in (OK, BOLEH, TOLAK) else []
    allowed = {key for sop in sops for key in RAHASIA_SOP[sop]}
    if p.sop == "DMK-ADUAN" and p.per_unit:
        allowed -= IDENTITAS
    return allowed


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver("ppid.urls")  # the portal's own, not the test-only workflow's
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            if entry.namespace == "admin":
                continue
            yield from _patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{prefix}{entry.name}"


def _client(d, p):
    client = Client()
    if p.user is not None:
        client.force_login(p.user)
    if p.warga:
        # The citizen who just sent a complaint: the confirmation's signed cookie, as the form sets it.
        client.cookies[aduan_views.COOKIE_TERKIRIM] = get_cookie_signer(
            salt=aduan_views.COOKIE_TERKIRIM + aduan_views.SALT_TERKIRIM).sign(d.kode_warga)
    return client


def _outcome(response):
    status, posted = response.status_code, response.wsgi_request.method == "POST"
    if status == 302:
        if "/masuk/" in response["Location"]:
            return MASUK
        return BOLEH if posted else KEMBALI  # an action taken sends back to the case page
    if posted and status == 400:
        return BOLEH  # the lane's own form, answered with its errors
    return {200: OK, 403: TOLAK, 404: TIDAK_ADA}.get(status, str(status))


def _body(response):
    raw = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if response.get("Content-Type", "").startswith("application/pdf") and raw.startswith(b"%PDF"):
        try:
            # A PDF's text is compressed: read it as its reader would.
            return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages)
        except PdfReadError:
            return raw.decode("latin-1")
    return raw.decode("utf-8", "replace")


def _sop_of(name):
    for sop, marks in (("DMK-ADUAN", "aduan:staf"), ("CRB-OPINI", "opini:staf"), ("BUNDER-MEDSOS", "publikasi:staf"),
                       ("SRG-UJI-KONSEKUENSI", "publikasi:uji"), ("PTK-PENGUMUMAN", "publikasi:pengumuman_")):
        if name.startswith(marks) and name != "publikasi:pengumuman_publik":
            return sop
    return None


def test_every_url_of_the_portal_is_in_the_matrix():
    assert sorted(set(_patterns()) - set(MATRIX)) == [], "URLs without an entry in the access matrix"
    assert sorted(set(MATRIX) - set(_patterns())) == [], "matrix entries for URLs that no longer exist"


def test_every_kind_of_user_gets_exactly_what_its_lane_allows_and_refusals_leak_nothing(dunia):
    d = dunia
    wrong, leaks = [], []
    for p in d.peran:
        client = _client(d, p)
        for name, url in ((name, url) for name, urls in MATRIX.items()
                          for url in (urls if isinstance(urls, list) else [urls])):
            if url.wakil and p.nama not in WAKIL:
                continue
            method, path, data = url.buat(d)
            expected = url.harapan(p)
            # Each request in a savepoint rolled back: an allowed action must not change the
            # world the next kind of user is checked against.
            # Signing out is checked on a client of its own, so the walk goes on signed in.
            caller = _client(d, p) if name == "staf:keluar" else client
            with transaction.atomic():
                response = getattr(caller, method)(path, data or {})
                transaction.set_rollback(True)
            got = _outcome(response)
            if got != expected:
                wrong.append(f"{p.nama:45} {method.upper():4} {path}: {got}, expected {expected}")
            allowed_secrets = _boleh_tampil(name, url.sop or _sop_of(name), p, got)
            body = _body(response)
            for key, secret in RAHASIA.items():
                if key not in allowed_secrets and secret in body:
                    leaks.append(f"{p.nama:45} {method.upper():4} {path} ({got}) shows {key!r}")
    assert wrong == [], "\n" + "\n".join(wrong)
    assert leaks == [], "\n" + "\n".join(leaks)


def test_lists_queues_and_searches_show_a_case_only_to_whom_may_open_it(dunia):
    d = dunia
    aduan, opini = d.kasus["aduan"], d.kasus["opini"]
    for p in d.peran:
        if not p.masuk:
            continue
        client = _client(d, p)
        for path, case, sop in [
            (reverse("aduan:staf_daftar") + "?q=zonakuning", aduan, "DMK-ADUAN"),
            (reverse("aduan:staf_daftar"), aduan, "DMK-ADUAN"),
            (reverse("opini:staf_daftar") + "?q=zonabiru", opini, "CRB-OPINI"),
            (reverse("sop:antrian"), aduan, "DMK-ADUAN"),
            (reverse("sop:antrian"), opini, "CRB-OPINI"),
        ]:
            body = _body(client.get(path))
            shown = case.kode in body
            if path == reverse("sop:antrian"):
                # The queue shows work waiting for one's own lane only.
                lane = "opd_bumd" if sop == "DMK-ADUAN" else "perangkat_daerah"
                assert shown == p.giliran(sop, lane), (p.nama, path)
            else:
                assert shown == p.melihat(sop), (p.nama, path)


def test_exempt_information_is_not_found_by_search_and_its_document_is_not_served_to_anyone(dunia):
    d = dunia
    exempt = d.berkas["dip_dikecualikan"]
    for p in d.peran:
        client = _client(d, p)
        found = _body(client.get(reverse("publikasi:dip"), {"q": "zonaungu"}))
        assert exempt.judul not in found and RAHASIA["ringkasan_dik"] not in found, p.nama
        assert client.get(reverse("publikasi:dip_berkas", args=[exempt.pk])).status_code == 404, p.nama
        # Guessing: the next id that does not exist answers exactly like the exempt one.
        missing = client.get(reverse("publikasi:dip_berkas", args=[exempt.pk + 1000]))
        refused = client.get(reverse("publikasi:dip_berkas", args=[exempt.pk]))
        assert missing.status_code == refused.status_code == 404
        token = re.compile(r'"X-CSRFToken": "[^"]+"|name="csrfmiddlewaretoken" value="[^"]+"')
        assert token.sub("", _body(missing)) == token.sub("", _body(refused))


def test_a_citizen_with_one_tracking_code_reads_only_that_complaint(dunia):
    d = dunia
    p = next(p for p in d.peran if p.warga)
    client = _client(d, p)
    own = _body(client.get(reverse("aduan:lacak_detail", args=[d.kode_warga])))
    assert d.kode_warga in own and d.kasus["aduan"].kode not in own
    # Staff pages of the other complaint, reached by its code: the login page and nothing else.
    for name in ("aduan:staf_detail",):
        response = client.get(reverse(name, args=[d.kasus["aduan"].kode]))
        assert response.status_code == 302 and "/masuk/" in response["Location"]
    attachment = client.get(reverse("aduan:staf_lampiran", args=[d.kasus["aduan"].kode, d.berkas["lampiran"].pk]))
    assert attachment.status_code == 302 and "/masuk/" in attachment["Location"]


def test_the_admin_is_closed_to_all_but_admins(dunia):
    """Walked by one user of each kind: the admin's answer depends on the kind (admin or
    not), not on the lane."""
    from django.contrib import admin

    d = dunia
    kinds = [p for p in d.peran if p.nama in WAKIL]
    assert {p.nama for p in kinds} == WAKIL
    for p in kinds:
        client = _client(d, p)
        for model, model_admin in admin.site._registry.items():
            info = (model._meta.app_label, model._meta.model_name)
            for view in ("changelist", "add", "import", "export"):
                try:
                    path = reverse(f"admin:{info[0]}_{info[1]}_{view}")
                except NoReverseMatch:
                    continue
                response = client.get(path)
                if p.admin:
                    assert response.status_code in (200, 403), (p.nama, path, response.status_code)
                else:
                    assert response.status_code == 302 and "/admin/login/" in response["Location"], (p.nama, path)
