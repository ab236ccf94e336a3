"""Every transition of social-media publishing, who may take it, and the version rules:
a decision is on one exact version, and a change after approval needs a new approval."""

import pytest

from publikasi.models import Keputusan, Publikasi, TautanUnggahan
from sop import services as engine
from sop.models import Task
from tests.publikasi.alur import BRANCHES, CAPTION, MAIN, case_at, data_for, platforms, start

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name, rightful, source", MAIN + BRANCHES)
def test_each_transition_is_taken_by_its_lane_and_refused_to_every_other(people, name, rightful, source):
    publikasi = case_at(source, people)
    for who in people:
        reason = engine.refusal(publikasi, name, people[who], note="catatan")
        assert (reason is None) == (who == rightful), (who, reason)
    moved = engine.advance(publikasi, name, people[rightful], note="catatan", **data_for(name, publikasi))
    assert moved.state != source
    assert Task.objects.of_case(moved).exclude(finished_at=None).latest("id").transition == name


def test_only_the_ketua_may_start_a_publication(people):
    assert engine.start_refusal(Publikasi, people["ketua"]) is None
    assert "Ketua PPID" in engine.start_refusal(Publikasi, people["seksi"])


def test_a_rejected_draft_returns_to_drafting_and_the_next_version_keeps_the_earlier_one_and_its_note(people):
    publikasi = case_at("ketua_review", people)
    publikasi = engine.advance(publikasi, "ketua_reject", people["ketua"], versi=publikasi.versi_terbaru(),
                               note="Sebutkan jumlah warga yang ikut.")
    assert publikasi.state == "drafting"
    publikasi = engine.advance(publikasi, "submit_draft", people["admin"],
                               caption=CAPTION + " Sebanyak 45 warga ikut serta.",
                               platforms=platforms("instagram", "website", "x"), gambar=[])
    v1, v2 = publikasi.versi.order_by("nomor")
    assert (v1.nomor, v2.nomor) == (1, 2)
    assert v1.caption == CAPTION  # the earlier version is never edited
    assert list(v1.keputusan.values_list("tahap", "setuju", "catatan")) == [
        ("seksi", True, ""), ("ketua", False, "Sebutkan jumlah warga yang ikut.")]
    assert "<ins>Sebanyak 45 warga ikut serta.</ins>" in v2.perubahan_html()
    added, removed = v2.perubahan_platform()
    assert [p.kode for p in added] == ["x"] and removed == []


def test_approving_a_stale_version_is_refused_with_a_reason(people):
    publikasi = case_at("section_review", people)
    seen = publikasi.versi_terbaru()
    # While the Seksi looks at version 1, it goes back and a version 2 is submitted.
    publikasi = engine.advance(publikasi, "section_return_for_revision", people["seksi"], versi=seen,
                               note="Perbaiki ejaan.")
    publikasi = engine.advance(publikasi, "submit_draft", people["admin"], caption=CAPTION + " (revisi)",
                               platforms=platforms("instagram"), gambar=[])
    with pytest.raises(engine.TindakanDitolak, match="versi 1 sudah diganti dengan versi 2") as refused:
        engine.advance(publikasi, "section_accept", people["seksi"], versi=seen)
    assert refused.value.status == 409
    assert Publikasi.objects.get(pk=publikasi.pk).state == "section_review"
    assert not Keputusan.objects.filter(versi__nomor=2).exists()


def test_editing_after_approval_needs_a_new_approval(people):
    publikasi = case_at("platform_assigned", people)
    approved = publikasi.versi_disetujui()
    assert approved.nomor == 1
    publikasi = engine.advance(publikasi, "revise_after_approval", people["admin"], note="Tanggal salah tulis.",
                               caption=CAPTION.replace("Minggu", "Sabtu"), platforms=platforms("instagram"), gambar=[])
    assert publikasi.state == "section_review"
    assert publikasi.versi_disetujui() is None
    assert not publikasi.platform_final.exists()


def test_a_rejection_needs_a_note(people):
    publikasi = case_at("ketua_review", people)
    with pytest.raises(engine.TindakanDitolak, match="wajib disertai"):
        engine.advance(publikasi, "ketua_reject", people["ketua"], versi=publikasi.versi_terbaru(), note="")


def test_a_caption_over_a_platforms_limit_cannot_be_submitted(people):
    publikasi = case_at("drafting", people)
    with pytest.raises(engine.TindakanDitolak, match="X \\(lebih 20 karakter\\)"):
        engine.advance(publikasi, "submit_draft", people["admin"], caption="a" * 300,
                       platforms=platforms("x", "instagram"), gambar=[])
    assert not publikasi.versi.exists()


def test_the_published_links_must_cover_every_platform_on_its_own_domain(people):
    publikasi = case_at("ready_to_upload", people)
    with pytest.raises(engine.TindakanDitolak, match="Tautan Instagram harus berada di instagram.com"):
        engine.advance(publikasi, "upload", people["admin"],
                       tautan={"instagram": "https://instagram.evil.example/p/1",
                               "website": "https://bunder-patuk.desa.id/x"})
    with pytest.raises(engine.TindakanDitolak, match="Tautan Website wajib diisi"):
        engine.advance(publikasi, "upload", people["admin"], tautan={"instagram": "https://instagram.com/p/1"})
    assert not TautanUnggahan.objects.exists()
    publikasi = engine.advance(publikasi, "upload", people["admin"], **data_for("upload", publikasi))
    assert sorted(publikasi.tautan.values_list("platform__kode", flat=True)) == ["instagram", "website"]


def test_platforms_are_confirmed_from_those_the_approved_version_targets(people):
    publikasi = case_at("approved", people)
    with pytest.raises(engine.TindakanDitolak, match="versi yang disetujui"):
        engine.advance(publikasi, "choose_platform", people["seksi"], platforms=platforms("tiktok"))
    publikasi = engine.advance(publikasi, "choose_platform", people["seksi"], platforms=platforms("instagram"))
    assert [p.kode for p in publikasi.platform_final.all()] == ["instagram"]


def test_the_queue_shows_waiting_for_my_approval_first(people):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    import time_machine

    wib = ZoneInfo("Asia/Jakarta")
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=wib), tick=False):
        review = case_at("section_review", people)  # 15 menit, an approval step
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=wib) - timedelta(hours=2), tick=False):
        fresh = start(people)  # step 2, 10 menit: due earlier, but not an approval
    from django.test import Client

    client = Client()
    client.force_login(people["seksi"])
    page = client.get("/staf/").content.decode()
    assert page.index(review.kode) < page.index(fresh.kode)
    assert "menunggu persetujuan" in page
