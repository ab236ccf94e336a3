"""Forms of the complaint service: the public form, the tracking form, and one form per
staff action. Every message is in Bahasa Indonesia."""

import copy
import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone

from sop.forms import CatatanForm, sniff
from sop.models import Unit

from .models import Aduan

ALLOWED_TYPES = {"application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG"}

# The signed moment the complaint form was served (field "dimulai"): a submission sooner
# than PPID_ADUAN_MIN_DETIK after it, or without it, is a bot's.
SALT_DIMULAI = "aduan.formulir.dimulai"
PESAN_TERLALU_CEPAT = (
    "Aduan terkirim terlalu cepat setelah formulir dibuka, sehingga tampak seperti kiriman "
    "otomatis. Isian Anda masih ada di bawah: periksa kembali, lalu tekan “Kirim aduan” lagi."
)
PESAN_FORMULIR_RUSAK = (
    "Formulir ini tidak lengkap atau sudah diubah, sehingga tampak seperti kiriman otomatis. "
    "Isian Anda masih ada di bawah: periksa kembali, lalu tekan “Kirim aduan” lagi."
)
PESAN_JEBAKAN = (
    "Kolom “Jangan diisi” harus dikosongkan; kolom itu untuk menyaring kiriman otomatis. "
    "Kosongkan lalu kirim kembali."
)


def tanda_dimulai():
    return signing.dumps(time.time(), salt=SALT_DIMULAI)


def _waktu_dimulai(token):
    try:
        started = signing.loads(token or "", salt=SALT_DIMULAI)
    except signing.BadSignature:
        return None
    return started if isinstance(started, (int, float)) else None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


# Every form a citizen sends starts with a copy of the class's fields (BaseForm.__init__
# deep-copies base_fields): about a third of the form's cost, mostly Python's generic copy
# machinery (issue 8). _BidangFormulir makes the same copy Field.__deepcopy__ and
# Widget.__deepcopy__ make (the field and its widget copied, their attrs, error messages and
# validators too), only directly; a field or widget whose class copies more (choices,
# sub-fields, sub-widgets) is copied by its own __deepcopy__.
def _salin(obj):
    """What copy.copy makes of a plain object."""
    new = type(obj).__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    return new


def _salin_bidang(field, memo):
    widget = field.widget
    if type(field).__deepcopy__ is not forms.Field.__deepcopy__ or (
            type(widget).__deepcopy__ is not forms.Widget.__deepcopy__):
        return copy.deepcopy(field, memo)
    new = _salin(field)
    new.widget = _salin(widget)
    new.widget.attrs = widget.attrs.copy()
    new.error_messages = field.error_messages.copy()
    new.validators = field.validators[:]
    return new


class _BidangFormulir(dict):
    def __deepcopy__(self, memo):
        return {name: _salin_bidang(field, memo) for name, field in self.items()}


# The categories are fixed (Aduan.Kategori): given to the class's field once (below), and
# shared by every form rather than deep-copied and normalised again for each one (the
# choices were half the copy's cost): the field and its widget copy as plain ones.
class _SelectTetap(forms.Select):
    __deepcopy__ = forms.Widget.__deepcopy__


class _PilihanTetap(forms.TypedChoiceField):
    __deepcopy__ = forms.Field.__deepcopy__


def _formfield(db_field, **kwargs):
    if db_field.name == "kategori":
        kwargs["choices_form_class"] = _PilihanTetap
    return db_field.formfield(**kwargs)


