"""Export of complaints (Layanan Aduan Masyarakat) for the admin: export only.

Complaints are not imported: their state is a protected FSM field moved only by the engine
(``sop.services``), and a complaint comes in only through the public form. The export holds
the complaints the user may open (:class:`sop.resources.KasusResource`), the tracking code for
superusers only, and the complainant's identity only where ``Aduan.identitas_terlihat`` allows
it: a confidential complaint's name, e-mail and phone are blank for the OPD lanes, and an
anonymous complaint has none to give.
"""

from sop.resources import KasusResource

from .models import Aduan

IDENTITAS = ("nama", "email", "telepon")


class AduanResource(KasusResource):
    class Meta:
        model = Aduan
        name = "Aduan masyarakat"
        fields = KasusResource.KOLOM_UMUM + (
            "kategori", "uraian", "lokasi", "tanggal_kejadian", "anonim", "rahasia", *IDENTITAS,
            "alasan_tidak_diterima", "jawaban", "jawaban_disampaikan", "tindak_lanjut", "dibuat", "diubah",
        )

    def __init__(self, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        self._terlihat = {}

    def identitas_terlihat(self, aduan):
        # The rule depends only on the user and the complaint's anonim/rahasia flags, so it
        # is asked once per kind of complaint, not once per row.
        key = (aduan.anonim, aduan.rahasia)
        if key not in self._terlihat:
            self._terlihat[key] = self.user is not None and aduan.identitas_terlihat(self.user)
        return self._terlihat[key]

    def export_field(self, field, instance, **kwargs):
        if field.attribute in IDENTITAS and not self.identitas_terlihat(instance):
            return ""
        return super().export_field(field, instance, **kwargs)
