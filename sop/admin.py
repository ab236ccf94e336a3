"""Admin for the engine's data: an agency adjusts its SOPs, units and holidays here, and
imports or exports them (and the staff users with their lanes) as CSV or XLSX.

``ImporEksporMixin`` and ``EksporKasusMixin`` are the import/export rules every app's admin
uses: CSV and XLSX only; import needs the add and change permissions; a file with any bad
row imports nothing; a case export holds only the cases the user may open.
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import SelectableFieldsExportForm
from import_export.results import RowResult

from .models import HariLibur, Lane, Notifikasi, Peringatan, Sop, Step, Task, Unit
from .resources import HariLiburResource, LangkahResource, PetugasResource, UnitResource
from .services import visible_cases


class _EksporForm(SelectableFieldsExportForm):
    """The export form with each column ticked by the name it has in the file."""

    def _get_field_label(self, resource, field_name):
        # An instance: case resources name their columns from the model when built.
        field = resource().fields.get(field_name)
        return field.column_name if field is not None else field_name


class _FormatMixin:
    formats = [CSV, XLSX]
    export_form_class = _EksporForm
    export_template_name = "admin/ekspor.html"

    def get_resource_kwargs(self, request, *args, **kwargs):
        # Resources decide per user (the tracking code, confidential identities, visibility).
        return {**kwargs, "user": request.user}

    def has_export_permission(self, request):
        return self.has_view_permission(request)


class ImporEksporMixin(_FormatMixin, ImportExportMixin):
    """Import (with a preview) and export for a ModelAdmin."""

    import_template_name = "admin/impor.html"

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        # How the file is read, in a sentence or two, from the resource (PETUNJUK).
        resources = self.get_import_resource_classes(None)
        context["petunjuk"] = getattr(resources[0], "PETUNJUK", "") if resources else ""
        return context

    def has_import_permission(self, request):
        # Importing adds and changes rows: it needs both, as the admin's own forms would.
        return self.has_add_permission(request) and self.has_change_permission(request)

    def get_import_data_kwargs(self, request, *args, **kwargs):
        kwargs = super().get_import_data_kwargs(request=request, *args, **kwargs)
        # All or nothing: a row that fails validation rolls back the whole file, also when
        # the confirmation is posted without a clean preview.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # Numbered as in the spreadsheet, where line 1 holds the column names.
            rows = sorted({n + 1 for n, _ in result.row_errors()} | {r.number + 1 for r in result.invalid_rows})
            messages.error(
                request,
                "Tidak ada data yang diimpor: berkas memuat kesalahan pada baris "
                f"{', '.join(map(str, rows)) or '(berkas)'}. Perbaiki lalu unggah ulang.",
            )
            return HttpResponseRedirect(reverse(
                "admin:%s_%s_import" % self.get_model_info(), current_app=self.admin_site.name
            ))
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        t = result.totals
        messages.success(
            request,
            f"Impor selesai: {t[RowResult.IMPORT_TYPE_NEW]} baru, {t[RowResult.IMPORT_TYPE_UPDATE]} diubah, "
            f"{t[RowResult.IMPORT_TYPE_SKIP]} tidak berubah ({self.model._meta.verbose_name_plural}).",
        )


class EksporKasusMixin(_FormatMixin, ExportMixin):
    """Export only, for a workflow's cases: their state moves only through the engine, so a
    file must not be able to create or move a case. The admin list and the export hold only
    the cases the user may open on the staff pages."""

    def init_request_context_data(self, request, form):
        # The tracking code column is dropped for non-superusers; so is its checkbox.
        if not request.user.is_superuser:
            for resource in self.get_export_resource_classes(request):
                form.fields.pop(form.create_boolean_field_name(resource, "kode"), None)
        return super().init_request_context_data(request, form)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        visible = visible_cases(self.model, request.user)
        if visible is None:
            return qs.none()
        return qs if request.user.is_superuser else qs.filter(pk__in=visible.values("pk"))


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
class StepAdmin(ImporEksporMixin, admin.ModelAdmin):
    list_display = ("kode_sop", "nomor", "urutan", "lane", "state", "waktu", "tambahan")
    list_select_related = ("sop", "lane")
    list_filter = ("sop",)
    resource_classes = [LangkahResource]

    @admin.display(description="SOP", ordering="sop__kode")
    def kode_sop(self, step):
        return step.sop.kode


@admin.register(Unit)
class UnitAdmin(ImporEksporMixin, admin.ModelAdmin):
    list_display = ("nama", "singkatan", "aktif")
    filter_horizontal = ("anggota",)
    search_fields = ("nama", "singkatan")
    resource_classes = [UnitResource]


@admin.register(HariLibur)
class HariLiburAdmin(ImporEksporMixin, admin.ModelAdmin):
    list_display = ("tanggal", "nama")
    resource_classes = [HariLiburResource]


# Staff users: Django's own user admin, with import and export of their lanes and units.
_User = get_user_model()
if admin.site.is_registered(_User):
    admin.site.unregister(_User)


@admin.register(_User)
class PetugasAdmin(ImporEksporMixin, UserAdmin):
    resource_classes = [PetugasResource]


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


@admin.register(Peringatan)
class PeringatanAdmin(admin.ModelAdmin):
    """The sweep's record of each reminder and escalation: read only, like the Tasks."""

    list_display = ("jenis", "task", "dibuat", "not_before", "diuraikan")
    list_filter = ("jenis",)
    search_fields = ("task__kode",)
    list_select_related = ("task", "task__step")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notifikasi)
class NotifikasiAdmin(admin.ModelAdmin):
    list_display = ("jenis", "email", "subjek", "dibuat", "sent_at", "attempts", "gagal")
    list_filter = ("jenis", "gagal")
