"""Admin for monitored opinions: read and export (CSV/XLSX) only; opinions move through the
engine."""

from django.contrib import admin

from sop.admin import EksporKasusMixin

from .models import Opini
from .resources import OpiniResource


@admin.register(Opini)
class OpiniAdmin(EksporKasusMixin, admin.ModelAdmin):
    resource_classes = [OpiniResource]
    list_display = ("kode", "platform", "topik", "state", "unit", "dibuat")
    list_filter = ("state", "platform", "unit")
    search_fields = ("kode", "teks", "akun", "topik")
    readonly_fields = ("kode", "state", "dibuat", "tautan_normal")

    def has_add_permission(self, request):
        return False  # opinions are recorded by the monitor and move through the engine
