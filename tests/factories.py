"""factory-boy factories for the suite."""

import datetime

import factory
from django.contrib.auth import get_user_model

from aduan.models import Aduan
from sop.models import Lane, Unit


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("nama",)

    nama = factory.Sequence(lambda n: f"Dinas Contoh {n}")
    singkatan = factory.Sequence(lambda n: f"DC{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"petugas{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@contoh.go.id")
    password = factory.django.Password("sandi-rahasia-123")

    @factory.post_generation
    def lanes(self, create, extracted, **kwargs):
        """``lanes=("DMK-ADUAN", "admin_koordinator")`` or a list of such pairs."""
        if not extracted:
            return
        pairs = [extracted] if isinstance(extracted[0], str) else extracted
        for sop_kode, lane_kode in pairs:
            self.groups.add(Lane.objects.get(sop__kode=sop_kode, kode=lane_kode).group)

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        for unit in extracted or ():
            unit.anggota.add(self)


class AduanFactory(factory.django.DjangoModelFactory):
    """An unsaved complaint; start it with ``sop.services.start``."""

    class Meta:
        model = Aduan
        strategy = factory.BUILD_STRATEGY

    uraian = "Lampu penerangan jalan di perempatan Bintoro mati sejak sepekan dan rawan kecelakaan."
    lokasi = "Perempatan Bintoro, Kecamatan Demak"
    kategori = Aduan.Kategori.INFRASTRUKTUR
    nama = "Siti Aminah"
    email = "siti@contoh.id"
    telepon = "081234567890"


class OpiniFactory(factory.django.DjangoModelFactory):
    """An unsaved opinion; start it with ``sop.services.start``."""

    class Meta:
        model = "opini.Opini"
        strategy = factory.BUILD_STRATEGY

    platform = "instagram"
    tautan = factory.Sequence(lambda n: f"https://www.instagram.com/p/Cx{n:06d}/")
    akun = "@warga_kejaksan"
    tanggal_posting = datetime.date(2026, 11, 20)
    teks = "Lampu taman di alun-alun Kejaksan sudah sebulan mati, kapan diperbaiki?"
    topik = "Penerangan jalan umum"


class InformasiPublikFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "publikasi.InformasiPublik"

    judul = factory.Sequence(lambda n: f"Laporan keuangan bantuan sosial {n}")
    ringkasan = "Realisasi penyaluran bantuan sosial per kecamatan."
    unit = factory.SubFactory(UnitFactory)
    penanggung_jawab = "Sekretaris Dinas"
    periode = "Tahun 2026"
    kelas = "setiap_saat"
    diterbitkan = datetime.date(2026, 1, 15)


class PermintaanFactory(factory.django.DjangoModelFactory):
    """An unsaved request of the test-only workflow (tests/contoh); start it with
    ``sop.services.start``."""

    class Meta:
        model = "contoh.Permintaan"
        strategy = factory.BUILD_STRATEGY

    uraian = "Mohon salinan jadwal pemeliharaan jalan kecamatan tahun ini."
    email = "pemohon@contoh.id"
