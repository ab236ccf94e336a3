"""Forms of opinion monitoring: capture by the monitor, and one form per action."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html
from django.urls import reverse

from sop.forms import IMAGE_TYPES, CatatanForm, UploadField
from sop.models import Unit

from .models import Opini, Platform, normalise_url, on_platform


class OpiniForm(forms.ModelForm):
    tautan = forms.URLField(
        label="Tautan unggahan (URL)", max_length=500, assume_scheme="https",
        error_messages={"invalid": "Tautan tidak valid: tulis alamat lengkap, misalnya https://www.instagram.com/p/…",
                        "required": "Tautan unggahan wajib diisi."},
    )
    tangkapan_layar = UploadField(
        label="Tangkapan layar", required=False, types=IMAGE_TYPES,
        error_messages={"type": "Tangkapan layar harus berupa gambar JPG atau PNG (isi berkas diperiksa).",
                        "size": "Tangkapan layar lebih besar dari %(mb)s MB."},
    )

    class Meta:
        model = Opini
        fields = ["platform", "tautan", "akun", "akun_organisasi", "tanggal_posting", "teks", "topik", "tangkapan_layar"]
        labels = {"akun": "Akun penulis (mis. @warga_cirebon)"}
        widgets = {
            "tanggal_posting": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "teks": forms.Textarea(attrs={"rows": 5, "maxlength": 5000}),
        }
        error_messages = {
            "platform": {"required": "Pilih platform.", "invalid_choice": "Platform yang dipilih tidak tersedia."},
            "akun": {"required": "Akun penulis wajib diisi."},
            "tanggal_posting": {"required": "Tanggal diunggah wajib diisi.",
                                "invalid": "Tanggal tidak valid; gunakan format tahun-bulan-tanggal."},
            "teks": {"required": "Isi opini wajib diisi."},
            "topik": {"required": "Topik wajib diisi."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplikat = None
        max_mb = settings.PPID_ATTACHMENT_MAX_BYTES // (1024 * 1024)
        self.fields["tangkapan_layar"].help_text = f"Opsional. JPG atau PNG, paling besar {max_mb} MB."
        self.fields["tanggal_posting"].widget.attrs["max"] = timezone.localdate().isoformat()

    def clean_tanggal_posting(self):
        day = self.cleaned_data["tanggal_posting"]
        if day > timezone.localdate():
            raise forms.ValidationError("Tanggal diunggah tidak boleh di masa depan.")
        return day

    def clean_teks(self):
        text = self.cleaned_data["teks"].strip()
        if len(text) > 5000:
            raise forms.ValidationError("Isi opini terlalu panjang: paling banyak 5.000 karakter.")
        return text

    def clean_tangkapan_layar(self):
        upload = self.cleaned_data.get("tangkapan_layar")
        if hasattr(upload, "sniffed_type"):  # a new upload, judged by UploadField
            self.instance.tangkapan_jenis = upload.sniffed_type
        return upload

    def clean(self):
        data = super().clean()
        url, platform = data.get("tautan"), data.get("platform")
        if url and platform and not on_platform(url, platform):
            self.add_error("tautan", f"Tautan ini bukan alamat {Platform(platform).label}; periksa platform atau tautannya.")
        elif url:
            existing = Opini.objects.filter(tautan_normal=normalise_url(url)).first()
            if existing is not None:
                self.duplikat = existing
                self.add_error("tautan", format_html(
                    'Unggahan ini sudah tercatat sebagai <a href="{}">{}</a>; tidak dicatat dua kali.',
                    reverse("opini:staf_detail", args=[existing.kode]), existing.kode))
        return data


class TelaahForm(CatatanForm):
    field_order = ["unit", "catatan"]
    unit = forms.ModelChoiceField(
        label="Perangkat Daerah yang menanggapi", queryset=Unit.objects.filter(aktif=True),
        empty_label="— pilih Perangkat Daerah —",
        error_messages={"required": "Pilih Perangkat Daerah.", "invalid_choice": "Perangkat Daerah tidak tersedia."},
    )

    def data_for_service(self):
        return {"unit": self.cleaned_data["unit"]}


class TeruskanForm(CatatanForm):
    field_order = ["jalur", "catatan"]
    jalur = forms.ChoiceField(
        label="Diteruskan melalui", choices=Opini.Jalur.choices,
        error_messages={"required": "Pilih jalur penerusan.", "invalid_choice": "Jalur tidak tersedia."},
    )

    def data_for_service(self):
        return {"jalur": self.cleaned_data["jalur"]}


class TanggapanForm(CatatanForm):
    field_order = ["tanggapan", "catatan"]
    tanggapan = forms.CharField(
        label="Tanggapan Perangkat Daerah", max_length=8000, widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Tanggapan wajib diisi."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An answer returned from the language review is corrected, not retyped.
        if self.case is not None and not self.is_bound and self.case.tanggapan:
            self.initial.setdefault("tanggapan", self.case.tanggapan)

    def clean_tanggapan(self):
        text = self.cleaned_data["tanggapan"].strip()
        if len(text) < 10:
            raise forms.ValidationError("Tanggapan terlalu singkat: tuliskan minimal 10 karakter.")
        return text

    def data_for_service(self):
        return {"tanggapan": self.cleaned_data["tanggapan"]}


class TinjauBahasaForm(CatatanForm):
    field_order = ["tanggapan_final", "catatan"]
    tanggapan_final = forms.CharField(
        label="Tanggapan yang akan dikirim (boleh diperbaiki bahasanya)", max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}), error_messages={"required": "Tanggapan wajib diisi."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case is not None and not self.is_bound:
            self.initial.setdefault("tanggapan_final", self.case.tanggapan)

    def data_for_service(self):
        return {"tanggapan_final": self.cleaned_data["tanggapan_final"]}


class KirimForm(CatatanForm):
    field_order = ["dikirim_di", "tautan_balasan", "catatan"]
    dikirim_di = forms.ChoiceField(
        label="Dikirim melalui", choices=Platform.choices,
        error_messages={"required": "Pilih platform.", "invalid_choice": "Platform tidak tersedia."},
    )
    tautan_balasan = forms.URLField(
        label="Tautan balasan yang diunggah", max_length=500, assume_scheme="https",
        error_messages={"required": "Tautan balasan wajib diisi.",
                        "invalid": "Tautan tidak valid: tulis alamat lengkap yang diawali https://"},
    )

    def clean(self):
        data = super().clean()
        url, platform = data.get("tautan_balasan"), data.get("dikirim_di")
        if url and platform and not on_platform(url, platform):
            self.add_error("tautan_balasan", f"Tautan ini bukan alamat {Platform(platform).label}.")
        return data

    def data_for_service(self):
        return {"dikirim_di": self.cleaned_data["dikirim_di"], "tautan_balasan": self.cleaned_data["tautan_balasan"]}


ACTION_FORMS = {
    "screen_and_select_pd": TelaahForm,
    "forward_to_pd": TeruskanForm,
    "submit_pd_response": TanggapanForm,
    "record_pd_response": TanggapanForm,
    "complete_language_review": TinjauBahasaForm,
    "publish_and_archive": KirimForm,
}
