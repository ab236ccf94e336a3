"""Import and export of the publication workflows for the admin.

- ``InformasiPublikResource``: the register (DIP), exported and imported, so an office can
  load its existing register from a spreadsheet. Rows with an empty ``no.`` are new items;
  rows with a number update that item. Exemption is granted only by a consequence test: an
  import can neither make an item "dikecualikan" nor change an exempt item's class, and the
  exemption columns are exported but never read. Documents are uploaded in the admin.
- ``PublikasiResource``, ``UjiKonsekuensiResource``, ``PengumumanResource``: export only.
  Their state is a protected FSM field moved only by the engine, so a file cannot create or
  move one. Each holds the cases the user may open (:class:`sop.resources.KasusResource`).
"""

from import_export import widgets
from import_export.fields import Field

from sop.models import Unit
from sop.resources import (
    BilanganWidget, KasusResource, KodeWidget, PilihanWidget, ResourceDasar, TanggalWidget, kolom,
)

from .models import InformasiPublik, Pengumuman, PlatformMedsos, Publikasi, UjiKonsekuensi
from .models.dip import Bentuk, Kelas


class InformasiPublikResource(ResourceDasar):
    PETUNJUK = (
        "Kosongkan kolom no. untuk informasi baru; isi no. untuk mengubah informasi itu. Unit ditulis dengan "
        "namanya. Informasi hanya dapat dikecualikan melalui uji konsekuensi, tidak lewat impor; berkas "
        "dokumen diunggah di halaman admin."
    )
    id = Field("id", "no.", widget=BilanganWidget())
    judul = kolom("judul", "judul")
    ringkasan = kolom("ringkasan", "ringkasan")
    unit = Field("unit", "unit penanggung jawab", widget=KodeWidget(Unit, "nama", "Perangkat Daerah"))
    penanggung_jawab = kolom("penanggung_jawab", "penanggung jawab")
    periode = kolom("periode", "periode")
    bentuk = Field("bentuk", "bentuk", widget=PilihanWidget(Bentuk.choices))
    kelas = Field("kelas", "klasifikasi", widget=PilihanWidget(Kelas.choices))
    tautan = kolom("tautan", "tautan")
    diterbitkan = Field("diterbitkan", "tanggal diterbitkan", widget=TanggalWidget())
    jangka_simpan = kolom("jangka_simpan", "jangka waktu penyimpanan")
    dasar_pengecualian = Field("dasar_pengecualian", "dasar hukum pengecualian", readonly=True)
    dikecualikan_sampai = Field("dikecualikan_sampai", "dikecualikan sampai", widget=TanggalWidget(), readonly=True)

    class Meta:
        model = InformasiPublik
        name = "Daftar Informasi Publik"
        fields = ("id", "judul", "ringkasan", "unit", "penanggung_jawab", "periode", "bentuk", "kelas", "tautan",
                  "diterbitkan", "jangka_simpan", "dasar_pengecualian", "dikecualikan_sampai")
        import_id_fields = ("id",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False  # the preview lists what changes; the summary counts the rest

    def get_queryset(self):
        return InformasiPublik.objects.select_related("unit").order_by("id")

    def periksa_baris(self, instance, row, errors):
        # The row is not saved yet: the database still holds the item's class before the import.
        was = InformasiPublik.objects.filter(pk=instance.pk).values_list("kelas", flat=True).first()
        if instance.pk is not None and was is None:
            errors["id"] = [f"Informasi no. {instance.pk} tidak ada; kosongkan kolom no. untuk informasi baru."]
        if "kelas" not in errors:
            if was == Kelas.DIKECUALIKAN and instance.kelas != Kelas.DIKECUALIKAN:
                errors["kelas"] = [
                    "Informasi ini dikecualikan berdasarkan uji konsekuensi; klasifikasinya tidak dapat "
                    "diubah lewat impor."
                ]
            elif was != Kelas.DIKECUALIKAN and instance.kelas == Kelas.DIKECUALIKAN:
                errors["kelas"] = [
                    "Informasi hanya dapat dikecualikan melalui uji konsekuensi, tidak lewat impor."
                ]


class PublikasiResource(KasusResource):
    platform_final = Field(
        "platform_final", "platform yang ditentukan", widget=widgets.ManyToManyWidget(PlatformMedsos, ";", "nama")
    )

    class Meta:
        model = Publikasi
        name = "Publikasi media sosial"
        fields = KasusResource.KOLOM_UMUM + ("judul", "instruksi", "bahan", "platform_final", "dibuat", "diubah")


class UjiKonsekuensiResource(KasusResource):
    class Meta:
        model = UjiKonsekuensi
        name = "Uji konsekuensi"
        fields = KasusResource.KOLOM_UMUM + (
            "informasi", "pemicu", "usulan_alasan", "pasal", "konsekuensi", "kepentingan_publik", "jangka_tahun",
            "keputusan_atasan", "nomor_penetapan", "tempat_penetapan", "tanggal_penetapan", "dibuat", "diubah",
        )
        widgets = {"informasi": {"field": "judul"}}


class PengumumanResource(KasusResource):
    class Meta:
        model = Pengumuman
        name = "Pengumuman informasi publik"
        fields = KasusResource.KOLOM_UMUM + (
            "judul", "jenis", "ringkasan", "isi", "periode", "penanggung_jawab", "catatan_verifikasi",
            "dipublikasikan", "dibuat", "diubah",
        )
