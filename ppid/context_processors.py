"""Values every template can use."""

from django.conf import settings


def portal(request):
    return {"nama_kantor": settings.PPID_OFFICE_NAME}
