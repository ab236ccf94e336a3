"""Pages of social-media publishing: the instruction form, the case page with versions,
notes and per-platform previews, the live preview, and access-checked files."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sop import services as engine
from sop.views import CasePages

from . import forms
from .models import BahanBerkas, GambarVersi, PlatformMedsos, Publikasi
from .services import buat_publikasi


def pratinjau(caption, platforms):
    """Per-platform preview rows: the caption as it will read, its length and any excess."""
    return [
        {"platform": p, "panjang": len(caption), "kelebihan": p.kelebihan(caption)}
        for p in platforms
    ]


def _context(request, publikasi):
    versions = list(publikasi.versi.prefetch_related("platform", "gambar", "keputusan__oleh").order_by("-nomor"))
    latest = versions[0] if versions else None
    return {
        "publikasi": publikasi,
        "versi_list": versions,
        "terbaru": latest,
        "disetujui": publikasi.versi_disetujui(),
        "pratinjau": pratinjau(latest.caption, latest.platform.all()) if latest else [],
        "tautan": publikasi.tautan.select_related("platform"),
    }


pages = CasePages(Publikasi, "publikasi/staf_detail.html", forms.ACTION_FORMS, _context,
                  list_template="publikasi/staf_daftar.html", search_fields=("judul", "bahan"))
staf_detail = pages.detail
staf_aksi = pages.action
staf_daftar = pages.list


@login_required
@require_http_methods(["GET", "POST"])
def staf_baru(request):
    refusal = engine.start_refusal(Publikasi, request.user)
    if refusal:
        return render(request, "galat.html", {"judul": "Tidak dapat memulai publikasi", "pesan": refusal}, status=403)
    if request.method == "POST":
        form = forms.InstruksiForm(request.POST, request.FILES)
        if form.is_valid():
            return redirect(buat_publikasi(form, request.user).get_absolute_url())
        return render(request, "publikasi/staf_baru.html", {"form": form}, status=400)
    return render(request, "publikasi/staf_baru.html", {"form": forms.InstruksiForm()})


@login_required
@require_POST
def staf_pratinjau(request, kode):
    """HTMX: the per-platform preview of the caption being typed."""
    pages.get_case(request, kode)
    caption = request.POST.get("submit_draft-caption") or request.POST.get("revise_after_approval-caption") or ""
    ids = request.POST.getlist("submit_draft-platforms") or request.POST.getlist("revise_after_approval-platforms")
    platforms = PlatformMedsos.objects.filter(pk__in=[i for i in ids if i.isdigit()], aktif=True)
    return render(request, "publikasi/_pratinjau.html", {"pratinjau": pratinjau(caption[:70000], platforms),
                                                          "caption": caption[:70000]})


@login_required
def staf_berkas(request, kode, jenis, pk):
    publikasi = pages.get_case(request, kode)
    if jenis == "bahan":
        item = get_object_or_404(BahanBerkas, pk=pk, publikasi=publikasi)
    elif jenis == "gambar":
        item = get_object_or_404(GambarVersi, pk=pk, versi__publikasi=publikasi)
    else:
        raise Http404("Berkas tidak ditemukan.")
    return FileResponse(item.berkas.open("rb"), content_type=item.jenis, filename=item.nama_asli)
