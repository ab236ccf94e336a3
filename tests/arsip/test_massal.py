"""The bulk archive with Celery eager: the form, the job, the ZIP and its index, failures,
a dead worker's job and its retry, and who may download."""

import io
import zipfile
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from arsip import services
from arsip.models import ArsipMassal
from arsip.tasks import sapu
from sop import services as engine
from sop.models import Sop
from tests.factories import AduanFactory, UserFactory

from .conftest import SENIN, WIB, aduan_selesai, teks_pdf

pytestmark = pytest.mark.django_db
PERIODE = {"sop": "DMK-ADUAN", "mulai": "2026-11-20", "sampai": "2026-11-23"}


@pytest.fixture
def superuser():
    return UserFactory(username="kepala_arsip", first_name="Kepala", last_name="Arsip", is_staff=True,
                       is_superuser=True)


@pytest.fixture
def kasus(kantor):
    """Three complaints closed in the period, one closed before it, one closed just after
    midnight WIB following its last day (still 23 November in UTC), one still open."""
    inside = [aduan_selesai(kantor, mulai=SENIN + timedelta(hours=h)) for h in (-72, 0, 2)]
    before = aduan_selesai(kantor, mulai=SENIN - timedelta(days=7))
    after_midnight = aduan_selesai(kantor, mulai=datetime(2026, 11, 23, 21, 32, tzinfo=WIB))
    still_open = engine.start(AduanFactory())
    return {"inside": inside, "outside": [before, after_midnight, still_open]}


def minta(client, user, data, capture):
    client.force_login(user)
    with capture(execute=True):
        return client.post(reverse("arsip:massal"), data)


def isi_zip(response):
    data = b"".join(response.streaming_content)
    return zipfile.ZipFile(io.BytesIO(data))


def test_a_bulk_archive_holds_one_pdf_per_closed_case_and_an_index(
        client, kasus, superuser, django_capture_on_commit_callbacks):
    response = minta(client, superuser, PERIODE, django_capture_on_commit_callbacks)
    job = ArsipMassal.objects.get()
    assert response.status_code == 302 and response.url == reverse("arsip:massal_detail", args=[job.pk])
    assert (job.status, job.total, job.selesai, job.percobaan) == ("selesai", 3, 3, 1)

    page = client.get(response.url).content.decode()
    assert "Selesai" in page and reverse("arsip:massal_unduh", args=[job.pk]) in page
    assert "hx-trigger" not in page  # nothing left to poll

    download = client.get(reverse("arsip:massal_unduh", args=[job.pk]))
    assert download.status_code == 200
    assert "arsip-DMK-ADUAN-20261120-20261123.zip" in download["Content-Disposition"]
    archive = isi_zip(download)
    inside = {a.kode for a in kasus["inside"]}
    assert sorted(archive.namelist()) == sorted([f"kasus/{k}.pdf" for k in inside] + ["indeks.pdf"])
    for kode in inside:
        text = teks_pdf(archive.read(f"kasus/{kode}.pdf"))
        assert kode in text and "Nomor SOP: DINKOMINFO/4/1/32/2020" in text
    index = teks_pdf(archive.read("indeks.pdf"))
    assert all(kode in index for kode in inside)
    assert not any(a.kode in index for a in kasus["outside"])
    assert "3 kasus, 3 langkah terlambat" in index
    # Oldest closing first: the case closed on Friday comes before Monday's.
    friday, monday = kasus["inside"][0].kode, kasus["inside"][1].kode
    assert index.index(friday) < index.index(monday)


def test_the_index_is_joined_from_parts_when_the_period_is_long(
        client, kasus, superuser, django_capture_on_commit_callbacks, monkeypatch):
    monkeypatch.setattr(services, "BARIS_INDEKS_PER_BAGIAN", 2)
    minta(client, superuser, PERIODE, django_capture_on_commit_callbacks)
    job = ArsipMassal.objects.get()
    index = teks_pdf(zipfile.ZipFile(job.berkas.path).read("indeks.pdf"))
    assert all(a.kode in index for a in kasus["inside"])
    assert index.count("Kasus selesai 20-11-2026 s.d. 23-11-2026") == 1  # the heading once, on the first part


