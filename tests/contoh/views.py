from django import forms
from django.shortcuts import redirect, render

from sop import services as engine
from sop.forms import CatatanForm
from sop.models import Unit
from sop.publik import TrackingPages
from sop.views import CasePages

from .forms import LacakPermintaanForm, PermintaanForm
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


# --- the public side, made of the engine's pieces (tests/sop/test_publik.py) --------------

def baru(request):
    """The public request form: a valid request is started and its tracking page shown.
    The attachments are judged but not kept (the workflow has no model for them)."""
    if request.method == "POST":
        form = PermintaanForm(request.POST, request.FILES)
        if form.is_valid():
            case = engine.start(form.save(commit=False))
            return redirect("contoh:lacak_detail", kode=case.kode)
        return render(request, "contoh/baru.html", {"form": form}, status=400)
    return render(request, "contoh/baru.html", {"form": PermintaanForm()})


tracking = TrackingPages(
    LacakPermintaanForm, "contoh/lacak_detail.html", search_url_name="contoh:lacak",
    detail_url_name="contoh:lacak_detail",
    stages={Permintaan.State.MASUK: "Permintaan Anda sedang ditelaah petugas."},
    step_names={"dibuat": "Permintaan diajukan", "terima": "Diteruskan ke unit"},
)
