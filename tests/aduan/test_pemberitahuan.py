"""What the complainant is told: a complaint not accepted carries its reason, which the
complainant reads and is mailed; an anonymous complainant leaves no address to mail. (The
engine's side of it, on the test-only workflow: tests/sop/test_engine.py, test_sweep.py.)"""

import pytest
from django.core import mail

from sop import services as engine
from sop.models import Notifikasi
from tests.factories import AduanFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(aduan_sop):
    return UserFactory(username="admin_k", lanes=("DMK-ADUAN", "admin_koordinator"))


def test_rejecting_a_complaint_needs_a_reason_which_the_complainant_then_reads(admin):
    aduan = engine.start(AduanFactory())
    with pytest.raises(engine.TindakanDitolak, match="wajib disertai catatan"):
        engine.advance(aduan, "reject_complaint", admin, note="   ")
    aduan = engine.advance(aduan, "reject_complaint", admin, note="Bukan kewenangan pemerintah kabupaten.")
    assert aduan.state == "returned_to_complainant"
    assert aduan.alasan_tidak_diterima == "Bukan kewenangan pemerintah kabupaten."
    assert engine.open_task(aduan) is None


def test_the_complainant_is_told_when_the_complaint_is_not_accepted(admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        aduan = engine.start(AduanFactory(email="warga@contoh.id"))
        engine.advance(aduan, "reject_complaint", admin, note="Aduan sudah pernah disampaikan.")
    subjects = [m.subject for m in mail.outbox if m.to == ["warga@contoh.id"]]
    assert subjects == [f"[{aduan.kode}] Aduan Anda telah kami terima",
                        f"[{aduan.kode}] Aduan Anda tidak dapat ditindaklanjuti"]


def test_an_anonymous_complainant_gets_no_mail_because_no_address_is_kept(admin):
    aduan = engine.start(AduanFactory(anonim=True, email="warga@contoh.id"))
    assert (aduan.nama, aduan.email, aduan.telepon) == ("", "", "")
    assert not Notifikasi.objects.filter(jenis=Notifikasi.WARGA).exists()
