"""The portal's URLs plus the two baselines the benchmark measures against:

- ``/bench/sepele/``: a trivial logged-in page of the same staff base template as the
  officers' queue (scenario 1);
- ``/bench/kiriman/``: a minimal public form view that validates three fields and inserts
  one row into a bench-only table (scenario 2), behind the same middleware (CSRF included).
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_POST

from ppid.urls import urlpatterns as portal_urlpatterns

KIRIMAN_TABLE = "bench_kiriman"


@login_required
def sepele(request):
    return render(request, "bench/sepele.html")


class KirimanForm(forms.Form):
    uraian = forms.CharField(min_length=20, max_length=5000)
    lokasi = forms.CharField(min_length=3, max_length=300)
    kategori = forms.ChoiceField(choices=[("infrastruktur", "Infrastruktur"), ("lainnya", "Lainnya")])


@require_POST
def kiriman(request):
    form = KirimanForm(request.POST)
    if not form.is_valid():
        return render(request, "bench/sepele.html", status=400)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {KIRIMAN_TABLE} (uraian, lokasi, kategori, dibuat) VALUES (%s, %s, %s, now())",
            [form.cleaned_data["uraian"], form.cleaned_data["lokasi"], form.cleaned_data["kategori"]],
        )
    return HttpResponseRedirect("/bench/kiriman/terima/")


urlpatterns = [
    path("bench/sepele/", sepele, name="bench_sepele"),
    path("bench/kiriman/", kiriman, name="bench_kiriman"),
    *portal_urlpatterns,
]

handler400 = "ppid.views.bad_request"
handler403 = "ppid.views.permission_denied"
handler404 = "ppid.views.page_not_found"
handler500 = "ppid.views.server_error"
