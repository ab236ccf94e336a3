"""Forms of the complaint service: the public form, the tracking form, and one form per
staff action. Every message is in Bahasa Indonesia."""

import re

from django import forms
from django.conf import settings
from django.utils import timezone

from sop.forms import BotTrapForm, CatatanForm, KodeLacakForm, MultipleFileField
from sop.models import Unit

from .models import Aduan


class AduanForm(BotTrapForm, forms.ModelForm):
    """The public complaint form. The bot trap (BotTrapForm) renders by hand in aduan/baru.html."""

    bot_trap_salt = "aduan.formulir.dimulai"
    submit_label = "Kirim aduan"
    too_fast_message = (
        "Aduan terkirim terlalu cepat setelah formulir dibuka, sehingga tampak seperti kiriman "
        "otomatis. Isian Anda masih ada di bawah: periksa kembali, lalu tekan \u201c{button}\u201d lagi."
    )

    lampiran = MultipleFileField(label="Lampiran (opsional)", required=False, noun="lampiran")

    class Meta:
        model = Aduan
        fields = ["uraian", "lokasi", "tanggal_kejadian", "kategori", "anonim", "rahasia", "nama", "email", "telepon"]
        labels = {
            "uraian": "Apa yang terjadi?",
            "lokasi": "Di mana?",
            "tanggal_kejadian": "Kapan terjadi? (opsional)",
            "kategori": "Kategori",
            "anonim": "Kirim sebagai anonim (identitas tidak disimpan sama sekali)",
            "rahasia": "Rahasiakan identitas saya (tidak diperlihatkan kepada OPD dan publik)",
            "nama": "Nama (opsional)",
            "email": "E-mail (opsional, untuk kabar perkembangan)",
            "telepon": "Telepon/WhatsApp (opsional)",
        }
        help_texts = {
            "uraian": "Ceritakan kejadiannya: apa, siapa yang terdampak, sejak kapan. Minimal 20 karakter.",
            "lokasi": "Misalnya: Jl. Sultan Fatah depan Pasar Bintoro, Kecamatan Demak.",
        }
        widgets = {
            "uraian": forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
            "lokasi": forms.TextInput(attrs={"maxlength": 300}),
            "tanggal_kejadian": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "nama": forms.TextInput(attrs={"autocomplete": "name", "maxlength": 150}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "telepon": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "maxlength": 30}),
        }
        error_messages = {
            "uraian": {"required": "Uraian aduan wajib diisi."},
            "lokasi": {"required": "Lokasi kejadian wajib diisi."},
            "kategori": {"required": "Pilih kategori aduan.", "invalid_choice": "Kategori yang dipilih tidak tersedia."},
            "email": {"invalid": "Alamat e-mail tidak valid, misalnya nama@contoh.id."},
            "tanggal_kejadian": {"invalid": "Tanggal tidak valid; gunakan format tahun-bulan-tanggal."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kategori"].choices = [("", "— pilih kategori —"), *Aduan.Kategori.choices]
        max_mb = settings.PPID_ATTACHMENT_MAX_BYTES // (1024 * 1024)
        self.fields["lampiran"].help_text = (
            f"PDF, JPG atau PNG; paling banyak {settings.PPID_ATTACHMENT_MAX_COUNT} berkas, masing-masing "
            f"paling besar {max_mb} MB."
        )

    def clean_uraian(self):
        text = self.cleaned_data["uraian"].strip()
        if len(text) < 20:
            raise forms.ValidationError("Uraian terlalu singkat: tuliskan minimal 20 karakter agar aduan dapat ditelaah.")
        if len(text) > 5000:
            raise forms.ValidationError("Uraian terlalu panjang: paling banyak 5.000 karakter.")
        return text

    def clean_lokasi(self):
        text = self.cleaned_data["lokasi"].strip()
        if len(text) < 3:
            raise forms.ValidationError("Lokasi terlalu singkat.")
        return text

    def clean_tanggal_kejadian(self):
        day = self.cleaned_data.get("tanggal_kejadian")
        if day and day > timezone.localdate():
            raise forms.ValidationError("Tanggal kejadian tidak boleh di masa depan.")
        return day

    def clean_telepon(self):
        phone = self.cleaned_data.get("telepon", "").strip()
        if phone and not re.fullmatch(r"\+?[0-9 ()-]{6,30}", phone):
            raise forms.ValidationError("Nomor telepon hanya boleh berisi angka, spasi, tanda +, - dan kurung.")
        return phone

    def clean(self):
        data = super().clean()
        if data.get("anonim"):
            # Anonymous means no identity kept: drop what was typed rather than refuse.
            for field in ("nama", "email", "telepon"):
                data[field] = ""
            data["rahasia"] = False
        return data


class LacakForm(KodeLacakForm):
    model = Aduan
    empty_message = "Masukkan kode lacak yang Anda terima saat mengirim aduan."


class VerifikasiOpdForm(CatatanForm):
    field_order = ["unit", "catatan"]
    unit = forms.ModelChoiceField(
        label="OPD tujuan",
        queryset=Unit.objects.filter(aktif=True),
        empty_label="— pilih OPD —",
        error_messages={"required": "Pilih OPD tujuan.", "invalid_choice": "OPD yang dipilih tidak tersedia."},
    )

    def data_for_service(self):
        return {"unit": self.cleaned_data["unit"]}


class JawabanForm(CatatanForm):
    field_order = ["jawaban", "catatan"]
    jawaban = forms.CharField(
        label="Jawaban untuk Pengadu",
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Jawaban wajib diisi."},
    )

    def clean_jawaban(self):
        text = self.cleaned_data["jawaban"].strip()
        if len(text) < 10:
            raise forms.ValidationError("Jawaban terlalu singkat: tuliskan minimal 10 karakter.")
        return text

    def data_for_service(self):
        return {"jawaban": self.cleaned_data["jawaban"]}


# Which form each action needs beyond a note.
ACTION_FORMS = {
    "verify_opd": VerifikasiOpdForm,
    "submit_answer": JawabanForm,
    "post_follow_up": JawabanForm,
}