def test_a_render_error_is_recorded_on_the_job_shown_on_its_page_and_leaves_nothing_to_download(
        client, kasus, superuser, django_capture_on_commit_callbacks, monkeypatch, settings, caplog):
    real = services.tulis_pdf_kasus
    broken = kasus["inside"][1].kode

    def failing(case, *args, **kwargs):
        if case.kode == broken:
            raise ValueError("tabel terlalu lebar")
        return real(case, *args, **kwargs)

    monkeypatch.setattr(services, "tulis_pdf_kasus", failing)
    minta(client, superuser, PERIODE, django_capture_on_commit_callbacks)
    job = ArsipMassal.objects.get()
    assert job.status == "gagal" and job.selesai == 1 and not job.berkas
    assert job.pesan_galat.startswith(f"Arsip gagal disusun: PDF kasus {broken} tidak dapat disusun")
    page = client.get(reverse("arsip:massal_detail", args=[job.pk])).content.decode()
    assert f"PDF kasus {broken} tidak dapat disusun" in page and "Coba lagi" in page
    # The exception's own text goes to the log, never to the admin's page.
    assert "tabel terlalu lebar" not in job.pesan_galat and "tabel terlalu lebar" not in page
    assert "tabel terlalu lebar" in caplog.text
    assert client.get(reverse("arsip:massal_unduh", args=[job.pk])).status_code == 404
    assert list((settings.MEDIA_ROOT / "arsip").iterdir()) == []  # no half-written ZIP left behind

    # Fixed, the retry completes it as a second attempt.
    monkeypatch.setattr(services, "tulis_pdf_kasus", real)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("arsip:massal_ulang", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.total, job.percobaan, job.pesan_galat) == ("selesai", 3, 2, "")
    assert client.get(reverse("arsip:massal_unduh", args=[job.pk])).status_code == 200
    # A second retry of a finished job is refused.
    assert client.post(reverse("arsip:massal_ulang", args=[job.pk])).status_code == 409


def test_an_unexpected_failure_tells_the_admin_what_to_do_and_logs_the_exception(
        client, kasus, superuser, django_capture_on_commit_callbacks, monkeypatch, caplog):
    # As a package missing from the installation (requirements.txt) did under `make run`.
    def missing(*args, **kwargs):
        raise ModuleNotFoundError("No module named 'pypdf'")

    monkeypatch.setattr(services, "_tulis_indeks", missing)
    minta(client, superuser, PERIODE, django_capture_on_commit_callbacks)
    job = ArsipMassal.objects.get()
    assert job.status == "gagal" and job.pesan_galat == services.PESAN_GAGAL
    page = client.get(reverse("arsip:massal_detail", args=[job.pk])).content.decode()
    assert "Arsip gagal disusun." in page and "Coba lagi" in page
    assert "ModuleNotFoundError" not in page and "pypdf" not in page
    assert "No module named 'pypdf'" in caplog.text


