"""The five SOP documents load from the data files their apps declare, idempotently."""

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings

from sop.loader import data_files, load, load_all
from sop.models import Lane, Sop, Step

# The loader on an empty database: the suite's session data is set aside for each test.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_sops")]
ROOT = Path(settings.BASE_DIR)
DMK_ADUAN = Path(apps.get_app_config("aduan").path) / "sop" / "dmk_aduan.yaml"


def test_each_workflow_file_lives_in_the_app_that_runs_it_and_is_found_through_its_appconfig():
    assert [str(path.relative_to(ROOT)) for path in data_files()] == [
        "aduan/sop/dmk_aduan.yaml", "opini/sop/crb_opini.yaml", "publikasi/sop/bunder_medsos.yaml",
        "publikasi/sop/srg_uji_konsekuensi.yaml", "publikasi/sop/ptk_pengumuman.yaml",
        "tests/contoh/sop/uji_contoh.yaml"]
    # The engine holds no SOP of its own.
    assert not list((ROOT / "sop").glob("**/*.yaml"))


def test_an_app_that_is_not_installed_has_its_sops_not_loaded():
    without = [name for name in settings.INSTALLED_APPS if name not in ("publikasi", "tests.contoh")]
    with override_settings(INSTALLED_APPS=without):
        assert [sop.kode for sop in load_all()] == ["DMK-ADUAN", "CRB-OPINI"]
    assert sorted(Sop.objects.values_list("kode", flat=True)) == ["CRB-OPINI", "DMK-ADUAN"]


def test_all_five_sops_load_with_their_lanes_steps_and_standards():
    load_all()
    # The portal's five, and the test-only workflow's (tests/contoh declares its file too).
    assert sorted(Sop.objects.values_list("kode", flat=True)) == [
        "BUNDER-MEDSOS", "CRB-OPINI", "DMK-ADUAN", "PTK-PENGUMUMAN", "SRG-UJI-KONSEKUENSI", "UJI-CONTOH"]
    demak = Sop.objects.get(kode="DMK-ADUAN")
    assert demak.nomor == "DINKOMINFO/4/1/32/2020"
    assert list(demak.lanes.values_list("kode", flat=True)) == [
        "pimpinan", "admin_koordinator", "opd_bumd", "pejabat_penghubung", "pengadu"]
    assert list(demak.steps.values_list("nomor", "waktu")) == [
        ("1", "seketika"), ("2", "max 3 hari"), ("3", "15 menit"), ("4", "seketika"), ("5", "max 3 hari"),
        ("6", "<24 jam"), ("7", "Seketika"), ("7a", "7 hari kerja"), ("8", "5 menit")]
    # Every lane that staff act in is a role: an auth Group of its own. The citizen's is not.
    assert not Lane.objects.filter(warga=False, group=None).exists()
    assert Lane.objects.get(sop=demak, kode="pengadu").group is None
    # Bunder prints step 8 twice; both rows are kept, in document order.
    assert list(Step.objects.filter(sop__kode="BUNDER-MEDSOS", nomor="8").values_list("urutan", flat=True)) == [8, 10]
    assert Step.objects.get(sop__kode="SRG-UJI-KONSEKUENSI", urutan=4).standard.value == 30


def test_loading_again_keeps_what_an_admin_adjusted():
    load_all()
    step = Step.objects.get(sop__kode="DMK-ADUAN", nomor="3")
    step.waktu = "30 menit"
    step.save()
    load_all()
    assert Step.objects.get(pk=step.pk).waktu == "30 menit"
    assert Step.objects.count() == 9 + 12 + 11 + 6 + 7 + 4  # the five, and UJI-CONTOH's four
    load_all(overwrite=True)
    assert Step.objects.get(pk=step.pk).waktu == "15 menit"


def test_a_data_file_with_an_unreadable_standard_loads_nothing(tmp_path):
    text = DMK_ADUAN.read_text().replace("waktu: 15 menit", "waktu: secepatnya")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(ValidationError, match="secepatnya"):
        load(bad)
    assert not Sop.objects.exists()