class AduanForm(forms.ModelForm):
    lampiran = MultipleFileField(
        label="Lampiran (opsional)",
        required=False,
        help_text="PDF, JPG atau PNG.",
    )
    # Anti-bot fields, rendered by hand in aduan/baru.html (never with the posted value):
    # a field people do not see and screen readers skip, and the signed time the form was served.
    situs_web = forms.CharField(label="Jangan diisi", required=False)
    dimulai = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Aduan
        fields = ["uraian", "lokasi", "tanggal_kejadian", "kategori", "anonim", "rahasia", "nama", "email", "telepon"]
        formfield_callback = _formfield
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
            "kategori": _SelectTetap,
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
        max_mb = settings.PPID_ATTACHMENT_MAX_BYTES // (1024 * 1024)
        self.fields["lampiran"].help_text = (
            f"PDF, JPG atau PNG; paling banyak {settings.PPID_ATTACHMENT_MAX_COUNT} berkas, masing-masing "
            f"paling besar {max_mb} MB."
        )

    def validate_unique(self):
        """Nothing to check: no field a citizen fills in is unique (the tracking code is made
        when the case is saved). Django's check would walk the model's fields and constraints
        on every submission to find that out (issue 8); a test pins that it has nothing to do."""

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

    def clean_lampiran(self):
        files = self.cleaned_data.get("lampiran") or []
        if len(files) > settings.PPID_ATTACHMENT_MAX_COUNT:
            raise forms.ValidationError(
                f"Paling banyak {settings.PPID_ATTACHMENT_MAX_COUNT} lampiran; Anda memilih {len(files)}."
            )
        max_mb = settings.PPID_ATTACHMENT_MAX_BYTES // (1024 * 1024)
        for upload in files:
            # The name is kept for staff and shown on the tracking page: no control characters
            # (a NUL breaks PostgreSQL), no path, at most the column's length.
            name = re.sub(r"[\x00-\x1f\x7f]", "", (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1])
            upload.name = name.strip()[-200:] or "lampiran"
            if upload.size > settings.PPID_ATTACHMENT_MAX_BYTES:
                raise forms.ValidationError(f"Berkas \u201c{upload.name}\u201d lebih besar dari {max_mb} MB.")
            mime = sniff(upload)
            if mime not in ALLOWED_TYPES:
                raise forms.ValidationError(
                    f"Berkas \u201c{upload.name}\u201d bukan PDF, JPG atau PNG (isi berkas diperiksa, bukan namanya)."
                )
            upload.sniffed_type = mime
        return files

    @property
    def tanda_dimulai(self):
        """The "dimulai" value to render: the posted one while it is valid (the person's
        start time survives a re-render), else a fresh one."""
        posted = self.data.get("dimulai") if self.is_bound else None
        return posted if _waktu_dimulai(posted) is not None else tanda_dimulai()

    def _cek_bot(self):
        if self.cleaned_data.get("situs_web"):
            raise forms.ValidationError(PESAN_JEBAKAN, code="bot")
        minimum = settings.PPID_ADUAN_MIN_DETIK
        if not minimum:
            return
        started = _waktu_dimulai(self.cleaned_data.get("dimulai"))
        if started is None:
            raise forms.ValidationError(PESAN_FORMULIR_RUSAK, code="bot")
        if time.time() - started < minimum:
            raise forms.ValidationError(PESAN_TERLALU_CEPAT, code="bot")

    def clean(self):
        data = super().clean()
        self._cek_bot()
        if data.get("anonim"):
            # Anonymous means no identity kept: drop what was typed rather than refuse.
            for field in ("nama", "email", "telepon"):
                data[field] = ""
            data["rahasia"] = False
        return data


AduanForm.base_fields["kategori"].choices = [("", "— pilih kategori —")] + list(Aduan.Kategori.choices)
AduanForm.base_fields = _BidangFormulir(AduanForm.base_fields)


class LacakForm(forms.Form):
    kode = forms.CharField(
        label="Kode lacak",
        max_length=40,
        error_messages={"required": "Masukkan kode lacak yang Anda terima saat mengirim aduan."},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                      "placeholder": "ADU-XXXX-XXXX-XXXX"}),
    )

    def clean_kode(self):
        code = re.sub(r"[^A-Za-z0-9]", "", self.cleaned_data["kode"]).upper()
        if len(code) != 15 or not code.startswith("ADU"):
            raise forms.ValidationError("Format kode lacak tidak dikenali. Contoh: ADU-7K3M-9QXD-2PHW.")
        return f"{code[:3]}-{code[3:7]}-{code[7:11]}-{code[11:15]}"


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
