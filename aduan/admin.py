"""Admin for complaints: read and export (CSV/XLSX) only; complaints come in through the
public form and move through the engine."""

from django.contrib import admin

from sop.admin import EksporKasusMixin

from .models import Aduan, Lampiran
from .resources import AduanResource


class LampiranInline(admin.TabularInline):
    model = Lampiran
    extra = 0
    readonly_fields = ("nama_asli", "jenis", "ukuran")
    fields = readonly_fields


@admin.register(Aduan)
class AduanAdmin(EksporKasusMixin, admin.ModelAdmin):
    resource_classes = [AduanResource]
    list_display = ("kode", "kategori", "state", "unit", "dibuat")
    list_filter = ("state", "kategori", "unit")
    search_fields = ("kode", "uraian", "lokasi")
    readonly_fields = ("kode", "state", "dibuat")
    inlines = [LampiranInline]

    def has_add_permission(self, request):
        return False  # complaints come in through the public form and move through the engine
