"""Pages of opinion monitoring. Staff: capture, list, the case page (the engine's CasePages).
Public: the answered opinions."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sop import services as engine
from sop.models import Lane
from sop.views import CasePages

from . import forms
from .models import Opini
from .services import catat_opini

pages = CasePages(Opini, "opini/staf_detail.html", forms.ACTION_FORMS, lambda request, opini: {"opini": opini})
staf_detail = pages.detail
staf_aksi = pages.action


@login_required
@require_http_methods(["GET", "POST"])
def staf_baru(request):
    refusal = engine.start_refusal(Opini, request.user)
    if refusal:
        return render(request, "galat.html", {"judul": "Tidak dapat mencatat opini", "pesan": refusal}, status=403)
    if request.method == "POST":
        form = forms.OpiniForm(request.POST, request.FILES)
        if form.is_valid():
            opini = catat_opini(form, request.user)
            if opini is not None:
                return redirect(opini.get_absolute_url())
            form = forms.OpiniForm(request.POST, request.FILES)
            form.is_valid()  # the race was lost: the form now names the record that won
        return render(request, "opini/staf_baru.html", {"form": form}, status=400)
    return render(request, "opini/staf_baru.html", {"form": forms.OpiniForm()})


@login_required
def staf_daftar(request):
    user = request.user
    lanes = Lane.objects.filter(sop__kode=Opini.SOP_KODE, group__user=user)
    qs = Opini.objects.select_related("unit")
    if not user.is_superuser:
        if not lanes.exists():
            raise Http404("Halaman tidak ditemukan.")
        if not lanes.filter(per_unit=False).exists():
            qs = qs.filter(unit__in=user.units.all())
    state = request.GET.get("tahap", "")
    if state in Opini.State.values:
        qs = qs.filter(state=state)
    q = request.GET.get("q", "").strip()[:100]
    if q:
        qs = qs.filter(Q(kode__icontains=q) | Q(teks__icontains=q) | Q(topik__icontains=q) | Q(akun__icontains=q))
    page = Paginator(qs, 30).get_page(request.GET.get("hal"))
    return render(request, "opini/staf_daftar.html", {
        "halaman": page, "tahap_pilihan": Opini.State.choices, "tahap": state, "q": q,
        "boleh_mencatat": engine.start_refusal(Opini, user) is None,
    })


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
