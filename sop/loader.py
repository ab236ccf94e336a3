"""Load SOP documents from the project's data files (``sop/data/*.yaml``) into the database.

Loading is idempotent: what exists is left as it is (an admin may have adjusted a time
standard or a lane), what is missing is created. ``overwrite=True`` resets every field to the
file. A lane gets its auth Group on creation; the Group is the role a user is given.
"""

from datetime import date
from pathlib import Path

import yaml
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Lane, Sop, Step

DATA_DIR = Path(__file__).resolve().parent / "data"


def _date(value):
    if value in (None, ""):
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _upsert(model, lookup, values, overwrite):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        return obj, True
    if overwrite:
        for key, value in values.items():
            setattr(obj, key, value)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
    return obj, False


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
            lane.group, _ = Group.objects.get_or_create(name=lane.group_name())
            lane.save(update_fields=["group"])
        lanes[lane.kode] = lane
    for item in data["lanes"]:
        lane = lanes[item["kode"]]
        boss = item.get("atasan")
        if boss and boss not in lanes:
            raise ValidationError(f"{data['kode']}: atasan {boss!r} dari {item['kode']!r} bukan pelaksana SOP ini")
        if boss and (lane.atasan_id is None or overwrite):
            lane.atasan = lanes[boss]
            lane.save(update_fields=["atasan"])
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
            },
            overwrite,
        )
    return sop


def load_all(overwrite=False):
    return [load(path, overwrite=overwrite) for path in sorted(DATA_DIR.glob("*.yaml"))]
