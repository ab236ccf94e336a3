"""Import and export of the publication workflows in the admin: the register (DIP) is
imported and exported, an exemption can come only from a consequence test, and the cases
(social-media publishing, consequence tests, announcements) are exported only, each limited
to what the user may open."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, reverse

from publikasi.models import InformasiPublik, Pengumuman, Publikasi, UjiKonsekuensi
from sop import services as engine
from tests.factories import InformasiPublikFactory, UnitFactory, UserFactory
from tests.impor_ekspor import baca_csv, ekspor, galat_baris, impor, pratinjau, tulis_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(client, sops):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _row(**values):
    row = {"no.": "", "judul": "", "ringkasan": "", "unit penanggung jawab": "Dinas Sosial",
           "penanggung jawab": "Sekretaris Dinas", "periode": "Tahun 2026", "bentuk": "dokumen",
           "klasifikasi": "berkala", "tautan": "", "tanggal diterbitkan": "", "jangka waktu penyimpanan": "5 tahun"}
    row.update(values)
    return row


def test_the_register_is_loaded_from_a_file_and_updated_by_number(client, superuser):
    UnitFactory(nama="Dinas Sosial")
    impor(client, InformasiPublik, tulis_csv([
        _row(judul="Rekap bansos per kecamatan", klasifikasi="Informasi berkala", **{"tanggal diterbitkan": "15-01-2026"}),
        _row(judul="Jadwal posyandu", klasifikasi="setiap_saat", bentuk="Tautan", tautan="https://demak.go.id/posyandu"),
    ]))
    rekap = InformasiPublik.objects.get(judul="Rekap bansos per kecamatan")
    assert (rekap.kelas, rekap.diterbitkan, rekap.unit.nama) == ("berkala", date(2026, 1, 15), "Dinas Sosial")
    assert InformasiPublik.objects.get(judul="Jadwal posyandu").bentuk == "tautan"

    rows = baca_csv(ekspor(client, InformasiPublik))
    assert {r["judul"]: r["klasifikasi"] for r in rows}["Rekap bansos per kecamatan"] == "Informasi berkala"
    for row in rows:
        if row["judul"] == "Rekap bansos per kecamatan":
            row["periode"] = "Semester I 2026"
    impor(client, InformasiPublik, tulis_csv(rows))
    assert InformasiPublik.objects.count() == 2
    assert InformasiPublik.objects.get(pk=rekap.pk).periode == "Semester I 2026"


def test_an_import_can_neither_exempt_an_item_nor_open_an_exempt_one(client, superuser):
    unit = UnitFactory(nama="Dinas Sosial")
    exempt = InformasiPublikFactory(unit=unit, judul="Data penerima bansos by name", kelas="dikecualikan",
                                    dasar_pengecualian="UU 14/2008 Pasal 17 huruf h")
    preview = pratinjau(client, InformasiPublik, tulis_csv([
        _row(judul="Data baru", klasifikasi="dikecualikan"),
        _row(**{"no.": str(exempt.pk), "judul": exempt.judul, "klasifikasi": "setiap_saat"}),
        _row(judul="Tanggal salah", **{"tanggal diterbitkan": "2026-13-01"}),
        _row(judul="Unit salah", **{"unit penanggung jawab": "Dinas Antah Berantah"}),
    ]))
    errors = galat_baris(preview)
    assert errors[1] == ["Informasi hanya dapat dikecualikan melalui uji konsekuensi, tidak lewat impor."]
    assert "klasifikasinya tidak dapat diubah lewat impor" in errors[2][0]
    assert errors[3] == ["Tanggal '2026-13-01' tidak dapat dibaca; tulis misalnya 17-08-2026."]
    assert errors[4] == ["Perangkat Daerah 'Dinas Antah Berantah' tidak ada."]
    assert InformasiPublik.objects.count() == 1
    assert InformasiPublik.objects.get(pk=exempt.pk).kelas == "dikecualikan"


def test_announcements_export_only_what_the_user_may_open(client, sops):
    pu, dinkes = UnitFactory(nama="Dinas Pekerjaan Umum"), UnitFactory(nama="Dinas Kesehatan")
    bidang = UserFactory(username="bidang", lanes=("PTK-PENGUMUMAN", "bidang_plip"))
    for unit, judul in ((pu, "Jadwal perbaikan jalan"), (dinkes, "Jadwal imunisasi")):
        engine.start(Pengumuman(judul=judul, jenis="berkala", unit=unit), by=bidang)
    officer = UserFactory(username="pelaksana_pu", is_staff=True, lanes=("PTK-PENGUMUMAN", "ppid_pelaksana"),
                          units=[pu])
    officer.user_permissions.add(Permission.objects.get(codename="view_pengumuman"))
    client.force_login(officer)
    rows = baca_csv(ekspor(client, Pengumuman))
    assert [r["judul informasi"] for r in rows] == ["Jadwal perbaikan jalan"]
    assert "kode lacak" not in rows[0]


@pytest.mark.parametrize("model", [Publikasi, UjiKonsekuensi, Pengumuman])
def test_cases_are_exported_but_never_imported(client, superuser, model):
    assert baca_csv(ekspor(client, model)) == []
    with pytest.raises(NoReverseMatch):
        reverse(f"admin:publikasi_{model._meta.model_name}_import")
