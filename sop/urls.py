from django.urls import path

from . import views

app_name = "sop"

urlpatterns = [
    path("", views.antrian, name="antrian"),
    path("sop/", views.dokumen_daftar, name="dokumen_daftar"),
    path("sop/<slug:kode>/", views.dokumen, name="dokumen"),
    path("sop/<slug:kode>/pdf/", views.dokumen_pdf, name="dokumen_pdf"),
]
