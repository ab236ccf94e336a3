from django.contrib import admin

from .models import ArsipMassal


@admin.register(ArsipMassal)
class ArsipMassalAdmin(admin.ModelAdmin):
    """Read-only: jobs are made from the bulk archive page and changed only by the worker."""

    list_display = ("__str__", "status", "selesai", "total", "dibuat_oleh", "dibuat")
    list_filter = ("status", "sop")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