@pytest.mark.parametrize("data, message", [
    ({**PERIODE, "mulai": "2026-11-23", "sampai": "2026-11-20"}, "Tanggal akhir tidak boleh sebelum tanggal awal."),
    ({**PERIODE, "sop": "TIDAK-ADA"}, "SOP yang dipilih tidak dikenal."),
    ({**PERIODE, "mulai": "23/13/2026"}, "Tanggal awal tidak terbaca"),
    ({**PERIODE, "sampai": ""}, "Isi tanggal akhir."),
])
def test_bad_input_is_refused_with_a_message_and_queues_nothing(
        client, sops, superuser, data, message, django_capture_on_commit_callbacks):
    response = minta(client, superuser, data, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ArsipMassal.objects.exists()


def test_only_admins_make_bulk_archives_and_only_the_creator_or_a_superuser_downloads(
        client, kasus, kantor, superuser, django_capture_on_commit_callbacks):
    # An officer without the permission: refused.
    client.force_login(kantor["admin"])
    assert client.get(reverse("arsip:massal")).status_code == 403
    assert client.post(reverse("arsip:massal"), PERIODE).status_code == 403

    # Staff with the permission make their own, and may not open another's.
    archivist = UserFactory(username="arsiparis", is_staff=True)
    archivist.user_permissions.add(Permission.objects.get(codename="buat_arsip_massal"))
    minta(client, archivist, PERIODE, django_capture_on_commit_callbacks)
    mine = ArsipMassal.objects.get(dibuat_oleh=archivist)
    assert mine.status == "selesai"
    assert client.get(reverse("arsip:massal_unduh", args=[mine.pk])).status_code == 200

    minta(client, superuser, PERIODE, django_capture_on_commit_callbacks)
    theirs = ArsipMassal.objects.get(dibuat_oleh=superuser)
    client.force_login(archivist)
    for name in ("massal_detail", "massal_unduh"):
        assert client.get(reverse(f"arsip:{name}", args=[theirs.pk])).status_code == 404
    # A superuser may open any.
    client.force_login(superuser)
    assert client.get(reverse("arsip:massal_unduh", args=[mine.pk])).status_code == 200


def test_a_job_whose_worker_died_is_marked_failed_once_and_a_retry_completes_it(
        client, kasus, superuser, django_capture_on_commit_callbacks):
    # What a worker killed mid-archive leaves: running, its heartbeat old, a partial file.
    job = ArsipMassal.objects.create(sop=Sop.objects.get(kode="DMK-ADUAN"), mulai="2026-11-20", sampai="2026-11-23", dibuat_oleh=superuser,
                                     status="berjalan", total=3, selesai=1,
                                     detak=timezone.now() - services.MACET_BERJALAN - timedelta(seconds=5))
    leftover = services._folder() / f"massal-{job.pk}-1.zip.part"
    leftover.write_bytes(b"PK\x03\x04 half")
    fresh = ArsipMassal.objects.create(sop=job.sop, mulai=job.mulai, sampai=job.sampai, dibuat_oleh=superuser,
                                       status="berjalan", total=3, selesai=2, detak=timezone.now())

    assert sapu.delay().get() == 1  # the beat sweep
    assert sapu.delay().get() == 0  # idempotent
    job.refresh_from_db()
    fresh.refresh_from_db()
    assert job.status == "gagal" and "worker tidak memberi tanda hidup" in job.pesan_galat
    assert fresh.status == "berjalan"  # a live worker's job is left alone

    client.force_login(superuser)
    page = client.get(reverse("arsip:massal_detail", args=[job.pk])).content.decode()
    assert "kemungkinan worker mati" in page and "Coba lagi" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("arsip:massal_ulang", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.total, job.percobaan) == ("selesai", 3, 2)
    assert not leftover.exists()
    # The first attempt's task, arriving late (a redelivered message), does nothing.
    assert services.susun(job.pk, 1) == "dilewati"


def test_the_page_polls_while_the_job_runs(client, sops, superuser):
    job = ArsipMassal.objects.create(sop=Sop.objects.get(kode="DMK-ADUAN"), mulai="2026-11-20",
                                     sampai="2026-11-23", dibuat_oleh=superuser, status="berjalan", total=40,
                                     selesai=10, detak=timezone.now())
    client.force_login(superuser)
    page = client.get(reverse("arsip:massal_detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page and "10 dari 40 kasus disusun (25%)" in page
    assert '<progress id="bilah-kemajuan" class="kemajuan" max="40" value="10">' in page
    partial = client.get(reverse("arsip:massal_detail", args=[job.pk]), headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and "bilah-kemajuan" in partial.content.decode()


def test_the_staff_menu_offers_bulk_archives_only_to_whom_may_make_them(client, sops, superuser):
    officer = UserFactory(username="kasi_menu", lanes=("CRB-OPINI", "kasi_pop"))
    client.force_login(officer)
    assert reverse("arsip:massal") not in client.get(reverse("sop:antrian")).content.decode()
    client.force_login(superuser)
    assert reverse("arsip:massal") in client.get(reverse("sop:antrian")).content.decode()
    archivist = UserFactory(username="arsiparis", is_staff=True)
    archivist.user_permissions.add(Permission.objects.get(codename="buat_arsip_massal"))
    client.force_login(archivist)
    assert reverse("arsip:massal") in client.get(reverse("sop:antrian")).content.decode()
