"""Load SOP documents from their data files into the database.

Each workflow's file lives in the app that runs it, named by its AppConfig's ``sop_files``
(paths relative to the app, e.g. ``aduan/sop/dmk_aduan.yaml`` is ``sop_files =
["sop/dmk_aduan.yaml"]``); ``load_all`` (and ``manage.py muat_sop``) loads those of every
installed app, ``load(path)`` any one file.

Loading is idempotent: what exists is left as it is (an admin may have adjusted a time
standard or a lane), what is missing is created. ``overwrite=True`` resets every field to the
file. A lane gets its auth Group when it is saved (``Lane.save``); the Group is the role a user
is given.

A step's ``cabang`` (the flowchart's branches, see :mod:`sop.dokumen`) came after the first
loads: a step whose ``cabang`` is still empty gets the file's, one an admin filled is kept.
"""

import re
from datetime import date
from pathlib import Path

import yaml
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Lane, Sop, Step


def _date(value):
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _upsert(model, lookup, values, overwrite, fill_empty=()):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        return obj, True
    keys = values if overwrite else [k for k in fill_empty if not getattr(obj, k) and values[k]]
    if keys:
        for key in keys:
            setattr(obj, key, values[key])
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
    return obj, False


_NOMOR = re.compile(r"^\d+[a-z]?$", re.IGNORECASE)


def _cabang(kode, item, nomors, lanes):
    """A step's branches as the file gives them, checked: each names where it goes (``ke``: a
    step's nomor, or an end text such as "selesai"); at most one has no label (the step's
    way on instead of the next row); ``pelaksana`` (where an end is drawn) is a lane."""
    where = f"{kode} langkah {item['nomor']}"
    raw = item.get("cabang") or []
    if not isinstance(raw, list):
        raise ValidationError(f"{where}: cabang harus berupa daftar")
    out = []
    for entry in raw:
        if not isinstance(entry, dict) or not str(entry.get("ke") or "").strip():
            raise ValidationError(f"{where}: setiap cabang perlu 'ke' (nomor langkah atau 'selesai')")
        unknown = set(entry) - {"label", "ke", "pelaksana"}
        if unknown:
            raise ValidationError(f"{where}: kunci cabang tidak dikenal: {', '.join(sorted(unknown))}")
        ke = str(entry["ke"]).strip()
        if _NOMOR.match(ke) and ke.lower() not in nomors:
            raise ValidationError(f"{where}: cabang ke langkah {ke!r} yang tidak ada")
        if entry.get("pelaksana") and entry["pelaksana"] not in lanes:
            raise ValidationError(f"{where}: pelaksana cabang {entry['pelaksana']!r} tidak dikenal")
        clean = {"label": str(entry.get("label") or "").strip(), "ke": ke}
        if entry.get("pelaksana"):
            clean["pelaksana"] = entry["pelaksana"]
        out.append(clean)
    if sum(1 for e in out if not e["label"]) > 1:
        raise ValidationError(f"{where}: hanya satu cabang boleh tanpa label")
    return out


@transaction.atomic
def load(path, overwrite=False):
    """Load one data file; returns the Sop. Raises ValidationError naming the bad field."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    approver = data.get("disahkan") or {}
    sop, _ = _upsert(
        Sop,
        {"kode": data["kode"]},
        {
            "nama": data["nama"],
            "nomor": data.get("nomor") or "",
            "pemerintah": data.get("pemerintah") or "",
            "instansi": data.get("instansi") or "",
            "unit_kerja": data.get("unit_kerja") or "",
            "tanggal_pembuatan": _date(data.get("tanggal_pembuatan")),
            "tanggal_revisi": _date(data.get("tanggal_revisi")),
            "tanggal_efektif": _date(data.get("tanggal_efektif")),
            "disahkan_jabatan": approver.get("jabatan") or "",
            "disahkan_nama": approver.get("nama") or "",
            "disahkan_pangkat": approver.get("pangkat") or "",
            "disahkan_nip": approver.get("nip") or "",
            "dasar_hukum": data.get("dasar_hukum") or [],
            "kualifikasi": data.get("kualifikasi") or [],
            "keterkaitan": data.get("keterkaitan") or [],
            "peralatan": data.get("peralatan") or [],
            "peringatan": data.get("peringatan") or "",
            "pencatatan": data.get("pencatatan") or [],
            "berkas_sumber": data.get("berkas_sumber") or "",
        },
        overwrite,
    )
    lanes = {}
    for order, item in enumerate(data["lanes"], start=1):
        lane, created = _upsert(
            Lane,
            {"sop": sop, "kode": item["kode"]},
            {
                "nama": item["nama"],
                "nama_en": item.get("nama_en") or "",
                "urutan": order,
                "per_unit": bool(item.get("per_unit")),
                "warga": bool(item.get("warga")),
            },
            overwrite,
        )
        if lane.group_id is None and not lane.warga:
            lane.save(update_fields=["group"])  # a lane loaded before lanes had groups: Lane.save gives it
        lanes[lane.kode] = lane
    for item in data["lanes"]:
        lane = lanes[item["kode"]]
        boss = item.get("atasan")
        if boss and boss not in lanes:
            raise ValidationError(f"{data['kode']}: atasan {boss!r} dari {item['kode']!r} bukan pelaksana SOP ini")
        if boss and (lane.atasan_id is None or overwrite):
            lane.atasan = lanes[boss]
            lane.save(update_fields=["atasan"])
    nomors = {str(item["nomor"]).lower() for item in data["steps"]}
    for item in data["steps"]:
        if item["lane"] not in lanes:
            raise ValidationError(f"{data['kode']} langkah {item['nomor']}: pelaksana {item['lane']!r} tidak dikenal")
        _upsert(
            Step,
            {"sop": sop, "urutan": item["urutan"]},
            {
                "nomor": str(item["nomor"]),
                "lane": lanes[item["lane"]],
                "state": item.get("state") or "",
                "kegiatan": item["kegiatan"],
                "kelengkapan": item.get("kelengkapan") or "",
                "waktu": item.get("waktu") or "",
                "output": item.get("output") or "",
                "keterangan": item.get("keterangan") or "",
                "tambahan": bool(item.get("tambahan")),
                "persetujuan": bool(item.get("persetujuan")),
                "dasar": item.get("dasar") or "",
                "cabang": _cabang(data["kode"], item, nomors, lanes),
            },
            overwrite,
            fill_empty=("cabang",),
        )
    return sop


def data_files():
    """The SOP data files the installed apps declare (``AppConfig.sop_files``), in
    ``INSTALLED_APPS`` order."""
    return [Path(config.path) / name for config in apps.get_app_configs()
            for name in getattr(config, "sop_files", ())]


def load_all(overwrite=False):
    """Load every installed app's SOP data files; returns the Sops."""
    return [load(path, overwrite=overwrite) for path in data_files()]
