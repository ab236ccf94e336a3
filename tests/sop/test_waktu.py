"""The time-standard parser reads every string the five SOPs write, and nothing else."""

import pytest

from sop import waktu as w

# specs.md §6.3: every distinct Waktu cell of the five documents, and its reading.
VERBATIM = [
    ("Seketika", w.Waktu(0, w.INSTANT)),
    ("seketika", w.Waktu(0, w.INSTANT)),
    ("5 Menit", w.Waktu(5, w.MINUTES)),
    ("5 menit", w.Waktu(5, w.MINUTES)),
    ("5menit", w.Waktu(5, w.MINUTES)),
    ("10 Menit", w.Waktu(10, w.MINUTES)),
    ("10 menit", w.Waktu(10, w.MINUTES)),
    ("10⎮Menit", w.Waktu(10, w.MINUTES)),
    ("10 | Menit", w.Waktu(10, w.MINUTES)),
    ("15 Menit", w.Waktu(15, w.MINUTES)),
    ("15 menit", w.Waktu(15, w.MINUTES)),
    ("20 menit", w.Waktu(20, w.MINUTES)),
    ("60 Menit", w.Waktu(60, w.MINUTES)),
    ("<24 jam", w.Waktu(24, w.HOURS, w.LT)),
    ("1 hari", w.Waktu(1, w.DAYS)),
    ("3 hari", w.Waktu(3, w.DAYS)),
    ("max 3 hari", w.Waktu(3, w.DAYS, w.MAX)),
    ("3 (tiga) hari kerja", w.Waktu(3, w.WORKING_DAYS)),
    ("7 (tujuh) hari kerja", w.Waktu(7, w.WORKING_DAYS)),
    ("10 (sepuluh) hari kerja", w.Waktu(10, w.WORKING_DAYS)),
    ("10 (sepuluh) hari kerja untuk hasil laporan Pembinaan PPD Pembinaan", w.Waktu(10, w.WORKING_DAYS)),
    ("10 (sepuluh) hari kerja untuk hasil laporan pembinaan PPD Pembinaan dan diskusi", w.Waktu(10, w.WORKING_DAYS)),
    ("30 (tiga puluh) hari kerja", w.Waktu(30, w.WORKING_DAYS)),
    ("maksimal 2 jam", w.Waktu(2, w.HOURS, w.MAX)),
]


@pytest.mark.parametrize("raw, expected", VERBATIM)
def test_every_standard_written_in_the_sops_is_read(raw, expected):
    assert w.parse(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", None])
def test_an_empty_cell_means_the_step_is_untimed(raw):
    assert w.parse(raw) is None


@pytest.mark.parametrize("raw", ["segera", "3 minggu", "tiga hari", "5", "menit", "0 menit", "max", "<", "24jamku", "-5 menit"])
def test_anything_else_is_refused_with_an_indonesian_message(raw):
    with pytest.raises(w.WaktuTidakTerbaca, match="tidak dapat dibaca|bernilai nol"):
        w.parse(raw)


def test_a_standard_reads_back_in_indonesian():
    assert str(w.parse("max 3 hari")) == "paling lama 3 hari"
    assert str(w.parse("<24 jam")) == "kurang dari 24 jam"
    assert str(w.parse("seketika")) == "seketika"
