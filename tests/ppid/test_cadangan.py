"""`make backup` / `make restore`: the configured database (SQLite or PostgreSQL) and the
uploaded files go into one archive and come back, into an empty database and an empty media
folder, as the same cases. The commands run as a user runs them: `make` in a subprocess."""

import hashlib
import json
import os
import subprocess
import sys
import tarfile
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection

from aduan.models import Aduan, Lampiran
from sop import services as engine
from sop.models import Task
from tests.factories import AduanFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

BASE_DIR = Path(settings.BASE_DIR)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def snapshot():
    """What must survive a backup: cases, every Task row, attachments and their bytes. Run in
    this process and, through ``manage.py shell``, in one configured for the restored copy."""
    cases = sorted([a.kode, a.state, a.nama, a.email] for a in Aduan.objects.all())
    tasks = sorted(
        [t.kode, t.step.sop.kode, t.step.nomor, t.state, t.transition, t.note,
         t.finished_by.username if t.finished_by else None,
         t.started_at.isoformat(), t.finished_at.isoformat() if t.finished_at else None,
         t.due_at.isoformat() if t.due_at else None]
        for t in Task.objects.select_related("step__sop", "finished_by")
    )
    files = sorted(
        [item.aduan.kode, item.nama_asli, item.berkas.name, item.ukuran,
         hashlib.sha256(item.berkas.open("rb").read()).hexdigest()]
        for item in Lampiran.objects.select_related("aduan")
    )
    return {"aduan": cases, "task": tasks, "lampiran": files}


def _url(sd, name):
    if sd["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{name}"
    auth = quote(sd.get("USER") or "", safe="")
    if sd.get("PASSWORD"):
        auth += ":" + quote(sd["PASSWORD"], safe="")
    host = sd.get("HOST") or "127.0.0.1"
    port = f":{sd['PORT']}" if sd.get("PORT") else ""
    return f"postgres://{auth}{'@' if auth else ''}{host}{port}/{quote(name, safe='')}"


def _pg_admin(sql):
    sd = connection.settings_dict
    conn = psycopg2.connect(dbname="postgres", user=sd.get("USER") or None, password=sd.get("PASSWORD") or None,
                            host=sd.get("HOST") or "127.0.0.1", port=sd.get("PORT") or None)
    try:
        conn.autocommit = True  # CREATE/DROP DATABASE cannot run in a transaction
        with conn.cursor() as cur:
            cur.execute(sql)
    finally:
        conn.close()


@pytest.fixture
def empty_database(tmp_path):
    """The URL of a database that exists and has nothing in it: a new SQLite file, or a new
    PostgreSQL database beside the test database (dropped afterwards)."""
    sd = connection.settings_dict
    if connection.vendor == "sqlite":
        yield _url(sd, tmp_path / "pulih.sqlite3")
        return
    name = f"{sd['NAME']}_pulih_{uuid.uuid4().hex[:8]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        yield _url(sd, name)
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _make(target, env, *args):
    return subprocess.run(["make", "-s", "--no-print-directory", target, *args], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=300)


def _env(database_url, media_root, backup_dir):
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url,
        "PPID_MEDIA_ROOT": str(media_root),
        "PPID_BACKUP_DIR": str(backup_dir),
        "PPID_VAR_DIR": str(settings.VAR_DIR),
    })
    env.pop("MAKEFLAGS", None)
    env.pop("MAKELEVEL", None)
    return env


def _shell(env, code):
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=BASE_DIR,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _snapshot_of(env):
    out = _shell(env, "import json; from tests.ppid.test_cadangan import snapshot; print(json.dumps(snapshot()))")
    return json.loads(out.strip().splitlines()[-1])


def _cases(aduan_sop):
    admin = UserFactory(username="admin_cadangan", lanes=("DMK-ADUAN", "admin_koordinator"))
    first = engine.start(AduanFactory(nama="Siti Aminah"))
    second = engine.start(AduanFactory(nama="Budi Santoso", email="budi@contoh.id", rahasia=True))
    third = engine.start(AduanFactory(anonim=True))
    engine.advance(first, "accept_complaint", admin)
    engine.advance(third, "reject_complaint", admin, note="Aduan sudah pernah disampaikan dengan kode lain.")
    for aduan, name, data, jenis in [(first, "foto-lampu.png", PNG, "image/png"),
                                     (first, "surat.pdf", PDF, "application/pdf"),
                                     (second, "bukti.pdf", PDF + b"kedua", "application/pdf")]:
        item = Lampiran(aduan=aduan, nama_asli=name, jenis=jenis, ukuran=len(data))
        item.berkas.save(name, ContentFile(data), save=False)
        item.save()
    return [first, second, third]


