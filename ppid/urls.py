"""The portal's URLs: public pages, staff pages, the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .forms import MasukForm

staf_patterns = (
    [
        path(
            "masuk/",
            auth_views.LoginView.as_view(template_name="staf/masuk.html", authentication_form=MasukForm),
            name="masuk",
        ),
        path("keluar/", auth_views.LogoutView.as_view(), name="keluar"),
        path("sandi/", views.ganti_sandi, name="sandi"),
        path("sandi/selesai/", views.sandi_selesai, name="sandi_selesai"),
    ],
    "staf",
)

urlpatterns = [
    path("", views.beranda, name="beranda"),
    path("staf/", include(staf_patterns)),
    path("staf/", include("sop.urls")),
    path("", include("aduan.urls")),
    path("", include("opini.urls")),
    path("", include("publikasi.urls")),
    path("staf/arsip/", include("arsip.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "ppid.views.bad_request"
handler403 = "ppid.views.permission_denied"
handler404 = "ppid.views.page_not_found"
handler500 = "ppid.views.server_error"

admin.site.site_header = "PPID Portal: Administrasi"
admin.site.site_title = "PPID Portal"
