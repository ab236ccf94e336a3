"""Pages of social-media publishing: the instruction form, the case page with versions,
notes and per-platform previews, the live preview, and access-checked files."""

import mimetypes

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from sop.models import Unit
from sop.views import CasePages

from . import forms
from .models import BahanBerkas, GambarVersi, InformasiPublik, Pengumuman, PlatformMedsos, Publikasi, UjiKonsekuensi
from .models.dip import Kelas
from .models.uji import PASAL_17
from .services import buat_publikasi, mulai_pengumuman, mulai_uji


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
staf_baru = pages.new(forms.InstruksiForm, buat_publikasi, "publikasi/staf_baru.html", "Tidak dapat memulai publikasi")


@login_required
@require_POST
def staf_pratinjau(request, kode):
    """HTMX: the per-platform preview of the caption being typed."""
    pages.get_case(request, kode)
    caption = request.POST.get("submit_draft-caption") or request.POST.get("revise_after_approval-caption") or ""
    caption = caption.replace("\r\n", "\n").strip()  # counted as the form will store it
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


# --- the consequence test (Serang) ------------------------------------------------------

def _uji_context(request, uji):
    return {"uji": uji, "informasi": uji.informasi}


uji_pages = CasePages(UjiKonsekuensi, "publikasi/uji_detail.html", forms.UJI_FORMS, _uji_context,
                      related=("informasi", "informasi__unit", "pejabat_ppid"),
                      list_template="publikasi/uji_daftar.html", search_fields=("informasi__judul",))
uji_detail = uji_pages.detail
uji_aksi = uji_pages.action
uji_daftar = uji_pages.list
uji_baru = uji_pages.new(forms.UsulanUjiForm, mulai_uji, "publikasi/uji_baru.html", "Tidak dapat mengusulkan pengujian",
                         form_kwargs=lambda request: {"user": request.user})


@login_required
def uji_penetapan(request, kode):
    """The Surat Penetapan, once issued: the fields Perki 1/2017 Pasal 4(4) requires."""
    uji = uji_pages.get_case(request, kode)
    if not uji.nomor_penetapan:
        raise Http404("Surat Penetapan belum terbit.")
    return render(request, "publikasi/uji_penetapan.html", {"uji": uji, "informasi": uji.informasi,
                                                            "pasal": dict(PASAL_17).get(uji.pasal, "")})


# --- announcements (Pontianak) ------------------------------------------------------------

pengumuman_pages = CasePages(Pengumuman, "publikasi/pengumuman_detail.html", forms.PENGUMUMAN_FORMS,
                             lambda request, p: {"pengumuman": p},
                             list_template="publikasi/pengumuman_daftar.html", search_fields=("judul", "isi"))
pengumuman_detail = pengumuman_pages.detail
pengumuman_aksi = pengumuman_pages.action
pengumuman_daftar = pengumuman_pages.list
pengumuman_baru = pengumuman_pages.new(forms.PengumumanBaruForm, mulai_pengumuman, "publikasi/pengumuman_baru.html",
                                       "Tidak dapat memulai pemutakhiran")


@login_required
def pengumuman_berkas(request, kode):
    pengumuman = pengumuman_pages.get_case(request, kode)
    if not pengumuman.berkas:
        raise Http404("Tidak ada berkas.")
    return FileResponse(pengumuman.berkas.open("rb"), content_type=pengumuman.berkas_jenis)


# --- public pages ---------------------------------------------------------------------------

def dip(request):
    """The Daftar Informasi Publik: search by text, class, unit and year. Exempt items show
    only their title, legal basis and exemption period."""
    q = request.GET.get("q", "").strip()[:100]
    kelas, unit, tahun = request.GET.get("kelas", ""), request.GET.get("unit", ""), request.GET.get("tahun", "")
    qs = InformasiPublik.cari(InformasiPublik.objects.publik().select_related("unit"), q, kelas, unit, tahun)
    page = Paginator(qs, 25).get_page(request.GET.get("hal"))
    years = InformasiPublik.objects.publik().dates("diterbitkan", "year", order="DESC")
    return render(request, "publikasi/dip.html", {
        "halaman": page, "q": q, "kelas": kelas, "unit": unit, "tahun": tahun, "kelas_pilihan": Kelas.choices,
        "unit_pilihan": Unit.objects.filter(informasi__in=InformasiPublik.objects.publik()).distinct(),
        "tahun_pilihan": [d.year for d in years],
    })


def dip_berkas(request, pk):
    """A public document. Exempt, unpublished or missing: 404, whatever the URL guessed."""
    item = InformasiPublik.objects.filter(pk=pk).first()
    if item is None or not item.berkas_publik():
        raise Http404("Dokumen tidak tersedia.")
    ext = mimetypes.guess_extension(item.berkas_jenis or "") or ""
    return FileResponse(item.berkas.open("rb"), content_type=item.berkas_jenis or "application/octet-stream",
                        as_attachment=True, filename=f"{item.judul[:80]}{ext}")


def dik(request):
    """The Daftar Informasi yang Dikecualikan, as the public may see it."""
    qs = InformasiPublik.objects.publik().dikecualikan().select_related("unit").order_by("judul")
    return render(request, "publikasi/dik.html", {"halaman": Paginator(qs, 50).get_page(request.GET.get("hal"))})


def pengumuman_publik(request):
    qs = Pengumuman.objects.filter(state=Pengumuman.State.PUBLISHED).select_related("unit", "informasi")
    qs = qs.order_by("-dipublikasikan")
    return render(request, "publikasi/pengumuman_publik.html",
                  {"halaman": Paginator(qs, 20).get_page(request.GET.get("hal"))})
