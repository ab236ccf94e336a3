"""Fuzzing the public complaint form and the tracking page through Django's test client.

Whatever is posted (any unicode, NUL bytes, huge strings, several values for one field, a
file where text belongs, missing fields, random files under any name), the answer is never a
500, and after each example either exactly one complete case was stored (the Aduan, its one
open Task, every attachment sent) with a 302, or nothing at all with a 4xx.
"""

import os
import time
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import HealthCheck, event, given, settings, strategies as st

from aduan.forms import AduanForm
from aduan.models import Aduan, Lampiran
from sop import services as engine
from sop.models import Task

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"

class Besar(str):
    """A huge string that prints its length, not itself, in Hypothesis's reports."""

    def __repr__(self):
        return f"<{len(self)} karakter>"


# Text that breaks things: NUL and other control characters, right-to-left marks, emoji,
# markup, SQL, and lengths around and far beyond the limits.
nasty = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=20, max_size=400),
    st.sampled_from(["\x00", "a\x00b" * 10, "\u202e\u200b\ufeff" * 10, "\U0001f4a9" * 30, "<script>alert(1)</script>",
                     "'; DROP TABLE aduan_aduan; --", " " * 40, "\r\n" * 30]),
    st.integers(min_value=1, max_value=6100).map(lambda n: Besar("x" * n)),
    # Over DATA_UPLOAD_MAX_MEMORY_SIZE (2 MB) for the whole form: Django's own 400.
    st.just(Besar("y" * 2_100_000)),
)
valid_uraian = st.just("Jalan di depan Pasar Bintoro berlubang besar dan membahayakan pengendara motor.")


def wild(valid, text=nasty):
    """A field's value gone wrong: wild text, several values, a file where text belongs, or
    nothing at all (None: the field is left out)."""
    return st.one_of(
        text,
        st.lists(st.one_of(valid, text), min_size=2, max_size=3),
        st.builds(lambda b: SimpleUploadedFile("teks.txt", b), st.binary(max_size=50)),
        st.none(),
    )


upload = st.builds(
    lambda name, content: SimpleUploadedFile(name, content),
    st.one_of(st.sampled_from(["foto.png", "surat.pdf", "foto.jpg", "shell.php.jpg", "x.docx"]),
              # A name the test client can send at all (SimpleUploadedFile refuses "a/", "..").
              st.text(min_size=1, max_size=300).filter(lambda n: os.path.basename(n) not in {"", ".", ".."})),
    st.one_of(st.sampled_from([PNG, PDF, JPG, b"<?php echo 1; ?>", b"<html></html>", b"PK\x03\x04" + b"\x00" * 30,
                               b""]),
              st.binary(max_size=400)),
)


def token(seconds_ago):
    return AduanForm.sign_start(time.time() - seconds_ago)


VALID = {
    "uraian": valid_uraian,
    "lokasi": st.just("Jl. Sultan Fatah, Kecamatan Demak"),
    "kategori": st.sampled_from([c for c, _ in Aduan.Kategori.choices]),
    "tanggal_kejadian": st.sampled_from(["", "2025-06-01", "2026-01-31"]),
    "anonim": st.sampled_from(["", "on"]),
    "rahasia": st.sampled_from(["", "on"]),
    "nama": st.sampled_from(["", "Ahmad Fauzi", "Siti Nur'aini"]),
    "email": st.sampled_from(["", "warga@contoh.id"]),
    "telepon": st.sampled_from(["", "0812 3456 7890", "+62 812-3456-7890"]),
    "situs_web": st.sampled_from([None, ""]),
    "dimulai": st.builds(token, st.just(600)),
    "lampiran": st.one_of(st.none(), st.lists(upload, max_size=4)),
}
WILD = {
    **{name: wild(valid) for name, valid in VALID.items()},
    "tanggal_kejadian": wild(VALID["tanggal_kejadian"], st.one_of(
        nasty, st.sampled_from(["0000-00-00", "9999-12-31", "2025-02-30", "-1"]))),
    "situs_web": nasty,
    "dimulai": st.one_of(st.builds(token, st.just(0)), nasty, st.none()),
    "lampiran": st.lists(upload, min_size=1, max_size=5),
}


@st.composite
def form_data(draw):
    """A plausible complaint with up to four fields gone wrong (none, sometimes)."""
    broken = draw(st.sets(st.sampled_from(sorted(VALID)), max_size=4))
    return {name: draw(WILD[name] if name in broken else VALID[name]) for name in VALID}


def counts():
    return Aduan.objects.count(), Task.objects.count(), Lampiran.objects.count()


@pytest.fixture
def fuzz_settings(settings):
    settings.PPID_ADUAN_MIN_DETIK = 3  # the signed fill time is fuzzed too
    settings.PPID_ATTACHMENT_MAX_BYTES = 300  # random files cross the size limit too
    return settings


@FUZZ
@given(data=form_data())
def test_the_complaint_form_stores_one_complete_case_or_nothing_and_never_fails(aduan_sop, fuzz_settings, data):
    client = Client()
    posted = {k: v for k, v in data.items() if v is not None}
    files = posted.get("lampiran") or []
    for item in files:
        item.seek(0)
    before = counts()
    response = client.post("/aduan/baru/", posted)
    after = counts()
    event(f"HTTP {response.status_code}")  # --hypothesis-show-statistics: both outcomes occur
    assert response.status_code in (302, 400, 413), response.status_code
    if response.status_code == 302:
        aduan = Aduan.objects.order_by("-pk").first()
        tasks = list(engine.timeline(aduan))  # step 1 done, step 2 open
        # Every file the request carried is kept. Django's multipart parser drops, before any
        # view runs, a file whose name is nothing once cleaned ("\x1f", "a/"): no browser sends one.
        received = response.wsgi_request.FILES.getlist("lampiran")
        assert after == (before[0] + 1, before[1] + len(tasks), before[2] + len(received))
        assert [t.step.nomor for t in tasks if t.finished_at is None] == ["2"]
        if aduan.anonim:
            assert (aduan.nama, aduan.email, aduan.telepon, aduan.rahasia) == ("", "", "", False)
        for item in aduan.lampiran.all():
            assert "\x00" not in item.nama_asli and len(item.nama_asli) <= 200
    else:
        assert after == before
        if response.status_code == 400:
            page = response.content.decode()
            assert "Aduan belum terkirim" in page or "Permintaan tidak valid" in page


@FUZZ
@given(kode=st.one_of(nasty, st.from_regex(r"ADU-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", fullmatch=True)),
       where=st.sampled_from(["query", "path"]))
def test_the_tracking_page_answers_any_code_without_failing(aduan_sop, kode, where):
    client = Client()
    if where == "query":
        response = client.get("/lacak/", {"kode": kode})
        assert response.status_code in (302, 400), response.status_code
    else:
        response = client.get(f"/lacak/{quote(kode, safe='')}/")
        assert response.status_code in (400, 404), response.status_code
