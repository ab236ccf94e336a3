"""Public announcements (Pontianak SOP): every transition and who may take it; serta merta
is urgent in every queue and skips the berkala-only step; publication reaches the public page
and the register."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from publikasi.models import InformasiPublik, Pengumuman
from sop import services as engine
from sop.models import Task
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
SOP = "PTK-PENGUMUMAN"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def people(sops):
    unit = UnitFactory(nama="Dinas Sosial")
    return {
        "unit": unit,
        "bidang": UserFactory(username="bidang", lanes=(SOP, "bidang_plip")),
        "pelaksana": UserFactory(username="pelaksana", lanes=(SOP, "ppid_pelaksana"), units=[unit]),
        "pelaksana_lain": UserFactory(username="pelaksana_lain", lanes=(SOP, "ppid_pelaksana"),
                                      units=[UnitFactory(nama="Dinas Kesehatan")]),
        "utama": UserFactory(username="utama", lanes=(SOP, "ppid_utama")),
        "operator": UserFactory(username="operator", lanes=(SOP, "operator_ppid")),
    }


DATA = {
    "request_collection": {"surat_koordinasi": "Mohon siapkan laporan penyaluran bansos semester II."},
    "submit_draft": {"ringkasan": "Rekap penyaluran bansos.", "isi": "Penyaluran bansos semester II 2026: 12.400 KPM.",
                     "periode": "Semester II 2026", "penanggung_jawab": "Kepala Bidang Linjamsos"},
    "verify": {"jenis": "berkala"},
}
MAIN = [
    ("request_collection", "bidang", "cycle_started"),
    ("submit_draft", "pelaksana", "collection_requested"),
    ("verify", "utama", "under_verification"),
    ("authorise_publication", "bidang", "verified"),
    ("update_content", "operator", "cleared_for_publication"),
    ("publish", "operator", "content_updated"),
]
BRANCHES = [("return_for_revision", "utama", "under_verification")]


def case_at(state, people, jenis="berkala"):
    p = engine.start(Pengumuman(judul="Penyaluran bansos semester II", jenis=jenis, unit=people["unit"]),
                     by=people["bidang"])
    for name, who, source in MAIN:
        if p.state == state:
            return p
        data = dict(DATA.get(name, {}))
        if name == "verify":
            data["jenis"] = jenis
        p = engine.advance(p, name, people[who], **data)
    return p


@pytest.mark.parametrize("name, rightful, source", MAIN + BRANCHES)
def test_each_transition_is_taken_by_its_lane_and_refused_to_every_other(people, name, rightful, source):
    p = case_at(source, people)
    for who in ("bidang", "pelaksana", "pelaksana_lain", "utama", "operator"):
        reason = engine.refusal(p, name, people[who], note="catatan")
        assert (reason is None) == (who == rightful), (who, reason)
    moved = engine.advance(p, name, people[rightful], note="catatan", **DATA.get(name, {}))
    assert moved.state != source


def test_a_published_announcement_enters_the_register_and_the_public_page(client, people):
    p = case_at("published", people)
    item = InformasiPublik.objects.get(pk=p.informasi_id)
    assert (item.kelas, item.unit, item.periode) == ("berkala", people["unit"], "Semester II 2026")
    page = client.get(reverse("publikasi:pengumuman_publik")).content.decode()
    assert "Penyaluran bansos semester II 2026: 12.400 KPM." in page
    assert "Penyaluran bansos semester II" in client.get(reverse("publikasi:dip")).content.decode()


def test_serta_merta_is_urgent_in_every_queue_and_skips_the_berkala_update(client, people):
    p = case_at("cycle_started", people, jenis="serta_merta")
    assert engine.open_task(p).mendesak
    client.force_login(people["bidang"])
    assert "mendesak" in client.get(reverse("sop:antrian")).content.decode()
    p = case_at("cleared_for_publication", people, jenis="serta_merta")
    assert "update_content" not in [a.name for a in engine.actions_for(p, people["operator"])]
    p = engine.advance(p, "publish", people["operator"])
    assert p.state == "published"
    assert all(t.mendesak for t in Task.objects.of_case(p).exclude(state=""))


def test_berkala_information_cannot_skip_the_content_update(people):
    p = case_at("cleared_for_publication", people)
    with pytest.raises(engine.TindakanDitolak, match="langkah 6"):
        engine.advance(p, "publish", people["operator"])


def test_the_draft_form_takes_a_document_checked_by_content(client, people):
    p = case_at("collection_requested", people)
    client.force_login(people["pelaksana"])
    url = reverse("publikasi:pengumuman_aksi", args=[p.kode, "submit_draft"])
    base = {"submit_draft-tahap": "collection_requested", "submit_draft-isi": "Isi informasi berkala.",
            "submit_draft-periode": "2026", "submit_draft-penanggung_jawab": "Sekretaris"}
    bad = client.post(url, {**base, "submit_draft-berkas": SimpleUploadedFile("x.pdf", b"MZ\x90", "application/pdf")})
    assert bad.status_code == 400 and "bukan PDF, JPG atau PNG" in bad.content.decode()
    good = client.post(url, {**base, "submit_draft-berkas": SimpleUploadedFile("x.pdf", PDF, "application/pdf")})
    assert good.status_code == 302
    p.refresh_from_db()
    assert p.state == "under_verification" and p.berkas_jenis == "application/pdf"


def test_the_ppid_utama_returns_a_draft_with_a_note(people):
    p = engine.advance(case_at("under_verification", people), "return_for_revision", people["utama"],
                       note="Lengkapi rincian per kecamatan.")
    assert p.state == "collection_requested" and p.catatan_verifikasi == "Lengkapi rincian per kecamatan."
