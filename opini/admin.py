from django.contrib import admin

from .models import Opini


@admin.register(Opini)
class OpiniAdmin(admin.ModelAdmin):
    list_display = ("kode", "platform", "topik", "state", "unit", "dibuat")
    list_filter = ("state", "platform", "unit")
    search_fields = ("kode", "teks", "akun", "topik")
    readonly_fields = ("kode", "state", "dibuat", "tautan_normal")

    def has_add_permission(self, request):
        return False  # opinions are recorded by the monitor and move through the engine
