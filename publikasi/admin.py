from django.contrib import admin

from .models import Keputusan, PlatformMedsos, Publikasi, TautanUnggahan, Versi


@admin.register(PlatformMedsos)
class PlatformMedsosAdmin(admin.ModelAdmin):
    list_display = ("nama", "kode", "batas_karakter", "domain", "aktif", "urutan")
    list_editable = ("batas_karakter", "domain", "aktif", "urutan")


class VersiInline(admin.TabularInline):
    model = Versi
    extra = 0
    fields = ("nomor", "caption", "dibuat", "dibuat_oleh")
    readonly_fields = fields
    can_delete = False


@admin.register(Publikasi)
class PublikasiAdmin(admin.ModelAdmin):
    list_display = ("kode", "judul", "state", "dibuat")
    list_filter = ("state",)
    search_fields = ("kode", "judul")
    readonly_fields = ("kode", "state", "dibuat")
    inlines = [VersiInline]

    def has_add_permission(self, request):
        return False


admin.site.register(Keputusan)
admin.site.register(TautanUnggahan)
