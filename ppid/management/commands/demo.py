"""``manage.py demo``: units, one demo user per lane, and a few complaints (idempotent)."""

import os
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from aduan.models import Aduan
from opini.models import Opini
from publikasi.models import InformasiPublik, Publikasi
from sop import services as engine
from sop.loader import load_all
from sop.models import Lane, Unit

UNITS = [
    ("Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR"),
    ("Dinas Kesehatan", "Dinkes"),
    ("Dinas Pendidikan dan Kebudayaan", "Disdikbud"),
    ("Dinas Lingkungan Hidup", "DLH"),
    ("Perumda Air Minum Kabupaten Demak", "PDAM"),
]

COMPLAINTS = [
    ("infrastruktur", "Jl. Sultan Fatah depan Pasar Bintoro, Kecamatan Demak",
     "Jalan berlubang besar di depan pasar sudah dua minggu dan membahayakan pengendara motor pada malam hari."),
    ("kesehatan", "Puskesmas Mranggen I",
     "Antrean pendaftaran di puskesmas sangat panjang dan loket baru dibuka pukul 08.30 padahal jadwal 07.30."),
    ("lingkungan", "Desa Betahwalang, Kecamatan Bonang",
     "Sampah menumpuk di tepi sungai dan tidak diangkut sejak awal bulan, menimbulkan bau tidak sedap."),
]

OPINIONS = [
    ("instagram", "https://www.instagram.com/p/DemoAlunAlun1/", "@warga_kejaksan",
     "Lampu taman di alun-alun Kejaksan sudah sebulan mati, kapan diperbaiki?", "Penerangan jalan umum"),
    ("x", "https://x.com/wargacirebon/status/1860000000000000001", "@wargacirebon",
     "Antrean pembuatan KTP elektronik di kecamatan sampai sore, mohon ditambah loket.", "Pelayanan kependudukan"),
]

REGISTER = [
    ("Rencana Strategis Dinas Pekerjaan Umum 2026-2031", "setiap_saat", 0),
    ("Laporan realisasi anggaran semester I 2026", "berkala", 0),
    ("Jadwal imunisasi anak di puskesmas", "berkala", 1),
    ("Data pasien rawat inap per nama", "setiap_saat", 1),
]


class Command(BaseCommand):
    help = "Mengisi data contoh: OPD, satu pengguna per pelaksana, dan beberapa aduan."

    @transaction.atomic
    def handle(self, *args, **options):
        load_all()
        password = os.environ.get("PPID_DEMO_PASSWORD", "ppid-demo-2026")
        units = [Unit.objects.get_or_create(nama=n, defaults={"singkatan": s})[0] for n, s in UNITS]
        User = get_user_model()
        admin, created = User.objects.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True, "email": "admin@demo.ppid.local"}
        )
        if created:
            admin.set_password(password)
            admin.save()
        names = []
        for lane in Lane.objects.exclude(group=None).select_related("sop"):
            user, created = User.objects.get_or_create(
                username=lane.kode,
                defaults={"first_name": lane.nama[:150], "email": f"{lane.kode}@demo.ppid.local"},
            )
            if created:
                user.set_password(password)
                user.save()
            user.groups.add(lane.group)
            if lane.per_unit:
                units[0].anggota.add(user)
                # A second officer of the same lane in another unit shows the unit scoping.
                other, created = User.objects.get_or_create(
                    username=f"{lane.kode}_{units[1].singkatan.lower()}",
                    defaults={"first_name": f"{lane.nama} {units[1].singkatan}",
                              "email": f"{lane.kode}.{units[1].singkatan.lower()}@demo.ppid.local"},
                )
                if created:
                    other.set_password(password)
                    other.save()
                other.groups.add(lane.group)
                units[1].anggota.add(other)
                names.append(other.username)
            names.append(user.username)
        if not Aduan.objects.exists():
            for kategori, lokasi, uraian in COMPLAINTS:
                engine.start(Aduan(kategori=kategori, lokasi=lokasi, uraian=uraian, nama="Warga Demak"))
            self._selesaikan_satu_aduan(units[0])
        if not Opini.objects.exists():
            pemantau = User.objects.get(username="pemantau")
            for platform, url, akun, teks, topik in OPINIONS:
                engine.start(Opini(platform=platform, tautan=url, akun=akun, teks=teks, topik=topik,
                                   tanggal_posting=date(2026, 11, 20), dicatat_oleh=pemantau), by=pemantau)
        if not Publikasi.objects.exists():
            ketua = User.objects.get(username="ketua_ppid")
            engine.start(Publikasi(judul="Kerja bakti saluran irigasi Padukuhan Bunder",
                                   instruksi="Mohon dipublikasikan di Instagram dan website hari ini.",
                                   bahan="Minggu, 22 November 2026, 45 warga membersihkan saluran irigasi."), by=ketua)
        if not InformasiPublik.objects.exists():
            for judul, kelas, unit in REGISTER:
                InformasiPublik.objects.create(
                    judul=judul, ringkasan=judul, unit=units[unit], penanggung_jawab="Sekretaris Dinas",
                    periode="Tahun 2026", kelas=kelas, diterbitkan=date(2026, 7, 1))
        self.stdout.write("Pengguna contoh (kata sandi sama untuk semua): " + password)
        self.stdout.write("  admin (superuser), " + ", ".join(sorted(set(names))))

    def _selesaikan_satu_aduan(self, unit):
        """One complaint taken through every step to the archive, as its lanes would: the demo
        then has a closed case to open, print and put in a bulk archive."""
        User = get_user_model()
        admin_, opd, penghubung = (User.objects.get(username=u) for u in
                                   ("admin_koordinator", "opd_bumd", "pejabat_penghubung"))
        aduan = Aduan.objects.order_by("pk").first()
        for name, user, data in [
            ("accept_complaint", admin_, {}),
            ("verify_opd", admin_, {"unit": unit}),
            ("dispatch_to_opd", admin_, {}),
            ("submit_answer", opd, {"jawaban": "Perbaikan dijadwalkan pekan ini oleh tim pemeliharaan."}),
            ("post_answer", penghubung, {}),
            ("confirm_final", admin_, {}),
            ("archive", admin_, {}),
        ]:
            aduan = engine.advance(aduan, name, user, **data)
