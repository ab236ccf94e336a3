"""Import and export (django-import-export) of the engine's data, in the SOP's own words.

- ``LangkahResource``: the SOP table, one row per step with its time standard, so an agency
  can load or adjust its SOP from a spreadsheet. Rows are matched on (sop, urutan); the
  time standard is parsed by ``Step`` itself, so an unreadable one is an error on its row.
- ``UnitResource``, ``HariLiburResource``: the Perangkat Daerah and the extra holidays.
- ``PetugasResource``: staff users with their lanes (``SOP:lane``) and units. Passwords are
  never read or written: a new user gets an unusable password and sets one through the
  password reset or the admin.
- ``KasusResource``: the base of every workflow's case export (export only). It exports only
  the cases the user may open (:func:`sop.services.visible_cases`) and gives the tracking
  code, the citizen's key to the case, to superusers only.

The widgets here turn bad cells into Indonesian messages on their row (``ValueError``), so
the admin's preview lists them row by row and the whole file is refused.
"""

import json
import re
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.safestring import mark_safe
from import_export import resources, widgets
from import_export.fields import Field

from .models import HariLibur, Lane, Sop, Step, Task, Unit, case_models


def _teks(value):
    return "" if value is None else str(value).strip()


# --- widgets: a cell in, a value out, or an Indonesian message ------------------------------

# A CSV cell starting with one of these is a formula to a spreadsheet program, and openpyxl
# writes an XLSX string starting with "=" as one: such exported text gets a leading
# apostrophe, which the import takes off again, so a complaint's text can never run as a
# formula on an officer's computer.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def tanpa_formula(value, xlsx=False):
    if isinstance(value, str) and value.startswith("=" if xlsx else _FORMULA):
        return "'" + value
    return value


class TeksWidget(widgets.CharWidget):
    """Text; an empty cell is an empty string, spaces around are dropped."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value == int(value):
            value = int(value)  # a spreadsheet's 2.0 is the "2" that was typed
        text = _teks(value)
        if text.startswith("'") and text[1:].startswith(_FORMULA):
            text = text[1:]  # the apostrophe the export put before a formula-like text
        return text


def kolom(attribute, column_name, widget=None):
    """A column read and written as text unless another widget is given."""
    return Field(attribute, column_name, widget=widget or TeksWidget())


class YaTidakWidget(widgets.Widget):
    """A yes/no cell: "ya"/"tidak" (also 1/0, true/false); empty is "tidak"."""

    YA = {"ya", "y", "1", "true", "benar"}
    TIDAK = {"tidak", "t", "0", "false", "salah", ""}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = _teks(value).lower()
        if isinstance(value, (int, float)):
            text = str(int(value))
        if text in self.YA:
            return True
        if text in self.TIDAK:
            return False
        raise ValueError(f"Isi \u201cya\u201d atau \u201ctidak\u201d, bukan {_teks(value)!r}.")

    def render(self, value, obj=None, **kwargs):
        return "ya" if value else "tidak"


class BilanganWidget(widgets.Widget):
    """A whole number (a spreadsheet may hand it over as 3.0)."""

    def clean(self, value, row=None, **kwargs):
        text = _teks(value)
        if text == "":
            return None
        try:
            number = float(text)
        except ValueError:
            raise ValueError(f"{text!r} bukan bilangan bulat.") from None
        if number != int(number) or number < 0:
            raise ValueError(f"{text!r} bukan bilangan bulat positif.")
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class TanggalWidget(widgets.DateWidget):
    """A date written 17-08-2026 (also 2026-08-17 or 17/08/2026, or a spreadsheet date)."""

    FORMAT = ["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"]

    def __init__(self):
        super().__init__()
        self.formats = tuple(self.FORMAT)  # the first is the one written

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if _teks(value) == "":
            return None
        try:
            return super().clean(_teks(value), row, **kwargs)
        except ValueError:
            raise ValueError(
                f"Tanggal {_teks(value)!r} tidak dapat dibaca; tulis misalnya 17-08-2026."
            ) from None


class WaktuLokalWidget(widgets.DateTimeWidget):
    """A moment shown in Asia/Jakarta time, as the pages show it (export only)."""

    def __init__(self):
        super().__init__(format="%d-%m-%Y %H:%M")


class KodeWidget(widgets.ForeignKeyWidget):
    """A row that names another by its code or name; an unknown one is an error."""

    def __init__(self, model, field, nama_jenis):
        super().__init__(model, field)
        self.nama_jenis = nama_jenis

    def clean(self, value, row=None, **kwargs):
        text = _teks(value)
        if text == "":
            return None
        obj = self.get_queryset(text, row).filter(**{f"{self.field}__iexact": text}).first()
        if obj is None:
            raise ValueError(f"{self.nama_jenis} {text!r} tidak ada.")
        return obj


class PilihanWidget(widgets.Widget):
    """A choice written as its code or its label (either, any case); exported as the label."""

    def __init__(self, choices):
        super().__init__()
        self.choices = list(choices)

    def clean(self, value, row=None, **kwargs):
        text = _teks(value).lower()
        if text == "":
            return ""
        for code, label in self.choices:
            if text in (str(code).lower(), str(label).lower()):
                return code
        pilihan = ", ".join(f"\u201c{label}\u201d" for _, label in self.choices)
        raise ValueError(f"{_teks(value)!r} bukan pilihan yang dikenal. Pilihan: {pilihan}.")

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(value, value or "")


class PelaksanaWidget(widgets.Widget):
    """The lane of a step, named by its code or its name within the row's SOP."""

    def clean(self, value, row=None, **kwargs):
        text = _teks(value)
        sop_kode = _teks((row or {}).get("sop"))
        if text == "":
            raise ValueError("Pelaksana wajib diisi.")
        lanes = Lane.objects.filter(sop__kode__iexact=sop_kode)
        lane = lanes.filter(Q(kode__iexact=text) | Q(nama__iexact=text)).first()
        if lane is None:
            ada = ", ".join(lanes.values_list("kode", flat=True)) or "(SOP ini belum punya pelaksana)"
            raise ValueError(f"Pelaksana {text!r} tidak ada di SOP {sop_kode or '(kosong)'}. Pelaksana SOP ini: {ada}.")
        return lane

    def render(self, value, obj=None, **kwargs):
        return value.kode if value is not None else ""


