"""Backups of the portal: the database and the uploaded files in one archive, and their restore.

``buat_cadangan`` writes ``ppid-cadangan-<UTC time>.tar.gz`` under ``PPID_BACKUP_DIR`` with:

- the database: SQLite copied through SQLite's online backup API (``basisdata.sqlite3``),
  consistent while the portal keeps running, since the copy reads one snapshot; or
  PostgreSQL through ``pg_dump --format=custom`` (``basisdata.dump``), one snapshot as well;
- ``media/``: every file under ``MEDIA_ROOT`` (complaint attachments, pictures, documents);
- ``manifest.json``: the engine, the time, the file count, the migrations applied.

``pulihkan`` puts an archive back into the configured database and ``MEDIA_ROOT``. It refuses
a database that already has tables unless asked to overwrite (``timpa``): a restore is never
an accident. The commands ``manage.py cadangkan`` / ``pulihkan`` (and ``make backup`` /
``make restore``) are thin wrappers around these two functions.
"""

import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
NAMA_POLA = "ppid-cadangan-*.tar.gz"
SQLITE_BERKAS = "basisdata.sqlite3"
PG_BERKAS = "basisdata.dump"


class CadanganGagal(Exception):
    """A backup or restore could not be done; ``str(exc)`` says why, in Bahasa Indonesia."""


def _mesin():
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise CadanganGagal(f"Basis data {vendor} tidak didukung; hanya SQLite dan PostgreSQL.")
    return vendor


# --- PostgreSQL tools --------------------------------------------------------------------

def _pg_args_env():
    sd = connection.settings_dict
    args = ["--dbname", sd["NAME"]]
    if sd.get("HOST"):
        args += ["--host", sd["HOST"]]
    if sd.get("PORT"):
        args += ["--port", str(sd["PORT"])]
    if sd.get("USER"):
        args += ["--username", sd["USER"]]
    env = dict(os.environ)
    if sd.get("PASSWORD"):
        env["PGPASSWORD"] = sd["PASSWORD"]
    return args, env


def _pg_tool(name):
    """The path of ``pg_dump``/``pg_restore``, checked against the server's major version: an
    older client refuses a newer server, so say which client to install."""
    path = shutil.which(name)
    connection.ensure_connection()
    server_major = connection.pg_version // 10000
    if path is None:
        raise CadanganGagal(
            f"{name} tidak ditemukan. Pasang klien PostgreSQL versi {server_major} "
            f"(Debian: apt-get install postgresql-client-{server_major})."
        )
    out = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    client_major = int(match.group(1)) if match else 0
    if client_major < server_major:
        raise CadanganGagal(
            f"{name} versi {client_major} lebih lama dari server PostgreSQL versi {server_major}. "
            f"Pasang postgresql-client-{server_major}."
        )
    return path


def _run(cmd, env, what):
    result = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CadanganGagal(f"{what} gagal (kode {result.returncode}): {result.stderr.strip()[-2000:]}")


# --- backup --------------------------------------------------------------------------------

def _salin_sqlite(tujuan):
    sumber = Path(connection.settings_dict["NAME"])
    if not sumber.is_file():
        raise CadanganGagal(f"Basis data SQLite {sumber} tidak ditemukan.")
    src = sqlite3.connect(sumber, timeout=30)
    dst = sqlite3.connect(tujuan)
    try:
        # The backup API copies page by page under SQLite's own locking: writers that come in
        # meanwhile are picked up (the copy restarts) or wait, so the copy is one consistent
        # state of the database while the portal runs.
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file in the archive
    finally:
        dst.close()
        src.close()


def _migrasi():
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    latest = {}
    for app, name in recorder.migration_qs.values_list("app", "name").order_by("app", "name"):
        latest[app] = name
    return latest


