"""Bring a publication to any state of its SOP through the engine, as the lanes would."""

from publikasi.models import PlatformMedsos, Publikasi
from sop import services as engine

CAPTION = "Kerja bakti warga Padukuhan Bunder membersihkan saluran irigasi, Minggu 22 November 2026."


def platforms(*kode):
    return list(PlatformMedsos.objects.filter(kode__in=kode))


def data_for(name, publikasi):
    if name in ("submit_draft", "revise_after_approval"):
        return {"caption": CAPTION, "platforms": platforms("instagram", "website"), "gambar": []}
    if name in ("section_return_for_revision", "section_accept", "ketua_reject", "ketua_approve"):
        return {"versi": publikasi.versi_terbaru()}
    if name == "choose_platform":
        return {"platforms": platforms("instagram", "website")}
    if name == "upload":
        return {"tautan": {"instagram": "https://www.instagram.com/p/BunderKB1/",
                           "website": "https://bunder-patuk.desa.id/berita/kerja-bakti"}}
    return {}


MAIN = [
    ("assign_to_admin", "seksi", "instructed"),
    ("submit_draft", "admin", "drafting"),
    ("section_accept", "seksi", "section_review"),
    ("submit_to_ketua", "seksi", "section_accepted"),
    ("ketua_approve", "ketua", "ketua_review"),
    ("choose_platform", "seksi", "approved"),
    ("accept_material", "admin", "platform_assigned"),
    ("upload", "admin", "ready_to_upload"),
    ("report_links_to_ketua", "seksi", "uploaded"),
    ("acknowledge_report", "ketua", "reported_to_ketua"),
]
BRANCHES = [
    ("section_return_for_revision", "seksi", "section_review"),
    ("ketua_reject", "ketua", "ketua_review"),
    ("revise_after_approval", "admin", "approved"),
    ("revise_after_approval", "admin", "platform_assigned"),
    ("revise_after_approval", "admin", "ready_to_upload"),
]


def start(people):
    return engine.start(Publikasi(judul="Kerja bakti irigasi", instruksi="Mohon dipublikasikan hari ini.",
                                  bahan="Foto dan keterangan kegiatan kerja bakti."), by=people["ketua"])


def case_at(state, people):
    publikasi = start(people)
    for name, who, source in MAIN:
        if publikasi.state == state:
            return publikasi
        publikasi = engine.advance(publikasi, name, people[who], **data_for(name, publikasi))
    assert publikasi.state == state
    return publikasi
