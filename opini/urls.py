from django.urls import path

from . import views

app_name = "opini"

urlpatterns = [
    path("opini/", views.publik, name="publik"),
    path("staf/opini/", views.staf_daftar, name="staf_daftar"),
    path("staf/opini/baru/", views.staf_baru, name="staf_baru"),
    path("staf/opini/<str:kode>/", views.staf_detail, name="staf_detail"),
    path("staf/opini/<str:kode>/aksi/<slug:aksi>/", views.staf_aksi, name="staf_aksi"),
    path("staf/opini/<str:kode>/tangkapan-layar/", views.staf_tangkapan, name="staf_tangkapan"),
]
