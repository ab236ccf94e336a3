"""The test-only workflow's public pieces, made of the engine's: the request form (bot trap,
attachments judged by their content) and its tracking-code form."""

from django import forms

from sop.forms import BotTrapForm, KodeLacakForm, MultipleFileField

from .models import Permintaan


class PermintaanForm(BotTrapForm, forms.ModelForm):
    submit_label = "Ajukan permintaan"

    lampiran = MultipleFileField(label="Lampiran", required=False, noun="lampiran")

    class Meta:
        model = Permintaan
        fields = ["uraian", "email"]
        error_messages = {"uraian": {"required": "Uraian wajib diisi."}}


class LacakPermintaanForm(KodeLacakForm):
    model = Permintaan

