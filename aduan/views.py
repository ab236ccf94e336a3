"""Pages of the complaint service. Thin: forms validate, services act, templates show.

Public: the complaint form, the confirmation with the tracking code, the tracking page
(the engine's, sop.publik.TrackingPages).
Staff: the case page with the actions the user may take, the action endpoint, attachments.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from sop.publik import TrackingPages
from sop.views import CasePages
from sop.waktu import retry_in_words

from . import forms
from .models import LANGKAH_PUBLIK, TAHAP_PUBLIK, Aduan
from .services import kirim_aduan

# The confirmation page learns the tracking code from a signed cookie, not from the session:
# a session would cost every submission a lookup, an insert and a second commit. The
# signature (salted, so no other signed value of the portal can stand in for it) keeps a
# visitor from making the page show a code they typed themselves; it holds only the code,
# which the citizen is shown anyway, and expires after ten minutes.
COOKIE_TERKIRIM = "aduan_terkirim"
SALT_TERKIRIM = "aduan.terkirim"
UMUR_TERKIRIM = 600  # seconds


# --- public ------------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def baru(request):
    if request.method == "POST":
        form = forms.AduanForm(request.POST, request.FILES)
        if form.is_valid():
            aduan = kirim_aduan(form)
            response = redirect("aduan:terkirim")
            response.set_signed_cookie(COOKIE_TERKIRIM, aduan.kode, salt=SALT_TERKIRIM, max_age=UMUR_TERKIRIM,
                                       httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
            return response
        # Invalid, or a bot's (hidden field filled, sent too fast): 400, nothing stored.
        return render(request, "aduan/baru.html", {"form": form}, status=400)
    return render(request, "aduan/baru.html", {"form": forms.AduanForm()})


def baru_terlalu_banyak(request, tunggu):
    """429 for a client over the "aduan" limit (the responder declared in apps.py): the form
    again with everything the citizen typed, and when to send it."""
    initial = {name: request.POST.get(name, "") for name in forms.AduanForm.Meta.fields}
    context = {
        "form": forms.AduanForm(initial=initial),
        "batas": f"Terlalu banyak aduan dikirim dari jaringan Anda dalam waktu singkat, sehingga aduan ini "
                 f"belum kami terima. Isian Anda masih ada di bawah; kirim kembali {retry_in_words(tunggu)}.",
    }
    return render(request, "aduan/baru.html", context, status=429)


def terkirim(request):
    # Missing, tampered with, signed with another salt or older than ten minutes: None.
    kode = request.get_signed_cookie(COOKIE_TERKIRIM, default=None, salt=SALT_TERKIRIM, max_age=UMUR_TERKIRIM)
    if not kode:
        return redirect("aduan:baru")
    return render(request, "aduan/terkirim.html", {"kode": kode})


# The tracking page by code (sop.publik.TrackingPages): what each stage means and the
# steps' names, as the complainant reads them (no officer is named).
tracking = TrackingPages(
    forms.LacakForm, "aduan/lacak_detail.html", search_url_name="aduan:lacak", detail_url_name="aduan:lacak_detail",
    stages=TAHAP_PUBLIK, step_names=LANGKAH_PUBLIK, search_template="aduan/lacak.html",
    extra_context=lambda request, aduan: {"lampiran": aduan.lampiran.all()},
)
lacak = tracking.search
lacak_detail = tracking.detail


# --- staff -------------------------------------------------------------------------------

def _staff_context(request, aduan):
    return {
        "aduan": aduan,
        "identitas_terlihat": aduan.identitas_terlihat(request.user),
        "lampiran": aduan.lampiran.all(),
    }


pages = CasePages(Aduan, "aduan/staf_detail.html", forms.ACTION_FORMS, _staff_context,
                  list_template="aduan/staf_daftar.html", search_fields=("uraian", "lokasi"))
staf_detail = pages.detail
staf_aksi = pages.action
staf_daftar = pages.list


@login_required
def staf_lampiran(request, kode, pk):
    aduan = pages.get_case(request, kode)
    item = get_object_or_404(aduan.lampiran, pk=pk)
    return FileResponse(item.berkas.open("rb"), as_attachment=True, filename=item.nama_asli,
                        content_type=item.jenis)
