from django.urls import path

from . import views

app_name = "aduan"

urlpatterns = [
    path("aduan/baru/", views.baru, name="baru"),
    path("aduan/terkirim/", views.terkirim, name="terkirim"),
    path("lacak/", views.lacak, name="lacak"),
    path("lacak/<str:kode>/", views.lacak_detail, name="lacak_detail"),
    path("staf/aduan/", views.staf_daftar, name="staf_daftar"),
    path("staf/aduan/<str:kode>/", views.staf_detail, name="staf_detail"),
    path("staf/aduan/<str:kode>/aksi/<slug:aksi>/", views.staf_aksi, name="staf_aksi"),
    path("staf/aduan/<str:kode>/lampiran/<int:pk>/", views.staf_lampiran, name="staf_lampiran"),
]
