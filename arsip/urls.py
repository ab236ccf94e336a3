"""Archive URLs: a case as PDF, bulk archives of closed cases."""

from django.urls import path

from . import views

app_name = "arsip"
urlpatterns = [
    path("kasus/<str:sop_kode>/<str:kode>/", views.kasus_pdf, name="kasus_pdf"),
    path("massal/", views.massal, name="massal"),
    path("massal/<int:pk>/", views.massal_detail, name="massal_detail"),
    path("massal/<int:pk>/ulang/", views.massal_ulang, name="massal_ulang"),
    path("massal/<int:pk>/unduh/", views.massal_unduh, name="massal_unduh"),
]
