"""Archive pages. The case archive PDF (for whoever may open the case), and the bulk archive:
a form, the job's page with its progress (polled with htmx), the retry and the download."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sop import services as engine

from . import services
from .forms import ArsipMassalForm
from .kasus import kasus_atau_404
from .models import ArsipMassal
from .pdf import tulis_pdf_kasus


@login_required
def kasus_pdf(request, sop_kode, kode):
    case = kasus_atau_404(sop_kode, kode)
    if not engine.may_view(case, request.user):
        raise Http404("Kasus tidak ditemukan.")  # as the case page: existence is not revealed
    pdf, _ = tulis_pdf_kasus(case, request.user)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="arsip-{case.kode}.pdf"'
    return response


# --- bulk archive ---------------------------------------------------------------------------

def _pengarsip(request):
    if not services.boleh_arsip_massal(request.user):
        raise PermissionDenied("Arsip massal hanya untuk admin.")


def _milik(request, pk):
    """The job, for its creator or a superuser only (others: 404)."""
    job = get_object_or_404(ArsipMassal.objects.select_related("sop", "dibuat_oleh"), pk=pk)
    if not (request.user.is_superuser or job.dibuat_oleh_id == request.user.pk):
        raise Http404("Arsip tidak ditemukan.")
    return job


@login_required
@require_http_methods(["GET", "POST"])
def massal(request):
    _pengarsip(request)
    services.tandai_macet()
    if request.method == "POST":
        form = ArsipMassalForm(request.POST)
        if form.is_valid():
            job = services.buat_arsip_massal(
                form.cleaned_data["sop"], form.cleaned_data["mulai"], form.cleaned_data["sampai"], request.user
            )
            return redirect("arsip:massal_detail", pk=job.pk)
        status = 400
    else:
        form, status = ArsipMassalForm(), 200
    jobs = ArsipMassal.objects.select_related("sop").order_by("-dibuat")
    if not request.user.is_superuser:
        jobs = jobs.filter(dibuat_oleh=request.user)
    return render(request, "arsip/massal.html", {"form": form, "jobs": jobs[:20]}, status=status)


@login_required
def massal_detail(request, pk):
    _pengarsip(request)
    services.tandai_macet()
    job = _milik(request, pk)
    template = "arsip/_kemajuan.html" if request.htmx else "arsip/massal_detail.html"
    # The fragment of a finished job carries no hx-trigger: swapping it in ends the polling.
    return render(request, template, {"job": job})


@login_required
@require_POST
def massal_ulang(request, pk):
    _pengarsip(request)
    services.tandai_macet()
    job = _milik(request, pk)
    with transaction.atomic():
        if not services.coba_lagi(job):
            return render(request, "arsip/massal_detail.html", {
                "job": job, "galat": "Arsip ini tidak dapat diulang: hanya arsip yang gagal yang dapat dicoba lagi.",
            }, status=409)
    return redirect("arsip:massal_detail", pk=job.pk)


@login_required
def massal_unduh(request, pk):
    _pengarsip(request)
    job = _milik(request, pk)
    if job.status != ArsipMassal.Status.SELESAI or not job.berkas:
        raise Http404("Arsip belum selesai.")
    return FileResponse(job.berkas.open("rb"), as_attachment=True, filename=job.nama_unduhan(),
                        content_type="application/zip")
