"""Forms of social-media publishing: the Ketua's instruction and one form per action."""

from django import forms
from django.conf import settings

from sop.forms import CatatanForm, sniff

from .models import PlatformMedsos, Versi

IMAGE_TYPES = {"image/jpeg", "image/png"}
MATERIAL_TYPES = IMAGE_TYPES | {"application/pdf"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class BerkasField(forms.FileField):
    """Several files, each judged by its content against ``types``."""

    def __init__(self, *args, types=MATERIAL_TYPES, **kwargs):
        self.types = types
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [super(BerkasField, self).clean(f, initial) for f in files]
        if len(files) > settings.PPID_ATTACHMENT_MAX_COUNT:
            raise forms.ValidationError(f"Paling banyak {settings.PPID_ATTACHMENT_MAX_COUNT} berkas.")
        names = "JPG atau PNG" if self.types == IMAGE_TYPES else "PDF, JPG atau PNG"
        for upload in files:
            if upload.size > settings.PPID_ATTACHMENT_MAX_BYTES:
                raise forms.ValidationError(f"Berkas \u201c{upload.name}\u201d terlalu besar.")
            upload.sniffed_type = sniff(upload)
            if upload.sniffed_type not in self.types:
                raise forms.ValidationError(f"Berkas \u201c{upload.name}\u201d bukan {names} (isi berkas diperiksa).")
        return files


class InstruksiForm(forms.Form):
    judul = forms.CharField(label="Judul kegiatan", max_length=200,
                            error_messages={"required": "Judul kegiatan wajib diisi."})
    instruksi = forms.CharField(label="Instruksi", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}),
                                error_messages={"required": "Instruksi wajib diisi."})
    bahan = forms.CharField(label="Bahan informasi kegiatan", max_length=10000,
                            widget=forms.Textarea(attrs={"rows": 6}),
                            error_messages={"required": "Bahan informasi kegiatan wajib diisi."})
    berkas = BerkasField(label="Berkas bahan (opsional)", help_text="PDF, JPG atau PNG.")


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
    gambar = BerkasField(label="Gambar", types=IMAGE_TYPES,
                         help_text="JPG atau PNG. Kosongkan untuk memakai gambar versi sebelumnya.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        latest = self.case.versi_terbaru() if self.case is not None else None
        if latest is not None and not self.is_bound:
            self.initial.setdefault("caption", latest.caption)
            self.initial.setdefault("platforms", list(latest.platform.all()))

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