class CabangWidget(widgets.Widget):
    """A step's flowchart branches as JSON, e.g. ``[{"label": "Tidak", "ke": "3"}]``; JSON
    keeps every key the flowchart reads, so a round trip changes nothing."""

    def clean(self, value, row=None, **kwargs):
        text = _teks(value)
        if text == "":
            return []
        try:
            branches = json.loads(text)
        except ValueError:
            branches = None
        if not isinstance(branches, list) or not all(isinstance(b, dict) and b.get("ke") for b in branches):
            raise ValueError(
                f"Cabang {text!r} tidak dapat dibaca; tulis misalnya [{{\"label\": \"Tidak\", \"ke\": \"3\"}}] "
                "atau kosongkan."
            )
        return branches

    def render(self, value, obj=None, **kwargs):
        return json.dumps(value, ensure_ascii=False) if value else ""


# --- the base: Indonesian columns and errors keyed by column --------------------------------

_STYLE = re.compile(r' style="[^"]*"')


class _Diff(resources.Diff):
    """The preview's word diff without inline styles (the CSP refuses them; the admin's
    stylesheet colours ins/del instead)."""

    def as_html(self):
        return [mark_safe(_STYLE.sub("", str(cell))) for cell in super().as_html()]


class ResourceDasar(resources.ModelResource):
    """The user (``user=``) the admin passes in; validation errors keyed by the column the
    user sees, not by the attribute."""

    @classmethod
    def get_diff_class(cls):
        return _Diff

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def export_field(self, field, instance, **kwargs):
        # force_native_type is how the admin says the file is binary (XLSX).
        return tanpa_formula(super().export_field(field, instance, **kwargs), xlsx=kwargs.get("force_native_type"))

    def _column_of(self, key):
        if key == NON_FIELD_ERRORS:
            return key
        for name, field in self.fields.items():
            if key in (name, field.attribute):
                return field.column_name
        return key

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        self.periksa_baris(instance, row, errors)
        if errors:
            raise ValidationError(errors)

    def periksa_baris(self, instance, row, errors):
        """A resource's own checks of an imported row, added to ``errors`` (field -> messages)
        so the preview shows them on the row together with the fields' own errors."""

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as exc:
            raise ValidationError(
                {self._column_of(key): messages for key, messages in exc.message_dict.items()}
            ) from None

    def save_instance(self, instance, is_create, row, **kwargs):
        # A model's save() may refuse what clean() let through (Step parses its standard
        # on every save); that refusal belongs on the row too.
        try:
            super().save_instance(instance, is_create, row, **kwargs)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise ValidationError(
                    {self._column_of(k): v for k, v in exc.message_dict.items()}
                ) from None
            raise

    def get_instance(self, instance_loader, row):
        # A row whose key names an unknown SOP or unit is a new row whose key is then
        # refused on its own field, with the message, instead of a bare crash.
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None


