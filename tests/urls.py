"""The portal's URLs and the test-only workflow's."""

from django.urls import include, path

from ppid.urls import handler400, handler403, handler404, handler500, urlpatterns as portal  # noqa: F401

urlpatterns = [*portal, path("", include("tests.contoh.urls"))]
