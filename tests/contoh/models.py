"""The test-only workflow: a citizen's request (Permintaan) on the SOP ``UJI-CONTOH``
(``sop/uji_contoh.yaml``). Four lanes: the citizen (Pemohon, who files it), the desk
(Petugas, supervised by the Kepala), a per-unit lane (Unit, supervised by the desk) and the
Kepala, whose step is an approval. Every kind of transition the engine serves is here: one
that needs a unit, a rejection that needs a note, a return for correction, an approval."""

from django.db import models
from django_fsm import FSMField, transition

from sop.exceptions import TindakanDitolak
from sop.models import Case


def _has_unit(case):
    return case.unit_id is not None


_has_unit.pesan = "Pilih unit tujuan terlebih dahulu."


class Permintaan(Case):
    SOP_KODE = "UJI-CONTOH"
    KODE_PREFIX = "UJI"
    STAFF_URL_NAME = "contoh:detail"

    class State(models.TextChoices):
        MASUK = "masuk", "Permintaan masuk"
        DI_UNIT = "di_unit", "Dikerjakan unit"
        MENUNGGU = "menunggu_persetujuan", "Menunggu persetujuan"
        DITOLAK = "ditolak", "Ditolak"
        SELESAI = "selesai", "Selesai"

    state = FSMField("tahap", default=State.MASUK, choices=State.choices, protected=True)
    uraian = models.TextField("uraian")
    email = models.EmailField("e-mail", blank=True)
    jawaban = models.TextField("jawaban", blank=True)
    penting = models.BooleanField("penting", default=False)

    class Meta:
        ordering = ["-dibuat"]
        verbose_name = "permintaan contoh"
        verbose_name_plural = "permintaan contoh"

    def judul_antrian(self):
        return self.uraian[:120]

    def mendesak(self):
        return self.penting

    @transition(field=state, source=State.MASUK, target=State.DI_UNIT, custom={"label": "Teruskan ke unit"})
    def terima(self, by=None, note="", unit=None):
        if unit is None:
            raise TindakanDitolak("Pilih unit tujuan terlebih dahulu.", status=400)
        self.unit = unit

    @transition(field=state, source=State.MASUK, target=State.DITOLAK,
                custom={"label": "Tolak", "style": "bahaya", "note_required": True})
    def tolak(self, by=None, note=""):
        """A final refusal; the reason is the note."""

    @transition(field=state, source=State.DI_UNIT, target=State.MENUNGGU, conditions=[_has_unit],
                custom={"label": "Kirim jawaban"})
    def jawab(self, by=None, note="", jawaban=""):
        if not jawaban.strip():
            raise TindakanDitolak("Jawaban wajib diisi.", status=400)
        self.jawaban = jawaban.strip()

    @transition(field=state, source=State.MENUNGGU, target=State.DI_UNIT,
                custom={"label": "Kembalikan untuk diperbaiki", "style": "bahaya", "note_required": True})
    def kembalikan(self, by=None, note=""):
        """The Kepala returns the answer to the unit."""

    @transition(field=state, source=State.MENUNGGU, target=State.SELESAI, custom={"label": "Setujui"})
    def setujui(self, by=None, note=""):
        """The approval: the case is done."""

    def notifikasi_warga(self, transition, note):
        if not self.email or transition not in ("dibuat", "tolak", "setujui"):
            return []
        return [(self.email, f"[{self.kode}] {self.get_state_display()}", f"Tahap: {self.get_state_display()}\n")]
