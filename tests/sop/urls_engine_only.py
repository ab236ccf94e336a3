"""A portal with the engine and the test-only workflow and no other workflow app: the URLs of
tests/sop/test_registry.py's "only tests.contoh installed" pages."""

from django.contrib import admin
from django.urls import include, path

from ppid import views
from ppid.urls import handler400, handler403, handler404, handler500, staf_patterns  # noqa: F401

urlpatterns = [
    path("", views.beranda, name="beranda"),
    path("staf/", include(staf_patterns)),
    path("staf/", include("sop.urls")),
    path("", include("tests.contoh.urls")),
    path("admin/", admin.site.urls),
]
