"""The bulk archive's form: an SOP that has cases in the portal and a period of whole days."""

from django import forms

from sop.models import Sop, case_models



class ArsipMassalForm(forms.Form):
    sop = forms.ChoiceField(
        label="SOP", error_messages={
            "required": "Pilih SOP yang akan diarsipkan.",
            "invalid_choice": "SOP yang dipilih tidak dikenal. Pilih salah satu SOP dalam daftar.",
        })
    mulai = forms.DateField(
        label="Dari tanggal", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Isi tanggal awal.", "invalid": "Tanggal awal tidak terbaca (tttt-bb-hh)."})
    sampai = forms.DateField(
        label="Sampai tanggal", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Kasus yang langkah terakhirnya selesai pada rentang ini (WIB), kedua tanggal termasuk.",
        error_messages={"required": "Isi tanggal akhir.", "invalid": "Tanggal akhir tidak terbaca (tttt-bb-hh)."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        codes = case_models()
        self.fields["sop"].choices = [("", "— pilih SOP —")] + [
            (sop.kode, f"{sop.nama} ({sop.nomor})" if sop.nomor else sop.nama)
            for sop in Sop.objects.filter(kode__in=codes).order_by("nama")
        ]

    def clean_sop(self):
        return Sop.objects.get(kode=self.cleaned_data["sop"])

    def clean(self):
        data = super().clean()
        mulai, sampai = data.get("mulai"), data.get("sampai")
        if mulai and sampai and sampai < mulai:
            self.add_error("sampai", "Tanggal akhir tidak boleh sebelum tanggal awal.")
        return data
