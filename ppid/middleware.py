"""Request guards that run before Django reads the body."""

from django.conf import settings
from django.template.response import TemplateResponse


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
