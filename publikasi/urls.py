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

urlpatterns += [
    path("staf/uji-konsekuensi/", views.uji_daftar, name="uji_daftar"),
    path("staf/uji-konsekuensi/baru/", views.uji_baru, name="uji_baru"),
    path("staf/uji-konsekuensi/<str:kode>/", views.uji_detail, name="uji_detail"),
    path("staf/uji-konsekuensi/<str:kode>/aksi/<slug:aksi>/", views.uji_aksi, name="uji_aksi"),
    path("staf/uji-konsekuensi/<str:kode>/penetapan/", views.uji_penetapan, name="uji_penetapan"),
    path("staf/pengumuman/", views.pengumuman_daftar, name="pengumuman_daftar"),
    path("staf/pengumuman/baru/", views.pengumuman_baru, name="pengumuman_baru"),
    path("staf/pengumuman/<str:kode>/", views.pengumuman_detail, name="pengumuman_detail"),
    path("staf/pengumuman/<str:kode>/aksi/<slug:aksi>/", views.pengumuman_aksi, name="pengumuman_aksi"),
    path("staf/pengumuman/<str:kode>/berkas/", views.pengumuman_berkas, name="pengumuman_berkas"),
    path("informasi-publik/", views.dip, name="dip"),
    path("informasi-publik/dikecualikan/", views.dik, name="dik"),
    path("informasi-publik/<int:pk>/berkas/", views.dip_berkas, name="dip_berkas"),
    path("pengumuman/", views.pengumuman_publik, name="pengumuman_publik"),
]
