"""Pages of opinion monitoring. Staff: capture, list, the case page (the engine's CasePages).
Public: the answered opinions."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import render

from sop.views import CasePages

from . import forms
from .models import Opini
from .services import catat_opini

pages = CasePages(Opini, "opini/staf_detail.html", forms.ACTION_FORMS, lambda request, opini: {"opini": opini},
                  list_template="opini/staf_daftar.html", search_fields=("teks", "topik", "akun"))
staf_detail = pages.detail
staf_aksi = pages.action
staf_daftar = pages.list
staf_baru = pages.new(forms.OpiniForm, catat_opini, "opini/staf_baru.html", "Tidak dapat mencatat opini")


@login_required
def staf_tangkapan(request, kode):
    opini = pages.get_case(request, kode)
    if not opini.tangkapan_layar:
        raise Http404("Tidak ada tangkapan layar.")
    return FileResponse(opini.tangkapan_layar.open("rb"), content_type=opini.tangkapan_jenis or "image/png")


def publik(request):
    """Opinions that received an answer, newest answer first; authors' handles only for
    organisations' public accounts."""
    qs = Opini.objects.filter(state=Opini.State.RESPONDED_AND_ARCHIVED).select_related("unit").order_by("-dipublikasikan")
    page = Paginator(qs, 20).get_page(request.GET.get("hal"))
    return render(request, "opini/publik.html", {"halaman": page})
