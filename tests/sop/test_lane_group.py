"""A lane gets its auth Group however it is created (the loader, the admin, an import), so a
user put in that Group can work its steps at once; a citizens' lane gets none."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from sop import services as engine
from sop.models import Lane, Sop, Step
from tests.factories import PermintaanFactory, UserFactory

pytestmark = pytest.mark.django_db


def _management(prefix, total):
    return {f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"}


def test_a_lane_added_in_the_admin_gets_its_group_and_its_members_can_work_its_step(without_sops):
    Group.objects.filter(name__startswith="UJI-CONTOH: ").delete()  # the session's, from the loader
    admin = Client()
    admin.force_login(UserFactory(username="admin_sop", is_staff=True, is_superuser=True))
    # The SOP of the test-only workflow (tests/contoh), typed into the admin's add form with two lanes.
    response = admin.post("/admin/sop/sop/add/", {
        "kode": "UJI-CONTOH", "nama": "Layanan Permintaan Contoh",
        **{name: "[]" for name in ("dasar_hukum", "kualifikasi", "keterkaitan", "peralatan", "pencatatan")},
        **_management("lanes", 2),
        "lanes-0-urutan": "1", "lanes-0-kode": "pemohon", "lanes-0-nama": "Pemohon", "lanes-0-warga": "on",
        "lanes-1-urutan": "2", "lanes-1-kode": "petugas", "lanes-1-nama": "Petugas Layanan",
        **_management("steps", 0),
    })
    assert response.status_code == 302, response.content.decode()[:3000]
    sop = Sop.objects.get(kode="UJI-CONTOH")
    petugas, pemohon = sop.lanes.get(kode="petugas"), sop.lanes.get(kode="pemohon")
    assert petugas.group == Group.objects.get(name="UJI-CONTOH: Petugas Layanan")
    assert pemohon.group is None  # citizens act without an account
    response = admin.post("/admin/sop/step/add/", {
        "sop": sop.pk, "nomor": "2", "urutan": "2", "lane": petugas.pk, "state": "masuk",
        "kegiatan": "Menelaah permintaan", "waktu": "30 menit", "cabang": "[]",
    })
    assert response.status_code == 302, response.content.decode()[:3000]

    officer = UserFactory(username="petugas_baru")
    officer.groups.add(petugas.group)
    case = engine.start(PermintaanFactory(email=""))
    assert engine.open_task(case).lane == petugas
    outsider = UserFactory(username="bukan_petugas")
    assert {a.name for a in engine.actions_for(case, officer)} == {"terima", "tolak"}
    assert engine.actions_for(case, outsider) == []
    case = engine.advance(case, "tolak", officer, note="Bukan permintaan informasi.")
    assert case.state == "ditolak"


def test_a_lane_created_anywhere_gets_the_group_the_loader_would_give_it(contoh_sop):
    lane = Lane.objects.create(sop=contoh_sop, kode="arsip", nama="Pengelola Arsip", urutan=9)
    assert lane.group.name == f"{contoh_sop.kode}: Pengelola Arsip"
    assert Lane.objects.get(pk=lane.pk).group == lane.group
    # The loader's own lanes have theirs, under the same names.
    assert all(lane.group.name == lane.group_name() for lane in contoh_sop.lanes.exclude(warga=True))
    assert Step.objects.filter(sop=contoh_sop, lane__group=None).exclude(lane__warga=True).count() == 0