def test_a_backup_restored_into_an_empty_database_and_media_folder_has_the_same_cases(
        aduan_sop, tmp_path, empty_database):
    _cases(aduan_sop)
    before = snapshot()
    assert len(before["aduan"]) == 3 and len(before["lampiran"]) == 3
    assert sorted(row[1] for row in before["aduan"]) == ["accepted", "returned_to_complainant", "submitted"]
    assert len(before["task"]) == 7  # three creations, three steps 2 (two closed), one step 3

    backups = tmp_path / "cadangan"
    live = _env(_url(connection.settings_dict, connection.settings_dict["NAME"]), settings.MEDIA_ROOT, backups)
    made = _make("backup", live)
    assert made.returncode == 0, made.stderr
    archives = list(backups.glob("ppid-cadangan-*.tar.gz"))
    assert len(archives) == 1 and "Cadangan dibuat" in made.stdout and "3 berkas unggahan" in made.stdout
    assert archives[0].stat().st_mode & 0o077 == 0  # citizens' identities: the owner's eyes only

    fresh_media = tmp_path / "media-pulih"
    restored = _env(empty_database, fresh_media, backups)
    done = _make("restore", restored, f"ARSIP={archives[0]}")
    assert done.returncode == 0, done.stderr
    assert "Dipulihkan dari" in done.stdout
    assert _snapshot_of(restored) == before
    for kode, _nama, path, size, _digest in before["lampiran"]:
        assert (fresh_media / path).read_bytes() == (Path(settings.MEDIA_ROOT) / path).read_bytes()

    # Once it holds data, a second restore is refused with the reason and the way to force it,
    # and nothing changes; TIMPA=1 puts the backup back over what was done since.
    refused = _make("restore", restored)  # the newest archive in PPID_BACKUP_DIR
    assert refused.returncode != 0
    assert "Basis data tujuan tidak kosong" in refused.stderr and "--timpa" in refused.stderr, refused.stderr
    _shell(restored, "from aduan.models import Aduan; Aduan.objects.filter(anonim=True).delete()")
    assert len(_snapshot_of(restored)["aduan"]) == 2
    forced = _make("restore", restored, "TIMPA=1")
    assert forced.returncode == 0, forced.stderr
    assert _snapshot_of(restored) == before


def test_restore_refuses_a_backup_of_the_other_kind_of_database(tmp_path, db):
    """A SQLite archive is not poured into PostgreSQL (or the other way round)."""
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    archive = tmp_path / "ppid-cadangan-20260101T000000Z.tar.gz"
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"format": 1, "mesin": other, "basisdata": "basisdata.dump",
                                    "dibuat": "2026-01-01T00:00:00+00:00", "berkas_media": 0}))
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(manifest, arcname="manifest.json")
    env = _env(_url(connection.settings_dict, connection.settings_dict["NAME"]), tmp_path / "m", tmp_path)
    result = _make("restore", env, f"ARSIP={archive}", "TIMPA=1")
    assert result.returncode != 0
    assert "pulihkan ke basis data sejenis" in result.stderr, result.stderr


def test_a_backup_taken_while_complaints_keep_arriving_is_one_consistent_state(aduan_sop, tmp_path, empty_database):
    """`make backup` while the portal writes: the copy is one moment of the database, each
    complaint with its Tasks, none half-written."""
    stop, made, errors = threading.Event(), [], []

    def citizens():
        try:
            while not stop.is_set():
                made.append(engine.start(AduanFactory(email="")).kode)
        except Exception as exc:  # shown by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    writer = threading.Thread(target=citizens)
    writer.start()
    try:
        deadline = time.monotonic() + 30
        while len(made) < 5 and time.monotonic() < deadline and not errors:
            time.sleep(0.05)
        backups = tmp_path / "cadangan"
        made_backup = _make("backup", _env(_url(connection.settings_dict, connection.settings_dict["NAME"]),
                                           settings.MEDIA_ROOT, backups))
        during = len(made)
    finally:
        stop.set()
        writer.join(timeout=60)
    assert not errors and made_backup.returncode == 0, (errors, made_backup.stderr)
    assert len(made) > during or during >= 5  # complaints kept arriving around the backup

    restored = _env(empty_database, tmp_path / "media-pulih", backups)
    done = _make("restore", restored)
    assert done.returncode == 0, done.stderr
    copy = _snapshot_of(restored)
    kodes = [row[0] for row in copy["aduan"]]
    assert 5 <= len(kodes) <= len(made) and set(kodes) <= set(made)
    # Every complaint in the copy has both of its Task rows (step 1 done, step 2 waiting), and
    # no Task belongs to a complaint the copy does not have.
    per_case = {}
    for task in copy["task"]:
        per_case.setdefault(task[0], []).append((task[2], task[4]))
    assert set(per_case) == set(kodes)
    assert all(sorted(rows) == [("1", "dibuat"), ("2", "")] for rows in per_case.values()), per_case
