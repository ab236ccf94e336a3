"""Admin for the publication workflows: platforms, the register (imported and exported), and
the cases of social-media publishing, consequence tests and announcements (export only)."""

from django.contrib import admin

from sop.admin import EksporKasusMixin, ImporEksporMixin

from .models import Keputusan, PlatformMedsos, Publikasi, TautanUnggahan, Versi
from .resources import (
    InformasiPublikResource, PengumumanResource, PublikasiResource, UjiKonsekuensiResource,
)


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
class PublikasiAdmin(EksporKasusMixin, admin.ModelAdmin):
    resource_classes = [PublikasiResource]
    list_display = ("kode", "judul", "state", "dibuat")
    list_filter = ("state",)
    search_fields = ("kode", "judul")
    readonly_fields = ("kode", "state", "dibuat")
    inlines = [VersiInline]

    def has_add_permission(self, request):
        return False


admin.site.register(Keputusan)
admin.site.register(TautanUnggahan)


from .models import InformasiPublik, Pengumuman, UjiKonsekuensi  # noqa: E402
from .models.dip import Kelas  # noqa: E402


@admin.register(InformasiPublik)
class InformasiPublikAdmin(ImporEksporMixin, admin.ModelAdmin):
    resource_classes = [InformasiPublikResource]
    list_display = ("judul", "unit", "kelas", "diterbitkan", "dikecualikan_sampai")
    list_filter = ("kelas", "unit")
    search_fields = ("judul", "ringkasan")

    def get_readonly_fields(self, request, obj=None):
        # Exemption is granted only by a consequence test, never by editing the register: an
        # exempt item's class stays as the test left it, and no other item can be made exempt.
        fields = ("dasar_pengecualian", "dikecualikan_sampai")
        return (*fields, "kelas") if obj is not None and obj.dikecualikan else fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kelas":
            kwargs["choices"] = [(v, label) for v, label in db_field.choices if v != Kelas.DIKECUALIKAN]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(UjiKonsekuensi)
class UjiKonsekuensiAdmin(EksporKasusMixin, admin.ModelAdmin):
    resource_classes = [UjiKonsekuensiResource]
    list_display = ("kode", "informasi", "state", "dibuat")
    list_filter = ("state",)
    readonly_fields = ("kode", "state", "dibuat")

    def has_add_permission(self, request):
        return False


@admin.register(Pengumuman)
class PengumumanAdmin(EksporKasusMixin, admin.ModelAdmin):
    resource_classes = [PengumumanResource]
    list_display = ("kode", "judul", "jenis", "state", "unit", "dibuat")
    list_filter = ("state", "jenis")
    readonly_fields = ("kode", "state", "dibuat")

    def has_add_permission(self, request):
        return False
