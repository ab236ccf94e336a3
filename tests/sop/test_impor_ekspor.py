"""Import and export of the SOP table, units, holidays and staff users through the admin.

The round trip is the point: an agency exports its SOP steps, changes a time standard in the
spreadsheet, imports it through the admin's preview and confirmation, and the next case gets
the new deadline while a running case keeps the one it was given."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages

from sop import services as engine
from sop.models import HariLibur, Step, Unit
from tests.factories import PermintaanFactory, UnitFactory, UserFactory
from tests.impor_ekspor import (
    XLSX, baca_csv, ekspor, galat_baris, impor, konfirmasi, pratinjau, tulis_csv,
)

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def superuser(client, sops):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def _step_rows(client):
    return baca_csv(ekspor(client, Step))


def _aduan_step2(rows):
    return next(r for r in rows if r["sop"] == "DMK-ADUAN" and r["urutan"] == "2")


def _contoh_step2(rows):
    return next(r for r in rows if r["sop"] == "UJI-CONTOH" and r["urutan"] == "2")


def test_the_step_export_speaks_the_sop_table_and_names_lanes_by_code(client, superuser):
    rows = _step_rows(client)
    assert list(rows[0]) == [
        "sop", "no.", "urutan", "pelaksana", "tahap", "kegiatan", "kelengkapan", "waktu", "output",
        "keterangan", "cabang", "tambahan portal", "persetujuan", "dasar penambahan",
    ]
    assert len(rows) == Step.objects.count()
    step2 = _aduan_step2(rows)
    assert (step2["no."], step2["pelaksana"], step2["tahap"], step2["waktu"]) == (
        "2", "admin_koordinator", "submitted", "max 3 hari")
    assert step2["tambahan portal"] == "tidak"


def test_round_trip_a_new_time_standard_applies_to_new_cases_and_not_to_running_ones(client, superuser):
    # On the test-only workflow (tests/contoh), whose step 2 is the desk's "30 menit".
    monday_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
    with time_machine.travel(monday_9, tick=False):
        old = engine.start(PermintaanFactory())
    assert engine.open_task(old).due_at == datetime(2026, 11, 23, 9, 30, tzinfo=WIB)  # 30 menit

    rows = _step_rows(client)
    _contoh_step2(rows)["waktu"] = "max 1 hari"
    preview = pratinjau(client, Step, tulis_csv(rows))
    result = preview.context["result"]
    assert not result.has_validation_errors() and not result.has_errors()
    # Only the edited row is an update; every other row is unchanged and skipped.
    assert result.totals["update"] == 1 and result.totals["new"] == 0
    assert result.totals["skip"] == len(rows) - 1
    assert Step.objects.get(sop__kode="UJI-CONTOH", urutan=2).waktu == "30 menit"  # a preview writes nothing

    done = konfirmasi(client, Step, preview)
    assert done.status_code == 302
    assert "Impor selesai: 0 baru, 1 diubah" in [str(m) for m in get_messages(done.wsgi_request)][0]
    step = Step.objects.get(sop__kode="UJI-CONTOH", urutan=2)
    assert (step.waktu, step.waktu_nilai, step.waktu_satuan, step.waktu_batas) == ("max 1 hari", 1, "days", "max")

    with time_machine.travel(monday_9, tick=False):
        new = engine.start(PermintaanFactory())
    assert engine.open_task(new).due_at == datetime(2026, 11, 24, 16, 0, tzinfo=WIB)  # max 1 hari
    old_task = engine.open_task(old)
    assert (old_task.waktu, old_task.due_at) == ("30 menit", datetime(2026, 11, 23, 9, 30, tzinfo=WIB))


def test_round_trip_through_xlsx(client, superuser):
    response = ekspor(client, Step, fmt=XLSX)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.active
    headers = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        values = dict(zip(headers, (c.value for c in row)))
        if values["sop"] == "DMK-ADUAN" and str(values["urutan"]) == "8":
            assert values["waktu"] == "7 hari kerja"
            row[headers.index("waktu")].value = "3 hari kerja"
    out = io.BytesIO()
    book.save(out)
    done = impor(client, Step, out.getvalue(), name="langkah.xlsx", fmt=XLSX)
    assert done.status_code == 302
    step = Step.objects.get(sop__kode="DMK-ADUAN", urutan=8)
    assert (step.waktu, step.waktu_nilai, step.waktu_satuan) == ("3 hari kerja", 3, "working_days")


def test_a_file_with_an_unreadable_time_standard_imports_nothing_and_says_which_row(client, superuser):
    rows = _step_rows(client)
    step2 = _aduan_step2(rows)
    step2["waktu"] = "max 1 hari"  # a good change in the same file
    step3 = next(r for r in rows if r["sop"] == "DMK-ADUAN" and r["urutan"] == "3")
    step3["waktu"] = "secepatnya"
    preview = pratinjau(client, Step, tulis_csv(rows))
    errors = galat_baris(preview)
    row_number = rows.index(step3) + 1
    assert list(errors) == [row_number]
    assert "Standar waktu 'secepatnya' tidak dapat dibaca" in errors[row_number][0]
    assert preview.context.get("confirm_form") is None
    html = preview.content.decode()
    assert "Beberapa baris tidak lolos pemeriksaan" in html and "tidak dapat dibaca" in html
    assert f"<td>{row_number + 1}</td>" in html  # the spreadsheet's line: line 1 holds the headers

    # Posting the confirmation anyway (a crafted request) still writes nothing at all.
    done = client.post("/admin/sop/step/process_import/", _confirmation(preview))
    assert done.status_code == 302
    assert f"Tidak ada data yang diimpor: berkas memuat kesalahan pada baris {row_number + 1}." in str(
        list(get_messages(done.wsgi_request))[0])
    assert Step.objects.get(sop__kode="DMK-ADUAN", urutan=2).waktu == "max 3 hari"
    assert Step.objects.get(sop__kode="DMK-ADUAN", urutan=3).waktu == "15 menit"


def _confirmation(preview):
    """What the confirmation button would post had the preview offered it."""
    upload = preview.context["form"].cleaned_data["import_file"]
    return {"import_file_name": upload.tmp_storage_name, "original_file_name": upload.name, "format": "0",
            "resource": "0"}


def test_an_unknown_lane_is_refused_on_its_row_with_the_lanes_of_that_sop(client, superuser):
    rows = _step_rows(client)
    _aduan_step2(rows)["pelaksana"] = "kepala_dinas"
    preview = pratinjau(client, Step, tulis_csv(rows))
    (messages,) = galat_baris(preview).values()
    assert messages[0].startswith("Pelaksana 'kepala_dinas' tidak ada di SOP DMK-ADUAN.")
    assert "admin_koordinator" in messages[0]
    assert "pelaksana" in preview.context["result"].invalid_rows[0].error_dict


def test_a_lane_may_be_named_by_its_name_and_a_new_step_is_added(client, superuser):
    content = tulis_csv([{
        "sop": "DMK-ADUAN", "no.": "9", "urutan": "20", "pelaksana": "Admin Koordinator", "tahap": "",
        "kegiatan": "Melaporkan rekap aduan bulanan.", "waktu": "2 hari kerja",
    }])
    done = impor(client, Step, content)
    assert done.status_code == 302
    step = Step.objects.get(sop__kode="DMK-ADUAN", urutan=20)
    assert (step.lane.kode, step.waktu_nilai, step.waktu_satuan) == ("admin_koordinator", 2, "working_days")


def test_a_state_the_workflow_does_not_have_is_refused(client, superuser):
    rows = _step_rows(client)
    _aduan_step2(rows)["tahap"] = "menunggu"
    (messages,) = galat_baris(pratinjau(client, Step, tulis_csv(rows))).values()
    assert "Tahap 'menunggu' tidak dikenal untuk SOP DMK-ADUAN" in messages[0]


def test_holidays_a_bad_date_imports_nothing(client, superuser):
    content = tulis_csv([
        {"tanggal": "24-12-2026", "nama": "Cuti bersama kantor"},
        {"tanggal": "31-02-2026", "nama": "Tanggal yang tidak ada"},
    ])
    preview = pratinjau(client, HariLibur, content)
    assert galat_baris(preview) == {2: ["Tanggal '31-02-2026' tidak dapat dibaca; tulis misalnya 17-08-2026."]}
    assert preview.context.get("confirm_form") is None
    assert not HariLibur.objects.exists()

    good = tulis_csv([{"tanggal": "24-12-2026", "nama": "Cuti bersama kantor"}])
    impor(client, HariLibur, good)
    assert list(HariLibur.objects.values_list("tanggal", "nama")) == [(date(2026, 12, 24), "Cuti bersama kantor")]
    assert baca_csv(ekspor(client, HariLibur)) == [{"tanggal": "24-12-2026", "nama": "Cuti bersama kantor"}]


def test_units_are_matched_on_their_name(client, superuser):
    UnitFactory(nama="Dinas Kesehatan", singkatan="")
    impor(client, Unit, tulis_csv([
        {"nama": "Dinas Kesehatan", "singkatan": "Dinkes", "aktif": "ya"},
        {"nama": "Dinas Perhubungan", "singkatan": "Dishub", "aktif": "tidak"},
    ]))
    assert dict(Unit.objects.values_list("nama", "singkatan")) == {
        "Dinas Kesehatan": "Dinkes", "Dinas Perhubungan": "Dishub"}
    assert Unit.objects.get(nama="Dinas Perhubungan").aktif is False


def test_staff_users_are_imported_with_lanes_and_units_and_no_password(client, superuser):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    dinkes = UnitFactory(nama="Dinas Kesehatan")
    other = Group.objects.create(name="Redaksi situs")  # not a lane: the file leaves it alone
    budi = UserFactory(username="budi", lanes=("CRB-OPINI", "pemantau"))
    budi.groups.add(other)
    content = tulis_csv([
        {"username": "budi", "nama": "Budi Santoso", "e-mail": "budi@demak.go.id", "aktif": "ya",
         "akses admin": "tidak", "pelaksana": "DMK-ADUAN:opd_bumd; DMK-ADUAN:pejabat_penghubung",
         "unit": "Dinas Kesehatan"},
        {"username": "sari", "nama": "Sari", "e-mail": "sari@demak.go.id", "aktif": "ya", "akses admin": "tidak",
         "pelaksana": "DMK-ADUAN:admin_koordinator", "unit": ""},
    ])
    impor(client, User, content)
    budi.refresh_from_db()
    assert sorted(g.lane.kode for g in budi.groups.filter(lane__isnull=False)) == ["opd_bumd", "pejabat_penghubung"]
    assert budi.groups.filter(pk=other.pk).exists()
    assert list(budi.units.all()) == [dinkes]
    assert budi.get_full_name() == "Budi Santoso" and budi.email == "budi@demak.go.id"
    assert budi.check_password("sandi-rahasia-123")  # an existing password is untouched
    sari = User.objects.get(username="sari")
    assert not sari.has_usable_password()
    assert [g.lane.kode for g in sari.groups.all()] == ["admin_koordinator"]

    rows = baca_csv(ekspor(client, User))
    assert not any("password" in h or "sandi" in h for h in rows[0])
    exported = {r["username"]: r for r in rows}
    assert exported["budi"]["pelaksana"] == "DMK-ADUAN:opd_bumd; DMK-ADUAN:pejabat_penghubung"
    assert exported["budi"]["unit"] == "Dinas Kesehatan"
    assert b"md5$" not in ekspor(client, User).content


def test_an_unknown_lane_or_unit_for_a_user_imports_nothing(client, superuser):
    from django.contrib.auth import get_user_model

    content = tulis_csv([
        {"username": "sari", "nama": "Sari", "pelaksana": "DMK-ADUAN:admin_koordinator", "unit": ""},
        {"username": "tono", "nama": "Tono", "pelaksana": "DMK-ADUAN:bupati", "unit": "Dinas Antah"},
    ])
    errors = galat_baris(pratinjau(client, get_user_model(), content))
    assert list(errors) == [2]
    assert any("Pelaksana tidak dikenal: DMK-ADUAN:bupati" in m for m in errors[2])
    assert any("Perangkat Daerah tidak dikenal: Dinas Antah" in m for m in errors[2])
    assert not get_user_model().objects.filter(username__in=["sari", "tono"]).exists()


def test_import_needs_the_add_and_change_permissions(client, sops):
    staff = UserFactory(username="staf_admin", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_step"))
    client.force_login(staff)
    assert client.get("/admin/sop/step/import/").status_code == 403
    assert ekspor(client, Step).status_code == 200
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["add_step", "change_step"]))
    assert client.get("/admin/sop/step/import/").status_code == 200


def test_text_that_looks_like_a_formula_survives_a_round_trip(client, superuser):
    Step.objects.filter(sop__kode="DMK-ADUAN", urutan=3).update(keterangan="-> lanjut ke langkah 4")
    rows = _step_rows(client)
    step3 = next(r for r in rows if r["sop"] == "DMK-ADUAN" and r["urutan"] == "3")
    assert step3["keterangan"] == "'-> lanjut ke langkah 4"  # a spreadsheet shows it as text
    preview = pratinjau(client, Step, tulis_csv(rows))
    assert preview.context["result"].totals["update"] == 0
    assert Step.objects.get(sop__kode="DMK-ADUAN", urutan=3).keterangan == "-> lanjut ke langkah 4"


def test_an_imported_holiday_moves_the_next_deadline_off_it(client, superuser):
    impor(client, HariLibur, tulis_csv([{"tanggal": "26-11-2026", "nama": "Hari jadi kabupaten"}]))
    petugas = UserFactory(username="petugas_k", lanes=("UJI-CONTOH", "petugas"))
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=WIB), tick=False):
        permintaan = engine.advance(engine.start(PermintaanFactory()), "terima", petugas, unit=UnitFactory())
    # "max 3 hari" ends on Thursday the 26th, now closed: due at Friday's closing instead.
    assert engine.open_task(permintaan).due_at == datetime(2026, 11, 27, 16, 30, tzinfo=WIB)
