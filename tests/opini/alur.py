"""Bring an opinion to any state of its SOP through the engine, as the lanes would."""

from sop import services as engine
from tests.factories import OpiniFactory

REPLY = "https://www.instagram.com/p/BalasanDKIS01/"


def data_for(name, people):
    return {
        "screen_and_select_pd": {"unit": people["unit"]},
        "forward_to_pd": {"jalur": "portal"},
        "submit_pd_response": {"tanggapan": "Lampu taman diganti pekan ini oleh UPT PJU."},
        "record_pd_response": {"tanggapan": "Lampu taman diganti pekan ini (jawaban e-mail)."},
        "complete_language_review": {"tanggapan_final": ""},
        "publish_and_archive": {"dikirim_di": "instagram", "tautan_balasan": REPLY},
    }.get(name, {})


# The main path, then every branch: (transition, lane that takes it, source state).
MAIN = [
    ("submit_to_kasi", "pemantau", "captured"),
    ("screen_and_select_pd", "kasi", "kasi_screening"),
    ("submit_to_kabid", "kasi", "screened"),
    ("approve_for_response", "kabid", "kabid_review"),
    ("hand_to_monitor", "kasi", "approved_for_response"),
    ("forward_to_pd", "pemantau", "ready_to_forward"),
    ("submit_pd_response", "pd", "awaiting_pd_response"),
    ("submit_for_language_review", "pemantau", "pd_response_received"),
    ("complete_language_review", "kasi", "language_review"),
    ("publish_and_archive", "pemantau", "response_ready"),
]
BRANCHES = [
    ("rescreen", "kasi", "screened"),
    ("decline_no_response_needed", "kabid", "kabid_review"),
    ("record_pd_response", "pemantau", "awaiting_pd_response"),
    ("request_pd_revision", "kasi", "language_review"),
]


def case_at(state, people):
    opini = engine.start(OpiniFactory(), by=people["pemantau"])
    for name, who, source in MAIN:
        if opini.state == state:
            return opini
        opini = engine.advance(opini, name, people[who], **data_for(name, people))
    if state == "returned_for_archiving":
        return engine.advance(case_at("kabid_review", people), "decline_no_response_needed", people["kabid"],
                              note="Hanya keluhan pribadi, bukan layanan publik.")
    assert opini.state == state
    return opini
