"""Reminders the register needs beyond the SOP steps, run by Celery beat (idempotent):

- an exempt item whose exemption period ends within 30 days: the PPID Utama (Serang SOP) is
  reminded to review it (Perki 1/2017: an exemption has a period);
- a berkala item due for its periodic update (at least every six months, UU 14/2008 Pasal 9):
  the PPID Pelaksana of its unit (Pontianak SOP) is reminded, 14 days ahead.

Each item is claimed with a conditional update before its messages are written, so two
workers never remind twice; the claim and the outbox rows commit together.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from sop.kalender import kalender
from sop.models import Lane, Notifikasi

from .models import InformasiPublik
from .models.dip import PEMUTAKHIRAN_BERKALA, Kelas

TINJAU_SEBELUM = timedelta(days=30)
MUTAKHIR_SEBELUM = timedelta(days=14)


def _members(sop_kode, lane_kode, unit=None):
    lane = Lane.objects.filter(sop__kode=sop_kode, kode=lane_kode).first()
    if lane is None or lane.group_id is None:
        return []
    users = get_user_model().objects.filter(is_active=True, groups=lane.group_id).exclude(email="")
    if lane.per_unit and unit is not None:
        users = users.filter(units=unit)
    return list(users)


def _remind(item, field, users, subject, body, now):
    with transaction.atomic():
        claimed = InformasiPublik.objects.filter(pk=item.pk, **{f"{field}__isnull": True}).update(**{field: now})
        if not claimed:
            return 0
        not_before = kalender().next_office_moment(now)  # staff mail in office hours
        Notifikasi.objects.bulk_create(
            Notifikasi(jenis=Notifikasi.PENGINGAT, penerima=u, email=u.email, subjek=subject, isi=body,
                       not_before=not_before, next_attempt_at=not_before) for u in users)
        return 1


def kirim_pengingat(now=None):
    """Returns (exemptions to review, berkala updates due) reminded in this run."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    reviews = updates = 0
    for item in InformasiPublik.objects.filter(kelas=Kelas.DIKECUALIKAN, tinjau_diingatkan__isnull=True,
                                               dikecualikan_sampai__lte=today + TINJAU_SEBELUM):
        body = (f"Masa pengecualian \u201c{item.judul}\u201d ({item.unit}) berakhir {item.dikecualikan_sampai:%d-%m-%Y}.\n"
                f"Mohon tinjau kembali: perpanjang melalui uji konsekuensi baru, atau buka informasinya.\n"
                f"{settings.PPID_SITE_URL}/informasi-publik/dikecualikan/")
        reviews += _remind(item, "tinjau_diingatkan", _members("SRG-UJI-KONSEKUENSI", "ppid_utama"),
                           f"[Tinjau pengecualian] {item.judul}", body, now)
    cutoff = today + MUTAKHIR_SEBELUM - PEMUTAKHIRAN_BERKALA
    for item in InformasiPublik.objects.filter(kelas=Kelas.BERKALA, pemutakhiran_diingatkan__isnull=True,
                                               diterbitkan__lte=cutoff).select_related("unit"):
        body = (f"Informasi berkala \u201c{item.judul}\u201d diterbitkan {item.diterbitkan:%d-%m-%Y} dan wajib "
                f"dimutakhirkan paling lambat {item.pemutakhiran_berikut:%d-%m-%Y} (sekurang-kurangnya 6 bulan sekali).")
        updates += _remind(item, "pemutakhiran_diingatkan", _members("PTK-PENGUMUMAN", "ppid_pelaksana", item.unit),
                           f"[Pemutakhiran berkala] {item.judul}", body, now)
    return reviews, updates
