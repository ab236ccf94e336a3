"""The five SOP documents load from the project's data, idempotently."""

import pytest
from django.core.exceptions import ValidationError

from sop.loader import DATA_DIR, load, load_all
from sop.models import Lane, Sop, Step

# The loader on an empty database: the suite's session data is set aside for each test.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_sops")]


def test_all_five_sops_load_with_their_lanes_steps_and_standards():
    load_all()
    assert sorted(Sop.objects.values_list("kode", flat=True)) == [
        "BUNDER-MEDSOS", "CRB-OPINI", "DMK-ADUAN", "PTK-PENGUMUMAN", "SRG-UJI-KONSEKUENSI"]
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
    assert Step.objects.count() == 9 + 12 + 11 + 6 + 7
    load_all(overwrite=True)
    assert Step.objects.get(pk=step.pk).waktu == "15 menit"


def test_a_data_file_with_an_unreadable_standard_loads_nothing(tmp_path):
    text = (DATA_DIR / "dmk_aduan.yaml").read_text().replace("waktu: 15 menit", "waktu: secepatnya")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    with pytest.raises(ValidationError, match="secepatnya"):
        load(bad)
    assert not Sop.objects.exists()