# --- the SOP table -----------------------------------------------------------------------

class LangkahResource(ResourceDasar):
    sop = Field("sop", "sop", widget=KodeWidget(Sop, "kode", "SOP"))
    nomor = kolom("nomor", "no.")
    urutan = Field("urutan", "urutan", widget=BilanganWidget())
    lane = Field("lane", "pelaksana", widget=PelaksanaWidget())
    state = kolom("state", "tahap")
    kegiatan = kolom("kegiatan", "kegiatan")
    kelengkapan = kolom("kelengkapan", "kelengkapan")
    waktu = kolom("waktu", "waktu")
    output = kolom("output", "output")
    keterangan = kolom("keterangan", "keterangan")
    cabang = Field("cabang", "cabang", widget=CabangWidget())
    tambahan = Field("tambahan", "tambahan portal", widget=YaTidakWidget())
    persetujuan = Field("persetujuan", "persetujuan", widget=YaTidakWidget())
    dasar = kolom("dasar", "dasar penambahan")

    PETUNJUK = (
        "Satu baris satu langkah, dicocokkan dengan langkah yang ada menurut sop dan urutan; baris baru "
        "menambah langkah. Pelaksana ditulis dengan kode atau namanya di SOP tersebut. Waktu ditulis seperti "
        "di SOP (mis. \u201c5 menit\u201d, \u201cmax 3 hari\u201d, \u201c10 hari kerja\u201d, \u201cseketika\u201d). "
        "Standar baru berlaku untuk langkah yang dimulai sesudah impor; kasus yang sedang berjalan memakai "
        "batas waktunya yang lama."
    )

    class Meta:
        model = Step
        name = "Langkah SOP dan standar waktunya"
        fields = ("sop", "nomor", "urutan", "lane", "state", "kegiatan", "kelengkapan", "waktu", "output",
                  "keterangan", "cabang", "tambahan", "persetujuan", "dasar")
        import_id_fields = ("sop", "urutan")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False  # the preview lists what changes; the summary counts the rest

    def get_queryset(self):
        return Step.objects.select_related("sop", "lane").order_by("sop__kode", "urutan")

    def periksa_baris(self, instance, row, errors):
        if "state" not in errors and instance.state and instance.sop_id:
            # The engine finds a step by the case state it waits in: a state the workflow
            # does not have would leave its cases with no step and no deadline.
            model = case_models().get(instance.sop.kode)
            states = dict(model._meta.get_field("state").choices) if model is not None else None
            if states is not None and instance.state not in states:
                errors["state"] = [
                    f"Tahap {instance.state!r} tidak dikenal untuk SOP {instance.sop.kode}. "
                    f"Tahap yang ada: {', '.join(states)}."
                ]
            else:
                twin = Step.objects.filter(sop=instance.sop_id, state=instance.state).exclude(pk=instance.pk).first()
                if twin is not None:
                    errors["state"] = [f"Tahap {instance.state!r} sudah dipakai langkah no. {twin.nomor} (urutan {twin.urutan})."]


# --- units and holidays -------------------------------------------------------------------