def buat_cadangan(folder=None):
    """Write one archive and return ``(path, number of media files)``."""
    mesin = _mesin()
    folder = Path(folder or settings.PPID_BACKUP_DIR)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    waktu = datetime.now(timezone.utc)
    nama = f"ppid-cadangan-{waktu:%Y%m%dT%H%M%SZ}"
    tujuan = folder / f"{nama}.tar.gz"
    n = 1
    while tujuan.exists():  # two backups within one second keep both
        n += 1
        tujuan = folder / f"{nama}-{n}.tar.gz"

    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".kerja-") as kerja:
        kerja = Path(kerja)
        if mesin == "sqlite":
            db_name = SQLITE_BERKAS
            _salin_sqlite(kerja / db_name)
        else:
            db_name = PG_BERKAS
            args, env = _pg_args_env()
            _run([_pg_tool("pg_dump"), "--format=custom", "--file", str(kerja / db_name), *args], env, "pg_dump")
        files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.is_dir() else []
        manifest = {
            "format": FORMAT,
            "dibuat": waktu.isoformat(),
            "mesin": mesin,
            "basisdata": db_name,
            "berkas_media": len(files),
            "migrasi": _migrasi(),
        }
        (kerja / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
        sementara = kerja / "arsip.tar.gz"
        with tarfile.open(sementara, "w:gz") as tar:
            tar.add(kerja / "manifest.json", arcname="manifest.json")
            tar.add(kerja / db_name, arcname=db_name)
            tar.add(media_root if media_root.is_dir() else kerja, arcname="media", recursive=False)
            for path in files:
                tar.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
        # The archive holds citizens' identities: readable by the owner only.
        os.chmod(sementara, 0o600)
        os.replace(sementara, tujuan)  # never a half-written archive under the final name
    return tujuan, len(files)


# --- restore -------------------------------------------------------------------------------

def cadangan_terbaru(folder=None):
    folder = Path(folder or settings.PPID_BACKUP_DIR)
    found = sorted(folder.glob(NAMA_POLA), key=lambda p: p.stat().st_mtime) if folder.is_dir() else []
    if not found:
        raise CadanganGagal(f"Belum ada cadangan di {folder}.")
    return found[-1]


def _tabel_yang_ada():
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def pulihkan(arsip, timpa=False):
    """Restore ``arsip`` into the configured database and MEDIA_ROOT. Returns the manifest."""
    arsip = Path(arsip)
    if not arsip.is_file():
        raise CadanganGagal(f"Berkas cadangan {arsip} tidak ditemukan.")
    mesin = _mesin()
    try:
        tar = tarfile.open(arsip, "r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise CadanganGagal(f"{arsip} bukan arsip cadangan portal yang dapat dibaca: {exc}") from None
    with tar, tempfile.TemporaryDirectory(dir=arsip.parent, prefix=".pulih-") as kerja:
        kerja = Path(kerja)
        try:
            manifest = json.load(tar.extractfile("manifest.json"))
        except (KeyError, ValueError):
            raise CadanganGagal(f"{arsip} tidak berisi manifest.json; bukan cadangan portal ini.") from None
        if manifest.get("format") != FORMAT:
            raise CadanganGagal(f"Format cadangan {manifest.get('format')!r} tidak dikenal (versi ini: {FORMAT}).")
        if manifest.get("mesin") != mesin:
            nama = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
            raise CadanganGagal(
                f"Cadangan ini dari basis data {nama.get(manifest.get('mesin'), manifest.get('mesin'))}, "
                f"sedangkan portal dikonfigurasi dengan {nama[mesin]}; pulihkan ke basis data sejenis."
            )
        tabel = _tabel_yang_ada()
        if tabel and not timpa:
            raise CadanganGagal(
                f"Basis data tujuan tidak kosong ({len(tabel)} tabel). Pemulihan dibatalkan agar data "
                "yang ada tidak tertimpa. Gunakan --timpa (make restore TIMPA=1) bila memang ingin "
                "menggantinya dengan isi cadangan."
            )
        # Only the database file and media/ are taken, through tarfile's "data" filter: no
        # absolute paths, no links out of the folder, no device files.
        members = [m for m in tar.getmembers() if m.name == manifest["basisdata"] or m.name.startswith("media/")]
        tar.extractall(kerja, members=members, filter="data")
        db_file = kerja / manifest["basisdata"]
        if not db_file.is_file():
            raise CadanganGagal(f"{arsip} tidak berisi {manifest['basisdata']}.")

        if mesin == "sqlite":
            _pulihkan_sqlite(db_file)
        else:
            _pulihkan_pg(db_file, clean=bool(tabel))

        media = kerja / "media"
        if media.is_dir():
            Path(settings.MEDIA_ROOT).mkdir(parents=True, exist_ok=True)
            shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return manifest


def _pulihkan_sqlite(db_file):
    target = Path(connection.settings_dict["NAME"])
    connection.close()
    src = sqlite3.connect(db_file)
    try:
        if src.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise CadanganGagal("Salinan basis data dalam cadangan rusak (integrity_check gagal).")
        target.parent.mkdir(parents=True, exist_ok=True)
        dst = sqlite3.connect(target, timeout=30)
        try:
            # Through the backup API, not a file copy: a -wal file left beside the target
            # would otherwise be replayed over the restored pages.
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def _pulihkan_pg(db_file, clean):
    args, env = _pg_args_env()
    cmd = [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if clean:
        cmd += ["--clean", "--if-exists"]
    connection.close()
    _run([*cmd, *args, str(db_file)], env, "pg_restore")
