"""Export of monitored opinions (Pemantauan Opini Publik) for the admin: export only.

Opinions are not imported: their state is a protected FSM field moved only by the engine, and
an opinion is recorded by the monitor with its duplicate check. The export holds the opinions
the user may open, with the tracking code for superusers only (:class:`sop.resources.KasusResource`).
"""

from sop.resources import KasusResource

from .models import Opini


class OpiniResource(KasusResource):
    class Meta:
        model = Opini
        name = "Opini publik"
        fields = KasusResource.KOLOM_UMUM + (
            "platform", "tautan", "akun", "akun_organisasi", "tanggal_posting", "topik", "teks",
            "catatan_telaah", "alasan_tidak_ditanggapi", "jalur_diteruskan", "tanggapan", "tanggapan_via",
            "tanggapan_final", "dikirim_di", "tautan_balasan", "dipublikasikan", "dibuat", "diubah",
        )
