"""Request guards: the size limit and NUL bytes (before Django reads the body), and the
per-client limits (counted by ppid/batas.py) on the endpoints the portal and the workflow
apps (through sop.registry) declare."""

from django.conf import settings
from django.template.response import TemplateResponse

from sop.registry import Limit, registry
from sop.waktu import retry_in_words

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


# The portal's own limited endpoints; the workflow apps declare theirs in the registry.
PORTAL_LIMITS = {
    limit.view_name: limit
    for limit in (Limit("staf:masuk", "masuk", "POST"), Limit("admin:login", "masuk", "POST"))
}


class BatasPermintaanMiddleware:
    """Answers a client over its limit with 429 and a page saying when to try again. The
    endpoints and their limits are the portal's (PORTAL_LIMITS) and those the apps declare in
    sop.registry; an app's declaration may name its own responder, as the complaint form does
    to show the citizen's text back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None:
            return None
        rule = PORTAL_LIMITS.get(match.view_name) or registry.limit(match.view_name)
        if rule is None or request.method != rule.method or (rule.only_with_query and not request.GET):
            return None
        tunggu = batas.wait_seconds(request, rule.name)
        if not tunggu:
            return None
        if rule.responder is not None:
            response = rule.responder(request, tunggu)
        else:
            response = TemplateResponse(request, "galat.html", {
                "judul": "Terlalu banyak permintaan",
                "pesan": f"Terlalu banyak permintaan dari jaringan Anda dalam waktu singkat. "
                         f"Silakan coba lagi {retry_in_words(tunggu)}.",
            }, status=429).render()
        response["Retry-After"] = str(tunggu)
        return response
