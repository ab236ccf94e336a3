"""The time standard ("Waktu" in the SOP's Mutu Baku) as written, parsed into a value.

An SOP writes its standards as free text: "5 menit", "5menit", "10 | Menit", "max 3 hari",
"<24 jam", "seketika", "10 (sepuluh) hari kerja untuk hasil laporan ...". ``parse`` turns
each into a :class:`Waktu` (amount, unit, bound). A string it cannot read is an error with a
message an admin can act on, never a silent default: a wrong deadline is worse than none.
An empty cell means the SOP gives the step no standard (untimed), which is ``None``.

``retry_in_words`` is the portal's one wording of "try again at": every page that makes a
client wait (the rate limits, a locked-out login) says it the same way.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

INSTANT, MINUTES, HOURS, DAYS, WORKING_DAYS = "instant", "minutes", "hours", "days", "working_days"
TARGET, MAX, LT = "target", "max", "lt"

UNIT_LABELS = {INSTANT: "seketika", MINUTES: "menit", HOURS: "jam", DAYS: "hari", WORKING_DAYS: "hari kerja"}
UNIT_CHOICES = [(INSTANT, "seketika"), (MINUTES, "menit"), (HOURS, "jam"), (DAYS, "hari"), (WORKING_DAYS, "hari kerja")]
BOUND_CHOICES = [(TARGET, "standar"), (MAX, "paling lama"), (LT, "kurang dari")]

_UNITS = {"menit": MINUTES, "jam": HOURS, "hari kerja": WORKING_DAYS, "hari": DAYS}
_MAX = re.compile(r"^(?:maksimal|maksimum|maks\.?|max\.?|paling lama)\s*")
_AMOUNT = re.compile(r"^(\d+)\s*(?:\([^)]*\)\s*)?(menit|jam|hari\s+kerja|hari)(?![a-z])")


def lewat(moment, due_at, bound):
    """Whether ``moment`` is past ``due_at``: a "<24 jam" standard (``LT``) is missed at the
    deadline itself, any other only after it. The one rule behind a Task that is overdue (now)
    and one that finished late."""
    return moment >= due_at if bound == LT else moment > due_at


class WaktuTidakTerbaca(ValueError):
    """The text is not a time standard the engine can count."""


@dataclass(frozen=True)
class Waktu:
    value: int
    unit: str
    bound: str = TARGET

    def __str__(self):
        if self.unit == INSTANT:
            return "seketika"
        prefix = {TARGET: "", MAX: "paling lama ", LT: "kurang dari "}[self.bound]
        return f"{prefix}{self.value} {UNIT_LABELS[self.unit]}"


def parse(raw):
    """Return the :class:`Waktu` written in ``raw``, ``None`` for an empty cell.

    Raises :class:`WaktuTidakTerbaca` with an Indonesian message for anything else.
    """
    if raw is None:
        return None
    text = " ".join(str(raw).replace("|", " ").replace("⎮", " ").split()).lower()
    if text == "":
        return None
    if text == "seketika" or text.startswith("seketika "):
        return Waktu(0, INSTANT)
    bound = TARGET
    m = _MAX.match(text)
    if m:
        bound, text = MAX, text[m.end():]
    elif text.startswith("<"):
        bound, text = LT, text[1:].lstrip()
    m = _AMOUNT.match(text)
    if not m:
        raise WaktuTidakTerbaca(
            f"Standar waktu {raw!r} tidak dapat dibaca. Tulis misalnya \"5 menit\", \"max 3 hari\", "
            "\"<24 jam\", \"10 hari kerja\" atau \"seketika\"; kosongkan bila langkah tidak berbatas waktu."
        )
    value = int(m.group(1))
    unit = _UNITS[re.sub(r"\s+", " ", m.group(2))]
    if value == 0:
        raise WaktuTidakTerbaca(f"Standar waktu {raw!r} bernilai nol; tulis \"seketika\" untuk langkah segera.")
    return Waktu(value, unit, bound)


def retry_in_words(seconds):
    """When a client that must wait ``seconds`` may try again, in words: "setelah pukul HH:MM
    WIB (sekitar N menit lagi)", N at least 1."""
    until = timezone.localtime() + timedelta(seconds=seconds)
    minutes = max(1, round(seconds / 60))
    return f"setelah pukul {until:%H:%M} WIB (sekitar {minutes} menit lagi)"
