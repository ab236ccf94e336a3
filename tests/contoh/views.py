from django import forms

from sop.forms import CatatanForm
from sop.models import Unit
from sop.views import CasePages

from .models import Permintaan


class TerimaForm(CatatanForm):
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), error_messages={"required": "Pilih unit tujuan."})

    def data_for_service(self):
        return {"unit": self.cleaned_data["unit"]}


class JawabForm(CatatanForm):
    jawaban = forms.CharField(error_messages={"required": "Jawaban wajib diisi."})

    def data_for_service(self):
        return {"jawaban": self.cleaned_data["jawaban"]}


pages = CasePages(Permintaan, "contoh/detail.html", {"terima": TerimaForm, "jawab": JawabForm},
                  list_template="contoh/daftar.html", search_fields=("uraian",))
