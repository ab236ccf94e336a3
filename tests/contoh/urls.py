from django.urls import path

from . import views

app_name = "contoh"

urlpatterns = [
    path("staf/contoh/", views.pages.list, name="daftar"),
    path("staf/contoh/<str:kode>/", views.pages.detail, name="detail"),
    path("staf/contoh/<str:kode>/aksi/<slug:aksi>/", views.pages.action, name="aksi"),
]
