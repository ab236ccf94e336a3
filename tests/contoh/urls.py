from django.urls import path

from . import views

app_name = "contoh"

urlpatterns = [
    path("contoh/baru/", views.baru, name="baru"),
    path("contoh/lacak/", views.tracking.search, name="lacak"),
    path("contoh/lacak/<str:kode>/", views.tracking.detail, name="lacak_detail"),
    path("staf/contoh/", views.pages.list, name="daftar"),
    path("staf/contoh/<str:kode>/", views.pages.detail, name="detail"),
    path("staf/contoh/<str:kode>/aksi/<slug:aksi>/", views.pages.action, name="aksi"),
]
