"""Bulk archives through the real broker and a real Celery worker: one completes, and one
whose worker is killed (SIGKILL) in the middle is marked failed and completed by a retry.

``PPID_ARSIP_N`` sets how many closed complaints the first test archives (12 by default; the
timing in README.md was measured with 1,000). It prints the time and the pages per second.
"""

import io
import os
import shutil
import time
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from aduan.models import Aduan
from arsip import services
from arsip.models import ArsipMassal
from arsip.tasks import sapu
from sop.models import Task
from tests.arsip.conftest import SENIN, aduan_selesai, buat_kantor, teks_pdf
from tests.factories import UserFactory

from .conftest import wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]
PERIODE = {"sop": "DMK-ADUAN", "mulai": "2026-11-23", "sampai": "2026-11-23"}


@pytest.fixture
def kantor(aduan_sop):
    return buat_kantor()


@pytest.fixture
def media(settings):
    """The worker's MEDIA_ROOT (its settings read the same variables), emptied of archives."""
    root = Path(os.environ.get("PPID_MEDIA_ROOT") or settings.VAR_DIR / "media").resolve()
    shutil.rmtree(root / "arsip", ignore_errors=True)
    settings.MEDIA_ROOT = root
    return root


def salinan(aduan, n):
    """``n`` copies of a closed complaint with its whole Task history, inserted in bulk (the
    engine would take minutes for a thousand)."""
    tasks = list(Task.objects.of_case(aduan).order_by("id"))
    copies = []
    for _ in range(n):
        copy = Aduan.objects.get(pk=aduan.pk)
        copy.pk = copy.id = None
        copy.kode = ""
        copy.save()
        copies.append(copy)
    rows = []
    for copy in copies:
        for task in tasks:
            rows.append(Task(**{
                f.attname: getattr(task, f.attname) for f in Task._meta.concrete_fields if f.attname != "id"
            } | {"case_id": copy.pk, "kode": copy.kode, "case_type_id": ContentType.objects.get_for_model(Aduan).pk}))
    Task.objects.bulk_create(rows, batch_size=2000)
    return copies


def minta(client, user):
    client.force_login(user)
    response = client.post(reverse("arsip:massal"), PERIODE)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ArsipMassal.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


def selesai(job_pk, timeout):
    return wait_until(
        lambda: ArsipMassal.objects.filter(pk=job_pk).exclude(status__in=["antri", "berjalan"]).first(),
        timeout=timeout, interval=0.5, message="the bulk archive to end",
    )


def test_a_bulk_archive_built_by_a_real_worker_completes(kantor, workers, media, client):
    n = int(os.environ.get("PPID_ARSIP_N", "12"))
    workers.ensure(w1={})
    boss = UserFactory(username="kepala", is_staff=True, is_superuser=True)
    first = aduan_selesai(kantor, mulai=SENIN)
    cases = [first] + salinan(first, n - 1)

    started = time.monotonic()
    job = minta(client, boss)
    job = selesai(job.pk, timeout=60 + n * 2)
    elapsed = time.monotonic() - started
    assert job.status == "selesai", job.pesan_galat
    assert (job.total, job.selesai, job.percobaan) == (n, n, 1)

    with zipfile.ZipFile(media / job.berkas.name) as archive:
        names = archive.namelist()
        assert sorted(names) == sorted([f"kasus/{c.kode}.pdf" for c in cases] + ["indeks.pdf"])
        pages = sum(len(PdfReader(io.BytesIO(archive.read(name))).pages) for name in names)
        index = teks_pdf(archive.read("indeks.pdf"))
        assert all(c.kode in index for c in cases)
        sample = teks_pdf(archive.read(f"kasus/{cases[-1].kode}.pdf"))
        assert cases[-1].kode in sample and "8 langkah, 1 terlambat" in sample
    print(f"\nbulk archive of {n} cases through a real worker: {elapsed:.1f} s, {pages} pages, "
          f"{pages / elapsed:.1f} pages/s, {n / elapsed:.1f} cases/s, ZIP {job.ukuran / 1e6:.1f} MB")


def test_a_worker_killed_mid_archive_leaves_the_job_failed_and_a_retry_completes_it(
        kantor, workers, media, client):
    n = 40
    workers.ensure(w1={})
    worker = workers.running["w1"]
    boss = UserFactory(username="kepala", is_staff=True, is_superuser=True)
    first = aduan_selesai(kantor, mulai=SENIN, lampiran=False)
    salinan(first, n - 1)

    job = minta(client, boss)
    wait_until(lambda: ArsipMassal.objects.filter(pk=job.pk, selesai__gte=3).exists(), timeout=60,
               interval=0.05, message="the worker to be part-way")
    worker.proc.kill()  # SIGKILL: no cleanup, no goodbye
    worker.proc.wait(timeout=10)
    job.refresh_from_db()
    assert job.status == "berjalan" and 3 <= job.selesai < n
    leftovers = list((media / "arsip").glob(f"massal-{job.pk}-1.*"))
    assert leftovers  # the dead attempt's partial ZIP
    assert not job.berkas

    # Nothing more happens: the heartbeat stays where the worker died. (The worker was the
    # only one running and is reaped above, so no process is left to beat; no real wait.)
    beat = job.detak
    job.refresh_from_db()
    assert job.detak == beat and job.status == "berjalan"
    # Until the heartbeat is stale, neither the page nor the sweep calls it dead: ten seconds
    # before it is, on this process's clock (the sweep and the page read it).
    with time_machine.travel(beat + services.MACET_BERJALAN - timedelta(seconds=10), tick=False):
        page = client.get(reverse("arsip:massal_detail", args=[job.pk])).content.decode()
        assert sapu() == 0
    job.refresh_from_db()
    assert job.status == "berjalan" and "kemungkinan worker mati" not in page

    # Two minutes later, the page (or the beat sweep, whichever comes first) marks it failed, once.
    with time_machine.travel(timezone.now() + services.MACET_BERJALAN + timedelta(seconds=10), tick=True):
        page = client.get(reverse("arsip:massal_detail", args=[job.pk])).content.decode()
        assert sapu() == 0
    job.refresh_from_db()
    assert job.status == "gagal" and "kemungkinan worker mati" in job.pesan_galat
    assert "kemungkinan worker mati" in page and "Coba lagi" in page
    assert client.get(reverse("arsip:massal_unduh", args=[job.pk])).status_code == 404

    # "Coba lagi" with a worker back: the job completes as its second attempt.
    workers.ensure(w1={})
    response = client.post(reverse("arsip:massal_ulang", args=[job.pk]))
    assert response.status_code == 302
    job = selesai(job.pk, timeout=120)
    assert job.status == "selesai", job.pesan_galat
    assert (job.total, job.selesai, job.percobaan) == (n, n, 2)
    assert not any(p.exists() for p in leftovers)
    with zipfile.ZipFile(media / job.berkas.name) as archive:
        assert len(archive.namelist()) == n + 1 and archive.testzip() is None
    download = client.get(reverse("arsip:massal_unduh", args=[job.pk]))
    assert download.status_code == 200