class UnitResource(ResourceDasar):
    PETUNJUK = "Dicocokkan menurut nama; aktif diisi \u201cya\u201d atau \u201ctidak\u201d. Anggota diatur lewat impor petugas."
    nama = kolom("nama", "nama")
    singkatan = kolom("singkatan", "singkatan")
    aktif = Field("aktif", "aktif", widget=YaTidakWidget())

    class Meta:
        model = Unit
        name = "Perangkat Daerah (OPD/BUMD)"
        fields = ("nama", "singkatan", "aktif")
        import_id_fields = ("nama",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False  # the preview lists what changes; the summary counts the rest


class HariLiburResource(ResourceDasar):
    PETUNJUK = "Dicocokkan menurut tanggal, ditulis mis. 24-12-2026."
    tanggal = Field("tanggal", "tanggal", widget=TanggalWidget())
    nama = kolom("nama", "nama")

    class Meta:
        model = HariLibur
        name = "Hari libur tambahan"
        fields = ("tanggal", "nama")
        import_id_fields = ("tanggal",)
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = False  # the preview lists what changes; the summary counts the rest


# --- staff users --------------------------------------------------------------------------

def _daftar(value):
    return [p.strip() for p in _teks(value).replace("\n", ";").split(";") if p.strip()]


class PetugasResource(ResourceDasar):
    """Staff users, their lanes and units. No password column, ever."""

    PETUNJUK = (
        "Dicocokkan menurut username. Pelaksana ditulis KODE-SOP:kode-pelaksana, unit dengan namanya, dipisah "
        "titik koma; keduanya menggantikan pelaksana dan unit petugas. Kata sandi tidak pernah dibaca atau "
        "ditulis: petugas baru menetapkannya lewat reset kata sandi atau admin."
    )

    username = kolom("username", "username")
    nama = Field(column_name="nama")
    email = kolom("email", "e-mail")
    aktif = Field("is_active", "aktif", widget=YaTidakWidget())
    akses_admin = Field("is_staff", "akses admin", widget=YaTidakWidget())
    pelaksana = Field(column_name="pelaksana")
    unit = Field(column_name="unit")

    class Meta:
        model = get_user_model()
        name = "Petugas, pelaksana (lane) dan unitnya"
        fields = ("username", "nama", "email", "aktif", "akses_admin", "pelaksana", "unit")
        import_id_fields = ("username",)
        clean_model_instances = True

    def get_queryset(self):
        return get_user_model().objects.prefetch_related("groups__lane__sop", "units").order_by("username")

    def dehydrate_nama(self, user):
        return user.get_full_name()

    def dehydrate_pelaksana(self, user):
        if getattr(user, "_lanes_baru", None) is not None:
            lanes = user._lanes_baru
        elif user.pk is None:
            return ""
        else:
            lanes = [g.lane for g in user.groups.all() if hasattr(g, "lane")]
        return "; ".join(sorted(f"{lane.sop.kode}:{lane.kode}" for lane in lanes))

    def dehydrate_unit(self, user):
        if getattr(user, "_units_baru", None) is not None:
            units = user._units_baru
        elif user.pk is None:
            return ""
        else:
            units = user.units.all()
        return "; ".join(sorted(u.nama for u in units))

    def after_init_instance(self, instance, new, row, **kwargs):
        # Imported users never get a password from a file: they set one by the password
        # reset or an admin sets it.
        if new:
            instance.set_unusable_password()

    def periksa_baris(self, instance, row, errors):
        if "nama" in row:
            nama = _teks(row["nama"])
            if nama != instance.get_full_name():
                instance.first_name, instance.last_name = nama[:150], ""
        if "pelaksana" in row:
            lanes, unknown = [], []
            for item in _daftar(row["pelaksana"]):
                sop_kode, _, lane_kode = item.rpartition(":")
                lane = Lane.objects.select_related("sop").filter(
                    sop__kode__iexact=sop_kode.strip(), kode__iexact=lane_kode.strip(), group__isnull=False
                ).first()
                (lanes if lane is not None else unknown).append(lane or item)
            if unknown:
                errors["pelaksana"] = [
                    f"Pelaksana tidak dikenal: {', '.join(unknown)}. Tulis KODE-SOP:kode-pelaksana, "
                    "mis. DMK-ADUAN:admin_koordinator, dipisah titik koma."
                ]
            instance._lanes_baru = lanes
        if "unit" in row:
            names = _daftar(row["unit"])
            units = list(Unit.objects.filter(nama__in=names))
            unknown = sorted(set(names) - {u.nama for u in units})
            if unknown:
                errors["unit"] = [f"Perangkat Daerah tidak dikenal: {', '.join(unknown)}."]
            instance._units_baru = units

    def after_save_instance(self, instance, row, **kwargs):
        lanes = getattr(instance, "_lanes_baru", None)
        if lanes is not None:
            # Only the lane groups are the file's business; other groups stay as they are.
            lane_groups = Group.objects.filter(lane__isnull=False)
            instance.groups.remove(*lane_groups.exclude(pk__in=[lane.group_id for lane in lanes]))
            instance.groups.add(*[lane.group_id for lane in lanes])
        units = getattr(instance, "_units_baru", None)
        if units is not None:
            instance.units.set(units)


# --- cases (export only) ------------------------------------------------------------------

class KasusResource(ResourceDasar):
    """A workflow's cases as the user may see them. Subclasses list their fields in
    ``Meta.fields`` after ``kode``, ``state``, ``unit``; choices are exported as labels."""

    kode = Field("kode", "kode lacak")
    state = kolom("state", "tahap")
    langkah = Field(column_name="langkah sekarang")
    batas_waktu = Field(column_name="batas waktu langkah")
    unit = Field("unit", "OPD/unit tujuan", widget=widgets.ForeignKeyWidget(Unit, "nama"))
    dibuat = Field("dibuat", "dibuat", widget=WaktuLokalWidget())
    diubah = Field("diubah", "diubah", widget=WaktuLokalWidget())

    KOLOM_UMUM = ("kode", "state", "langkah", "batas_waktu", "unit", "dibuat", "diubah")

    def __init__(self, user=None, **kwargs):
        super().__init__(user=user, **kwargs)
        model = self._meta.model
        for name, field in self.fields.items():
            try:
                model_field = model._meta.get_field(field.attribute or name)
            except Exception:
                continue  # a computed column
            if field.column_name == name and name not in KasusResource.KOLOM_UMUM:
                field.column_name = str(model_field.verbose_name)
            if model_field.choices and name != "unit":
                field.widget = PilihanWidget(model_field.choices)
            elif model_field.get_internal_type() == "DateTimeField":
                field.widget = WaktuLokalWidget()
            elif model_field.get_internal_type() == "DateField":
                field.widget = TanggalWidget()
            elif model_field.get_internal_type() == "BooleanField":
                field.widget = YaTidakWidget()
        self._tasks = {}

    def kode_terlihat(self):
        """The tracking code is the citizen's key to the case: superusers only."""
        return self.user is not None and self.user.is_superuser

    def get_export_fields(self, selected_fields=None):
        fields = super().get_export_fields(selected_fields)
        if not self.kode_terlihat():
            fields = [f for f in fields if f is not self.fields["kode"]]
        return fields

    def get_user_visible_fields(self):
        return [f for f in super().get_user_visible_fields() if f is not self.fields["kode"] or self.kode_terlihat()]

    def filter_export(self, queryset, **kwargs):
        # The same rule as the staff pages, whatever queryset the admin hands over.
        from .services import visible_cases

        if self.user is None:
            return queryset.none()
        visible = visible_cases(self._meta.model, self.user)
        if visible is None:
            return queryset.none()
        queryset = queryset.filter(pk__in=visible.values("pk")).select_related("unit")
        # The current step and its deadline, read once for the whole file.
        ct = ContentType.objects.get_for_model(self._meta.model)
        open_tasks = Task.objects.open().filter(case_type=ct, case_id__in=queryset.values("pk")).select_related("step")
        self._tasks = {t.case_id: t for t in open_tasks}
        return queryset

    def dehydrate_langkah(self, case):
        task = self._tasks.get(case.pk)
        return f"{task.step.nomor}. {task.step.kegiatan}" if task else ""

    def dehydrate_batas_waktu(self, case):
        task = self._tasks.get(case.pk)
        if task is None or task.due_at is None:
            return ""
        return f"{timezone.localtime(task.due_at):%d-%m-%Y %H:%M}"
