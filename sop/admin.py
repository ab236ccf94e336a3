"""Admin for the engine's data: an agency adjusts its SOPs, units and holidays here."""

from django.contrib import admin

from .models import HariLibur, Lane, Notifikasi, Sop, Step, Task, Unit


class LaneInline(admin.TabularInline):
    model = Lane
    extra = 0
    fields = ("urutan", "kode", "nama", "per_unit", "warga", "atasan", "group")
    readonly_fields = ("group",)


class StepInline(admin.TabularInline):
    model = Step
    extra = 0
    fields = ("urutan", "nomor", "lane", "state", "kegiatan", "waktu", "tambahan")


@admin.register(Sop)
class SopAdmin(admin.ModelAdmin):
    list_display = ("kode", "nama", "nomor", "instansi")
    inlines = [LaneInline, StepInline]


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    list_display = ("sop", "nomor", "lane", "state", "waktu", "tambahan")
    list_filter = ("sop",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("nama", "singkatan", "aktif")
    filter_horizontal = ("anggota",)
    search_fields = ("nama", "singkatan")


@admin.register(HariLibur)
class HariLiburAdmin(admin.ModelAdmin):
    list_display = ("tanggal", "nama")


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("kode", "sop", "step", "lane", "unit", "started_at", "due_at", "finished_at", "finished_by")
    list_filter = ("sop", "lane")
    search_fields = ("kode",)
    list_select_related = ("sop", "step", "lane", "unit", "finished_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # the audit trail is written only by the engine


@admin.register(Notifikasi)
class NotifikasiAdmin(admin.ModelAdmin):
    list_display = ("jenis", "email", "subjek", "dibuat", "sent_at", "attempts", "gagal")
    list_filter = ("jenis", "gagal")
