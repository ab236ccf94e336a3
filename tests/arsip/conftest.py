"""Complaints brought to the end of their SOP at known moments (one late step, notes,
an attachment), the officers who may or may not see them, and reading PDFs back."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from aduan.models import Lampiran
from sop import services as engine
from tests.factories import AduanFactory, UnitFactory, UserFactory

WIB = ZoneInfo("Asia/Jakarta")
# Monday 23 November 2026, 09:00 WIB: the office is open.
SENIN = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)


def teks_pdf(data):
    """Every page's text of a PDF (bytes or path), whitespace folded."""
    reader = PdfReader(io.BytesIO(data) if isinstance(data, bytes) else data)
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


@pytest.fixture
def kantor(aduan_sop):
    return buat_kantor()


def buat_kantor():
    """Two units and one officer of each complaint lane (the OPD lanes in Dinas PU)."""
    pu = UnitFactory(nama="Dinas Pekerjaan Umum")
    kes = UnitFactory(nama="Dinas Kesehatan")
    return {
        "pu": pu,
        "admin": UserFactory(username="admin_k", first_name="Rina", last_name="Admin",
                             lanes=("DMK-ADUAN", "admin_koordinator")),
        "opd": UserFactory(username="opd_pu", first_name="Budi", last_name="Opd",
                           lanes=("DMK-ADUAN", "opd_bumd"), units=[pu]),
        "penghubung": UserFactory(username="penghubung_pu", first_name="Sari", last_name="Penghubung",
                                  lanes=("DMK-ADUAN", "pejabat_penghubung"), units=[pu]),
        "opd_kes": UserFactory(username="opd_kes", lanes=("DMK-ADUAN", "opd_bumd"), units=[kes]),
        "pimpinan": UserFactory(username="pimpinan", lanes=("DMK-ADUAN", "pimpinan")),
    }


def aduan_selesai(kantor, mulai=SENIN, lampiran=True, **kwargs):
    """A complaint from submission to the archive. Step 3 (15 minutes) takes 55 minutes: late;
    every other step is on time."""
    def at(minutes):
        return time_machine.travel(mulai + timedelta(minutes=minutes), tick=False)

    admin, opd, penghubung = kantor["admin"], kantor["opd"], kantor["penghubung"]
    with at(0):
        aduan = engine.start(AduanFactory(**kwargs))
        if lampiran:
            Lampiran.objects.create(aduan=aduan, nama_asli="foto-lampu-mati.jpg", jenis="image/jpeg", ukuran=2048,
                                    berkas=SimpleUploadedFile("x.jpg", b"\xff\xd8\xff" + b"0" * 2045))
    with at(5):
        aduan = engine.advance(aduan, "accept_complaint", admin, note="Aduan jelas dan lengkap.")
    with at(60):
        aduan = engine.advance(aduan, "verify_opd", admin, unit=kantor["pu"], note="Kewenangan Dinas PU.")
    with at(62):
        aduan = engine.advance(aduan, "dispatch_to_opd", admin)
    with at(120):
        aduan = engine.advance(aduan, "submit_answer", opd, jawaban="Lampu diganti hari Rabu oleh UPT PJU.")
    with at(150):
        aduan = engine.advance(aduan, "post_answer", penghubung)
    with at(155):
        aduan = engine.advance(aduan, "confirm_final", admin)
    with at(158):
        aduan = engine.advance(aduan, "archive", admin, note="Nomor agenda 045/112.")
    return aduan
