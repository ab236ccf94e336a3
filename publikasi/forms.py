"""Forms of social-media publishing: the Ketua's instruction and one form per action."""

from django import forms

from sop.forms import IMAGE_TYPES, CatatanForm, MultipleFileField

from .models import PlatformMedsos, Versi

class InstruksiForm(forms.Form):
    judul = forms.CharField(label="Judul kegiatan", max_length=200,
                            error_messages={"required": "Judul kegiatan wajib diisi."})
    instruksi = forms.CharField(label="Instruksi", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                                error_messages={"required": "Instruksi wajib diisi."})
    bahan = forms.CharField(label="Bahan informasi kegiatan", max_length=10000,
                            widget=forms.Textarea(attrs={"rows": 6}),
                            error_messages={"required": "Bahan informasi kegiatan wajib diisi."})
    berkas = MultipleFileField(label="Berkas bahan (opsional)", required=False, help_text="PDF, JPG atau PNG.")


class KonsepForm(CatatanForm):
    """The Admin Medsos's draft: caption, pictures, target platforms. Starts from the latest
    version, so a revision edits what the reviewer saw."""

    field_order = ["caption", "platforms", "gambar", "catatan"]
    caption = forms.CharField(label="Keterangan (caption)", max_length=70000,
                              widget=forms.Textarea(attrs={"rows": 8}),
                              error_messages={"required": "Keterangan wajib diisi."})
    platforms = forms.ModelMultipleChoiceField(
        label="Platform tujuan", queryset=PlatformMedsos.objects.filter(aktif=True),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Pilih paling sedikit satu platform tujuan.",
                        "invalid_choice": "Platform yang dipilih tidak tersedia."},
    )
    gambar = MultipleFileField(label="Gambar", types=IMAGE_TYPES, required=False,
                               help_text="JPG atau PNG. Kosongkan untuk memakai gambar versi sebelumnya.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        latest = self.case.versi_terbaru() if self.case is not None else None
        if latest is not None and not self.is_bound:
            self.initial.setdefault("caption", latest.caption)
            self.initial.setdefault("platforms", list(latest.platform.all()))

    def clean_caption(self):
        # Browsers send a line break as \r\n; the platforms count it as one character.
        return self.cleaned_data["caption"].replace("\r\n", "\n")

    def clean(self):
        data = super().clean()
        caption, platforms = data.get("caption", ""), data.get("platforms") or []
        over = [f"{p.nama}: {len(caption)} dari {p.batas_karakter} karakter" for p in platforms if p.kelebihan(caption)]
        if over:
            self.add_error("caption", "Keterangan melebihi batas platform (" + "; ".join(over) + ").")
        return data

    def data_for_service(self):
        return {"caption": self.cleaned_data["caption"], "platforms": list(self.cleaned_data["platforms"]),
                "gambar": self.cleaned_data["gambar"]}


class TelaahVersiForm(CatatanForm):
    """A review decision: carries the version the reviewer saw, so a stale one is refused."""

    versi = forms.IntegerField(widget=forms.HiddenInput,
                               error_messages={"required": "Versi yang ditelaah tidak diketahui; muat ulang halaman."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        latest = self.case.versi_terbaru() if self.case is not None else None
        if latest is not None and not self.is_bound:
            self.initial["versi"] = latest.pk

    def data_for_service(self):
        return {"versi": Versi.objects.filter(pk=self.cleaned_data["versi"], publikasi=self.case).first()}


class PlatformForm(CatatanForm):
    field_order = ["platforms", "catatan"]
    platforms = forms.ModelMultipleChoiceField(
        label="Platform yang digunakan", queryset=PlatformMedsos.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Pilih paling sedikit satu platform.",
                        "invalid_choice": "Platform itu bukan tujuan versi yang disetujui."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        approved = self.case.versi_disetujui() if self.case is not None else None
        if approved is not None:
            self.fields["platforms"].queryset = approved.platform.all()
            if not self.is_bound:
                self.initial["platforms"] = list(approved.platform.all())

    def data_for_service(self):
        return {"platforms": list(self.cleaned_data["platforms"])}


class UnggahForm(CatatanForm):
    """One link field per confirmed platform."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.platforms = list(self.case.platform_final.all()) if self.case is not None else []
        for platform in self.platforms:
            hint = ", ".join(platform.domains()) or "alamat website"
            self.fields[f"tautan_{platform.kode}"] = forms.URLField(
                label=f"Tautan {platform.nama}", max_length=500, assume_scheme="https", help_text=f"Di {hint}.",
                error_messages={"required": f"Tautan {platform.nama} wajib diisi.",
                                "invalid": "Tautan tidak valid: tulis alamat lengkap yang diawali https://"},
            )
        self.order_fields([f"tautan_{p.kode}" for p in self.platforms] + ["catatan"])

    def clean(self):
        data = super().clean()
        for platform in self.platforms:
            url = data.get(f"tautan_{platform.kode}")
            if url and not platform.accepts(url):
                self.add_error(f"tautan_{platform.kode}", f"Tautan ini bukan alamat {platform.nama}.")
        return data

    def data_for_service(self):
        return {"tautan": {p.kode: self.cleaned_data[f"tautan_{p.kode}"] for p in self.platforms}}


ACTION_FORMS = {
    "submit_draft": KonsepForm,
    "revise_after_approval": KonsepForm,
    "section_return_for_revision": TelaahVersiForm,
    "section_accept": TelaahVersiForm,
    "ketua_reject": TelaahVersiForm,
    "ketua_approve": TelaahVersiForm,
    "choose_platform": PlatformForm,
    "upload": UnggahForm,
}


# --- the consequence test (Serang) ------------------------------------------------------

class UsulanUjiForm(forms.Form):
    """Opening a consequence test: which register item, from which unit, and why now."""

    informasi = forms.ModelChoiceField(
        label="Informasi yang diusulkan dikecualikan", queryset=None,
        error_messages={"required": "Pilih informasi dari Daftar Informasi Publik.",
                        "invalid_choice": "Informasi itu bukan milik unit Anda atau sudah dikecualikan."},
    )
    pemicu = forms.ChoiceField(label="Pemicu pengujian", choices=[], error_messages={
        "required": "Pilih pemicu pengujian.", "invalid_choice": "Pemicu tidak dikenal."})

    def __init__(self, *args, user=None, **kwargs):
        from .models import InformasiPublik, UjiKonsekuensi
        from .models.dip import Kelas

        super().__init__(*args, **kwargs)
        finished = (UjiKonsekuensi.State.LISTED_IN_DIK, UjiKonsekuensi.State.NOT_EXEMPT)
        self.fields["informasi"].queryset = (
            InformasiPublik.objects.filter(unit__in=user.units.all())
            .exclude(kelas=Kelas.DIKECUALIKAN)
            .exclude(uji__in=UjiKonsekuensi.objects.exclude(state__in=finished))  # one open test per item
            .select_related("unit")
        )
        self.fields["pemicu"].choices = UjiKonsekuensi.Pemicu.choices


class UsulanAlasanForm(CatatanForm):
    field_order = ["usulan_alasan", "catatan"]
    usulan_alasan = forms.CharField(label="Akibat yang timbul bila informasi dibuka", max_length=8000,
                                    widget=forms.Textarea(attrs={"rows": 5}),
                                    error_messages={"required": "Uraikan akibat yang timbul bila informasi dibuka."})

    def data_for_service(self):
        return {"usulan_alasan": self.cleaned_data["usulan_alasan"]}


class HasilUjiForm(CatatanForm):
    field_order = ["pasal", "konsekuensi", "kepentingan_publik", "jangka_tahun", "berita_acara", "catatan"]
    pasal = forms.ChoiceField(label="Dasar pengecualian (UU 14/2008 Pasal 17)", choices=[],
                              error_messages={"required": "Pilih dasar pengecualian.",
                                              "invalid_choice": "Dasar pengecualian tidak dikenal."})
    konsekuensi = forms.CharField(label="Konsekuensi bila informasi dibuka", max_length=8000,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  error_messages={"required": "Uraikan konsekuensi bila dibuka."})
    kepentingan_publik = forms.CharField(
        label="Pertimbangan kepentingan publik yang lebih besar (Pasal 19)", max_length=8000,
        widget=forms.Textarea(attrs={"rows": 4}), error_messages={"required": "Uraikan pertimbangan kepentingan publik."})
    jangka_tahun = forms.IntegerField(label="Jangka waktu pengecualian (tahun)", min_value=1, max_value=30,
                                      error_messages={"required": "Isi jangka waktu pengecualian.",
                                                      "invalid": "Jangka waktu harus berupa angka tahun.",
                                                      "min_value": "Paling sedikit 1 tahun.",
                                                      "max_value": "Paling lama 30 tahun."})
    berita_acara = forms.CharField(label="Berita acara uji konsekuensi", max_length=20000,
                                   widget=forms.Textarea(attrs={"rows": 5}),
                                   error_messages={"required": "Berita acara wajib diisi."})

    def __init__(self, *args, **kwargs):
        from .models.uji import PASAL_17

        super().__init__(*args, **kwargs)
        self.fields["pasal"].choices = [("", "— pilih —")] + PASAL_17
        # After "uji ulang" the PPID Utama corrects the earlier test rather than retyping it.
        if self.case is not None and not self.is_bound:
            for name in ("pasal", "konsekuensi", "kepentingan_publik", "jangka_tahun", "berita_acara"):
                self.initial.setdefault(name, getattr(self.case, name))

    def data_for_service(self):
        keys = ("pasal", "konsekuensi", "kepentingan_publik", "jangka_tahun", "berita_acara")
        return {k: self.cleaned_data[k] for k in keys}


class PenetapanForm(CatatanForm):
    field_order = ["nomor", "tempat", "tanggal", "catatan"]
    nomor = forms.CharField(label="Nomor Surat Penetapan", max_length=100,
                            error_messages={"required": "Nomor surat wajib diisi."})
    tempat = forms.CharField(label="Tempat penetapan", max_length=100, initial="Serang",
                             error_messages={"required": "Tempat penetapan wajib diisi."})
    tanggal = forms.DateField(label="Tanggal penetapan", widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"required": "Tanggal penetapan wajib diisi.",
                                              "invalid": "Tanggal tidak valid; gunakan format tahun-bulan-tanggal."})

    def data_for_service(self):
        return {k: self.cleaned_data[k] for k in ("nomor", "tempat", "tanggal")}


class LampiranAlasanForm(CatatanForm):
    field_order = ["lampiran_alasan", "catatan"]
    lampiran_alasan = forms.CharField(label="Lampiran: alasan pengecualian", max_length=20000,
                                      widget=forms.Textarea(attrs={"rows": 5}),
                                      error_messages={"required": "Lampiran alasan wajib diisi."})

    def data_for_service(self):
        return {"lampiran_alasan": self.cleaned_data["lampiran_alasan"]}


UJI_FORMS = {
    "submit_proposal": UsulanAlasanForm,
    "complete_test": HasilUjiForm,
    "issue_determination": PenetapanForm,
    "attach_reasons": LampiranAlasanForm,
}


# --- announcements (Pontianak) ------------------------------------------------------------

class PengumumanBaruForm(forms.Form):
    judul = forms.CharField(label="Judul informasi", max_length=300, error_messages={"required": "Judul wajib diisi."})
    jenis = forms.ChoiceField(label="Jenis informasi", choices=[], error_messages={
        "required": "Pilih jenis informasi.", "invalid_choice": "Jenis informasi tidak dikenal."})
    unit = forms.ModelChoiceField(label="Unit (PPID Pelaksana) yang menyiapkan", queryset=None,
                                  error_messages={"required": "Pilih unit.", "invalid_choice": "Unit tidak tersedia."})

    def __init__(self, *args, **kwargs):
        from sop.models import Unit

        from .models.pengumuman import JENIS

        super().__init__(*args, **kwargs)
        self.fields["jenis"].choices = JENIS
        self.fields["unit"].queryset = Unit.objects.filter(aktif=True)


class KoordinasiForm(CatatanForm):
    field_order = ["surat_koordinasi", "catatan"]
    surat_koordinasi = forms.CharField(label="Surat koordinasi", max_length=8000, widget=forms.Textarea(attrs={"rows": 4}),
                                       error_messages={"required": "Isi surat koordinasi."})

    def data_for_service(self):
        return {"surat_koordinasi": self.cleaned_data["surat_koordinasi"]}


class RancanganForm(CatatanForm):
    field_order = ["ringkasan", "isi", "periode", "penanggung_jawab", "berkas", "catatan"]
    ringkasan = forms.CharField(label="Ringkasan", max_length=1000, required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    isi = forms.CharField(label="Isi informasi", max_length=20000, widget=forms.Textarea(attrs={"rows": 6}),
                          error_messages={"required": "Isi informasi wajib diisi."})
    periode = forms.CharField(label="Periode", max_length=100, error_messages={"required": "Periode wajib diisi."})
    penanggung_jawab = forms.CharField(label="Penanggung jawab", max_length=200,
                                       error_messages={"required": "Penanggung jawab wajib diisi."})
    berkas = MultipleFileField(label="Dokumen (opsional)", required=False, help_text="PDF, JPG atau PNG; satu berkas.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["berkas"].widget = forms.ClearableFileInput()
        if self.case is not None and self.case.berkas:
            self.fields["berkas"].help_text = "Sudah ada dokumen; kosongkan untuk tetap memakainya."
        if self.case is not None and not self.is_bound:
            for name in ("ringkasan", "isi", "periode", "penanggung_jawab"):
                self.initial.setdefault(name, getattr(self.case, name))

    def clean_berkas(self):
        files = self.cleaned_data["berkas"]
        if len(files) > 1:
            raise forms.ValidationError("Unggah satu berkas saja.")
        return files

    def data_for_service(self):
        data = {k: self.cleaned_data[k] for k in ("ringkasan", "isi", "periode", "penanggung_jawab")}
        data["berkas"] = self.cleaned_data["berkas"][0] if self.cleaned_data["berkas"] else None
        return data


class VerifikasiForm(CatatanForm):
    field_order = ["jenis", "catatan"]
    jenis = forms.ChoiceField(label="Klasifikasi informasi", choices=[], error_messages={
        "required": "Pilih klasifikasi.", "invalid_choice": "Klasifikasi tidak dikenal."})

    def __init__(self, *args, **kwargs):
        from .models.pengumuman import JENIS

        super().__init__(*args, **kwargs)
        self.fields["jenis"].choices = JENIS
        if self.case is not None and not self.is_bound:
            self.initial.setdefault("jenis", self.case.jenis)

    def data_for_service(self):
        return {"jenis": self.cleaned_data["jenis"]}


PENGUMUMAN_FORMS = {
    "request_collection": KoordinasiForm,
    "submit_draft": RancanganForm,
    "verify": VerifikasiForm,
}
