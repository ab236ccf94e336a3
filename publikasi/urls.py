from django.urls import path

from . import views

app_name = "publikasi"

urlpatterns = [
    path("staf/publikasi/", views.staf_daftar, name="staf_daftar"),
    path("staf/publikasi/baru/", views.staf_baru, name="staf_baru"),
    path("staf/publikasi/<str:kode>/", views.staf_detail, name="staf_detail"),
    path("staf/publikasi/<str:kode>/aksi/<slug:aksi>/", views.staf_aksi, name="staf_aksi"),
    path("staf/publikasi/<str:kode>/pratinjau/", views.staf_pratinjau, name="staf_pratinjau"),
    path("staf/publikasi/<str:kode>/berkas/<slug:jenis>/<int:pk>/", views.staf_berkas, name="staf_berkas"),
]
