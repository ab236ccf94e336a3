"""The register's visibility rules: exempt items show only title, legal basis and period;
their documents can never be fetched, not even by guessing the URL; and the reminders."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.urls import reverse

from publikasi.pengingat import kirim_pengingat
from sop.models import Notifikasi
from tests.factories import InformasiPublikFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def with_file(item, content=b"%PDF-1.4 rahasia"):
    item.berkas.save("dok.pdf", ContentFile(content), save=False)
    item.berkas_jenis = "application/pdf"
    item.save()
    return item


@pytest.fixture
def items(sops):
    unit = UnitFactory(nama="Dinas Sosial")
    open_item = with_file(InformasiPublikFactory(unit=unit, judul="Rekap bansos per kecamatan", kelas="berkala"),
                          b"%PDF-1.4 terbuka")
    exempt = with_file(InformasiPublikFactory(
        unit=unit, judul="Data penerima bansos by name by address", ringkasan="Memuat NIK dan alamat warga miskin.",
        kelas="dikecualikan", dasar_pengecualian="UU 14/2008 Pasal 17 huruf h",
        dikecualikan_sampai=date(2031, 11, 23)))
    draft = with_file(InformasiPublikFactory(unit=unit, judul="Draf belum terbit", diterbitkan=None))
    return {"open": open_item, "exempt": exempt, "draft": draft}


def test_the_public_register_lists_open_items_with_details_and_exempt_ones_by_title_only(client, items):
    page = client.get(reverse("publikasi:dip")).content.decode()
    assert "Rekap bansos per kecamatan" in page and "Realisasi penyaluran" in page
    assert "Data penerima bansos by name by address" in page
    assert "UU 14/2008 Pasal 17 huruf h" in page and "23-11-2031" in page
    assert "Memuat NIK dan alamat" not in page
    assert "Draf belum terbit" not in page
    assert reverse("publikasi:dip_berkas", args=[items["open"].pk]) in page
    assert reverse("publikasi:dip_berkas", args=[items["exempt"].pk]) not in page


def test_an_exempt_or_unpublished_document_can_never_be_fetched(client, items):
    assert client.get(reverse("publikasi:dip_berkas", args=[items["open"].pk])).status_code == 200
    for key in ("exempt", "draft"):
        response = client.get(reverse("publikasi:dip_berkas", args=[items[key].pk]))
        assert response.status_code == 404
    assert client.get(reverse("publikasi:dip_berkas", args=[999999])).status_code == 404
    # The stored file name is random and media is never served by URL.
    assert "dok" not in items["exempt"].berkas.name
    assert client.get("/media/" + items["exempt"].berkas.name).status_code == 404


def test_searching_an_exempt_items_summary_finds_nothing(client, items):
    page = client.get(reverse("publikasi:dip"), {"q": "NIK dan alamat"}).content.decode()
    assert "Data penerima bansos" not in page and "Tidak ada informasi yang cocok" in page


def test_the_register_filters_by_class_unit_and_year(client, items):
    other = InformasiPublikFactory(judul="Renstra 2027", unit=UnitFactory(nama="Bappeda"), kelas="setiap_saat",
                                   diterbitkan=date(2025, 3, 1))
    by_class = client.get(reverse("publikasi:dip"), {"kelas": "berkala"}).content.decode()
    assert "Rekap bansos" in by_class and "Renstra 2027" not in by_class
    by_unit = client.get(reverse("publikasi:dip"), {"unit": str(other.unit_id)}).content.decode()
    assert "Renstra 2027" in by_unit and "Rekap bansos" not in by_unit
    by_year = client.get(reverse("publikasi:dip"), {"tahun": "2025"}).content.decode()
    assert "Renstra 2027" in by_year and "Rekap bansos" not in by_year
    assert client.get(reverse("publikasi:dip"), {"tahun": "abcd", "unit": "x", "kelas": "?"}).status_code == 200


def test_the_dik_page_lists_exempt_items(client, items):
    page = client.get(reverse("publikasi:dik")).content.decode()
    assert "Data penerima bansos by name by address" in page and "Rekap bansos" not in page


def test_before_an_exemption_ends_the_ppid_utama_is_reminded_once(items):
    UserFactory(username="utama", lanes=("SRG-UJI-KONSEKUENSI", "ppid_utama"))
    with time_machine.travel(datetime(2031, 10, 1, 9, 0, tzinfo=WIB), tick=False):
        assert kirim_pengingat()[0] == 0
    with time_machine.travel(datetime(2031, 10, 27, 9, 0, tzinfo=WIB), tick=False):
        assert kirim_pengingat()[0] == 1
        assert kirim_pengingat()[0] == 0
    message = Notifikasi.objects.get(subjek__startswith="[Tinjau pengecualian]")
    assert message.penerima.username == "utama"


def test_a_berkala_item_reminds_its_units_ppid_pelaksana_before_six_months_pass(items):
    unit = items["open"].unit
    UserFactory(username="pelaksana", lanes=("PTK-PENGUMUMAN", "ppid_pelaksana"), units=[unit])
    UserFactory(username="pelaksana_lain", lanes=("PTK-PENGUMUMAN", "ppid_pelaksana"),
                units=[UnitFactory(nama="Dinas Lain")])
    due = items["open"].pemutakhiran_berikut
    with time_machine.travel(datetime.combine(due - timedelta(days=20), datetime.min.time(), WIB), tick=False):
        assert kirim_pengingat()[1] == 0
    with time_machine.travel(datetime.combine(due - timedelta(days=13), datetime.min.time(), WIB), tick=False):
        assert kirim_pengingat()[1] == 1
        assert kirim_pengingat()[1] == 0
    assert list(Notifikasi.objects.values_list("penerima__username", flat=True)) == ["pelaksana"]
