"""Request guards: the size limit and NUL bytes (before Django reads the body), and the
per-client limits on the public endpoints (ppid/batas.py)."""

from datetime import timedelta

from django.conf import settings
from django.template.response import TemplateResponse
from django.utils import timezone

from . import batas


class RequestSizeLimitMiddleware:
    """Refuse an oversized upload with a readable 413 before Django parses it.

    Django would otherwise read the whole body into temporary files before the form can say
    the attachment is too large.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            # A NUL byte is never meaningful in a URL, and PostgreSQL refuses it in any
            # query: refuse it here once instead of in every view that searches.
            response = TemplateResponse(request, "galat.html", {
                "judul": "Permintaan tidak valid",
                "pesan": "Alamat yang dikirim berisi karakter yang tidak diizinkan.",
            }, status=400)
            return response.render()
        if length > settings.PPID_REQUEST_MAX_BYTES:
            limit_mb = settings.PPID_REQUEST_MAX_BYTES // (1024 * 1024)
            response = TemplateResponse(
                request,
                "galat.html",
                {
                    "judul": "Kiriman terlalu besar",
                    "pesan": f"Ukuran kiriman melebihi batas {limit_mb} MB. "
                    "Kurangi ukuran atau jumlah lampiran, lalu kirim ulang.",
                },
                status=413,
            )
            return response.render()
        return self.get_response(request)


# Which limit (settings.PPID_BATAS) each public endpoint counts against: view name ->
# (limit, method, only when the query string is not empty).
ATURAN_BATAS = {
    "aduan:baru": ("aduan", "POST", False),
    "aduan:lacak": ("lacak", "GET", True),  # the empty form is free; looking up a code counts
    "aduan:lacak_detail": ("lacak", "GET", False),
    "publikasi:dip": ("cari", "GET", True),  # searching the register
    "staf:masuk": ("masuk", "POST", False),
    "admin:login": ("masuk", "POST", False),
}


def batas_waktu(tunggu):
    """When a client that must wait ``tunggu`` seconds may try again, in words."""
    sampai = timezone.localtime() + timedelta(seconds=tunggu)
    menit = max(1, round(tunggu / 60))
    return f"setelah pukul {sampai:%H:%M} WIB (sekitar {menit} menit lagi)"


class BatasPermintaanMiddleware:
    """Answers a client over its limit with 429 and a page saying when to try again. A view
    may give its own page (``view.respons_batas(request, tunggu)``), as the complaint form
    does to show the citizen's text back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        rule = ATURAN_BATAS.get(match.view_name if match else None)
        if rule is None:
            return None
        name, method, needs_query = rule
        if request.method != method or (needs_query and not request.GET):
            return None
        tunggu = batas.wait_seconds(request, name)
        if not tunggu:
            return None
        own = getattr(view_func, "respons_batas", None)
        if own is not None:
            response = own(request, tunggu)
        else:
            response = TemplateResponse(request, "galat.html", {
                "judul": "Terlalu banyak permintaan",
                "pesan": f"Terlalu banyak permintaan dari jaringan Anda dalam waktu singkat. "
                         f"Silakan coba lagi {batas_waktu(tunggu)}.",
            }, status=429).render()
        response["Retry-After"] = str(tunggu)
        return response
