"""The SOP engine's data: SOP documents as data, and the one table of work (Task).

- ``Sop``, ``Lane``, ``Step``: the document (PermenPAN-RB 35/2012 form). A lane is a swimlane
  column and a role: it owns one auth Group, and a user acts in a lane by being in its group.
- ``Unit``: a Perangkat Daerah (OPD/BUMD). Lanes marked ``per_unit`` only see the work of
  the units their members belong to.
- ``HariLibur``: holidays an admin adds on top of the national ones.
- ``Case``: the abstract model every workflow's case extends (a protected FSM state, optimistic
  concurrency, an unguessable tracking code, the unit it is routed to).
- ``Task``: a row each time a case enters a state. The open row is the case's current step;
  the table is at once the officers' queue, the deadline clock, the audit trail and the
  statistics.
- ``Notifikasi``: the outbox. Rows are written in the transaction that caused them and sent
  by Celery after commit, so a broker or mail outage delays a message but never loses it.
"""

import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin

from . import waktu as w


class Unit(models.Model):
    nama = models.CharField("nama", max_length=200, unique=True)
    singkatan = models.CharField("singkatan", max_length=40, blank=True)
    aktif = models.BooleanField("aktif", default=True)
    anggota = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="units", verbose_name="anggota"
    )

    class Meta:
        ordering = ["nama"]
        verbose_name = "Perangkat Daerah (OPD/BUMD)"
        verbose_name_plural = "Perangkat Daerah (OPD/BUMD)"

    def __str__(self):
        return self.nama


class Sop(models.Model):
    kode = models.SlugField("kode", max_length=40, unique=True, allow_unicode=False)
    nama = models.CharField("nama SOP", max_length=200)
    nomor = models.CharField("nomor SOP", max_length=100, blank=True)
    pemerintah = models.CharField("pemerintah", max_length=200, blank=True)
    instansi = models.CharField("instansi", max_length=200, blank=True)
    unit_kerja = models.CharField("unit kerja", max_length=200, blank=True)
    tanggal_pembuatan = models.DateField("tanggal pembuatan", null=True, blank=True)
    tanggal_revisi = models.DateField("tanggal revisi", null=True, blank=True)
    tanggal_efektif = models.DateField("tanggal efektif", null=True, blank=True)
    disahkan_jabatan = models.CharField("disahkan oleh (jabatan)", max_length=200, blank=True)
    disahkan_nama = models.CharField("disahkan oleh (nama)", max_length=200, blank=True)
    disahkan_pangkat = models.CharField("pangkat", max_length=100, blank=True)
    disahkan_nip = models.CharField("NIP", max_length=60, blank=True)
    dasar_hukum = models.JSONField("dasar hukum", default=list, blank=True)
    kualifikasi = models.JSONField("kualifikasi pelaksana", default=list, blank=True)
    keterkaitan = models.JSONField("keterkaitan", default=list, blank=True)
    peralatan = models.JSONField("peralatan/perlengkapan", default=list, blank=True)
    peringatan = models.TextField("peringatan", blank=True)
    pencatatan = models.JSONField("pencatatan dan pendataan", default=list, blank=True)
    berkas_sumber = models.CharField("berkas sumber", max_length=200, blank=True)

    class Meta:
        ordering = ["kode"]
        verbose_name = "SOP"
        verbose_name_plural = "SOP"

    def __str__(self):
        return f"{self.nama} ({self.kode})"


class Lane(models.Model):
    sop = models.ForeignKey(Sop, on_delete=models.CASCADE, related_name="lanes")
    kode = models.SlugField("kode", max_length=60)
    nama = models.CharField("nama pelaksana", max_length=200)
    nama_en = models.CharField("nama (English)", max_length=200, blank=True)
    urutan = models.PositiveSmallIntegerField("urutan kolom", default=0)
    group = models.OneToOneField(Group, on_delete=models.PROTECT, null=True, blank=True, related_name="lane")
    per_unit = models.BooleanField(
        "per unit", default=False, help_text="Anggota pelaksana ini hanya melihat pekerjaan unit (OPD) mereka."
    )
    warga = models.BooleanField("warga", default=False, help_text="Pelaksana di luar kantor (mis. Pengadu).")
    atasan = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="bawahan",
        verbose_name="atasan (eskalasi)",
    )

    class Meta:
        ordering = ["sop", "urutan"]
        constraints = [models.UniqueConstraint(fields=["sop", "kode"], name="lane_kode_unik_per_sop")]
        verbose_name = "pelaksana (lane)"
        verbose_name_plural = "pelaksana (lane)"

    def __str__(self):
        return self.nama

    def group_name(self):
        return f"{self.sop.kode}: {self.nama}"[:150]

    def save(self, *args, **kwargs):
        # Every lane but a citizens' acts through its Group, whoever creates it (the loader,
        # the admin, an import): without one no user could ever work its steps.
        if self.group_id is None and not self.warga:
            self.group, _ = Group.objects.get_or_create(name=self.group_name())
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "group"}
        super().save(*args, **kwargs)


class Step(models.Model):
    sop = models.ForeignKey(Sop, on_delete=models.CASCADE, related_name="steps")
    nomor = models.CharField("no.", max_length=10)
    urutan = models.PositiveSmallIntegerField("urutan baris")
    lane = models.ForeignKey(Lane, on_delete=models.PROTECT, related_name="steps", verbose_name="pelaksana")
    state = models.CharField(
        "tahap kasus", max_length=60, blank=True,
        help_text="Tahap (state) kasus yang menunggu langkah ini; kosong untuk langkah yang membuat kasus.",
    )
    kegiatan = models.TextField("kegiatan")
    kelengkapan = models.TextField("kelengkapan", blank=True)
    waktu = models.CharField("waktu (seperti tertulis)", max_length=200, blank=True)
    waktu_nilai = models.PositiveIntegerField(null=True, blank=True, editable=False)
    waktu_satuan = models.CharField(max_length=20, choices=w.UNIT_CHOICES, blank=True, editable=False)
    waktu_batas = models.CharField(max_length=10, choices=w.BOUND_CHOICES, blank=True, editable=False)
    output = models.TextField("output", blank=True)
    keterangan = models.TextField("keterangan", blank=True)
    tambahan = models.BooleanField(
        "tambahan portal", default=False, help_text="Langkah yang tidak ada dalam dokumen SOP, ditambahkan portal."
    )
    persetujuan = models.BooleanField(
        "langkah persetujuan", default=False,
        help_text="Langkah ini adalah persetujuan atasan; tampil lebih dahulu di antrian pelaksananya.",
    )
    dasar = models.TextField("dasar penambahan", blank=True)
    # The SOP table's flowchart: a step with branches is drawn as a decision (diamond). The
    # main ("Ya") path is the next row; each branch names where the other path goes.
    cabang = models.JSONField(
        "cabang keputusan", default=list, blank=True,
        help_text='Cabang keputusan, mis. [{"label": "Tidak", "ke": "3"}]; kosong untuk langkah biasa.',
    )

    class Meta:
        ordering = ["sop", "urutan"]
        constraints = [
            models.UniqueConstraint(fields=["sop", "urutan"], name="step_urutan_unik_per_sop"),
            models.UniqueConstraint(
                fields=["sop", "state"], condition=~Q(state=""), name="step_state_unik_per_sop"
            ),
        ]
        verbose_name = "langkah"
        verbose_name_plural = "langkah"

    def __str__(self):
        return f"{self.sop.kode} langkah {self.nomor}"

    @property
    def standard(self):
        """The parsed time standard (:class:`sop.waktu.Waktu`), or None when untimed."""
        if not self.waktu_satuan:
            return None
        return w.Waktu(self.waktu_nilai, self.waktu_satuan, self.waktu_batas)

    def _parse_waktu(self):
        try:
            parsed = w.parse(self.waktu)
        except w.WaktuTidakTerbaca as exc:
            raise ValidationError({"waktu": str(exc)}) from None
        self.waktu_nilai = parsed.value if parsed else None
        self.waktu_satuan = parsed.unit if parsed else ""
        self.waktu_batas = parsed.bound if parsed else ""

    def clean(self):
        self._parse_waktu()
        if self.lane_id and self.sop_id and self.lane.sop_id != self.sop_id:
            raise ValidationError({"lane": "Pelaksana harus dari SOP yang sama."})

    def save(self, *args, **kwargs):
        # Parsed on every save, not only in forms: the loader and imports must not be able
        # to store a standard the calendar cannot count.
        self._parse_waktu()
        super().save(*args, **kwargs)


class HariLibur(models.Model):
    tanggal = models.DateField("tanggal", unique=True)
    nama = models.CharField("nama", max_length=200)

    class Meta:
        ordering = ["tanggal"]
        verbose_name = "hari libur tambahan"
        verbose_name_plural = "hari libur tambahan"

    def __str__(self):
        return f"{self.tanggal:%d-%m-%Y} {self.nama}"


# --- cases ---------------------------------------------------------------------------------

_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud over the phone


def new_tracking_code(prefix):
    """An unguessable tracking code such as ``ADU-7K3M-9QXD-2PHW`` (about 59 bits)."""
    # One draw of a number below 31^12, written in the alphabet's base: uniform over the codes.
    n = secrets.randbelow(len(_CODE_ALPHABET) ** 12)
    digits = []
    for _ in range(12):
        n, d = divmod(n, len(_CODE_ALPHABET))
        digits.append(_CODE_ALPHABET[d])
    body = "".join(digits)
    return f"{prefix}-{body[0:4]}-{body[4:8]}-{body[8:12]}"


class Case(ConcurrentTransitionMixin, models.Model):
    """A running SOP case. Subclasses declare ``state = FSMField(protected=True, ...)`` and
    their transitions next to it, and set:

    - ``SOP_KODE``: the code of the SOP document they run;
    - ``KODE_PREFIX``: the prefix of tracking codes;
    - ``STAFF_URL_NAME``: the URL name of the staff case page (takes the tracking code).

    Transitions may carry ``custom={"lane": ..., "label": ..., "note_required": ...}``; the
    engine (:mod:`sop.services`) reads them. Views never call transition methods directly.
    """

    SOP_KODE = None
    KODE_PREFIX = "KAS"
    STAFF_URL_NAME = None

    kode = models.CharField("kode lacak", max_length=24, unique=True, editable=False)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="OPD tujuan"
    )
    dibuat = models.DateTimeField("dibuat", default=timezone.now, editable=False)
    diubah = models.DateTimeField("diubah", auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        """Gives a new case its tracking code. A workflow that fills in or normalises values
        of its own overrides ``save()`` and calls this one."""
        if not self.kode:
            self.kode = new_tracking_code(self.KODE_PREFIX)
        super().save(*args, **kwargs)

    def __str__(self):
        return self.kode

    def judul_antrian(self):
        """The short line that names this case in the officers' queue."""
        return self.kode

    def mendesak(self):
        """Whether this case's work is urgent in every queue (e.g. serta merta information)."""
        return False

    def notifikasi_warga(self, transition, note):
        """Messages to the citizen for this transition: a list of (email, subject, body)."""
        return []

    # --- the case archive ---------------------------------------------------------------
    # Fields the archive's header already shows, or that only serve the engine.
    ARSIP_TANPA = ("id", "kode", "state", "unit", "dibuat", "diubah")

    def data_arsip(self, user=None):
        """The case's own data for its archive PDF, as (label, value) pairs, for ``user``.

        Default: every editable field of the concrete model (and its many-to-many fields)
        with a value, under its verbose name, choices and dates as people read them. Files go
        to :meth:`lampiran_arsip`. A workflow overrides this to hide what ``user`` may not see.
        """
        pairs = []
        for field in self._meta.concrete_fields + self._meta.many_to_many:
            if field.name in self.ARSIP_TANPA or not field.editable or isinstance(field, models.FileField):
                continue
            value = _arsip_value(self, field)
            if value not in ("", None):
                pairs.append((str(field.verbose_name)[:1].upper() + str(field.verbose_name)[1:], value))
        return pairs

    def lampiran_arsip(self):
        """The case's attached files for its archive: (name, type, size in bytes or None)
        each; the archive lists them, it does not carry them. Default: the model's own file
        fields that hold a file."""
        import mimetypes

        found = []
        for field in self._meta.concrete_fields:
            berkas = getattr(self, field.name) if isinstance(field, models.FileField) else None
            if berkas:
                jenis = mimetypes.guess_type(berkas.name)[0] or ""
                found.append((f"{field.verbose_name}: {berkas.name.rsplit('/', 1)[-1]}", jenis, _size(berkas)))
        return found

    @classmethod
    def staff_url_for(cls, kode):
        return reverse(cls.STAFF_URL_NAME, args=[kode])

    def get_absolute_url(self):
        return self.staff_url_for(self.kode)


def _arsip_value(case, field):
    """How the archive writes one field's value: choices by label, dates in WIB, yes/no."""
    if field.many_to_many:
        return ", ".join(str(o) for o in getattr(case, field.name).all())
    value = getattr(case, field.name)
    if value is None or value == "":
        return ""
    if field.choices:
        return getattr(case, f"get_{field.name}_display")()
    if isinstance(field, models.BooleanField):
        return "Ya" if value else "Tidak"
    if isinstance(field, models.DateTimeField):
        return f"{timezone.localtime(value):%d-%m-%Y %H:%M} WIB"
    if isinstance(field, models.DateField):
        return f"{value:%d-%m-%Y}"
    if field.is_relation:
        user = value
        if hasattr(user, "get_full_name"):
            return user.get_full_name() or user.get_username()
    return str(value)


def _size(berkas):
    try:
        return berkas.size
    except OSError:  # the file is gone from storage: the archive still names it
        return None


def case_models():
    """``{SOP_KODE: model}`` of every installed case model: how the engine's own features
    (archives, imports) reach the workflows without importing them."""
    from django.apps import apps

    return {
        model.SOP_KODE: model
        for model in apps.get_models()
        if issubclass(model, Case) and not model._meta.abstract and model.SOP_KODE
    }


# --- the one table of work -----------------------------------------------------------------

class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(finished_at__isnull=True)

    def of_case(self, case):
        return self.filter(case_type=ContentType.objects.get_for_model(case), case_id=case.pk)

    def for_user(self, user):
        """Open work in the lanes of ``user``; per-unit lanes only for the user's units."""
        if not user.is_authenticated:
            return self.none()
        # Subqueries rather than joins: no duplicate rows, so no DISTINCT on a large table.
        return self.open().filter(lane__group__in=user.groups.all()).filter(
            Q(lane__per_unit=False) | Q(unit__in=user.units.all())
        )


class Task(models.Model):
    # No index of its own on case_type (task_case starts with it) nor on kode (no query reads
    # Tasks by code; the admin's search is a substring match no btree serves): every index is
    # written on each Task insert and on each sweep claim.
    case_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", db_index=False)
    case_id = models.PositiveBigIntegerField()
    kode = models.CharField("kode lacak", max_length=24)
    judul = models.CharField("ringkasan", max_length=200, blank=True)
    sop = models.ForeignKey(Sop, on_delete=models.PROTECT, related_name="tasks")
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="tasks", verbose_name="langkah")
    lane = models.ForeignKey(Lane, on_delete=models.PROTECT, related_name="tasks", verbose_name="pelaksana")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        db_index=False,  # never set yet: an index of NULLs costs every insert and serves nothing
    )
    state = models.CharField("tahap", max_length=60)
    waktu = models.CharField("standar waktu", max_length=200, blank=True)
    waktu_batas = models.CharField(max_length=10, blank=True)
    mendesak = models.BooleanField("mendesak", default=False)
    # The step's approval mark when the Task opened (as mendesak is the case's): the queue's
    # order reads both from the Task, so one index serves each lane's open work in order.
    persetujuan = models.BooleanField("menunggu persetujuan", default=False)
    started_at = models.DateTimeField("mulai")
    due_at = models.DateTimeField("batas waktu", null=True, blank=True)
    remind_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField("selesai", null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="oleh",
    )
    transition = models.CharField("tindakan", max_length=60, blank=True)
    note = models.TextField("catatan", blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [
            models.Index(fields=["case_type", "case_id"], name="task_case"),
            # The sweep reads the open steps whose moment fell since its last run (sop/sweep.py):
            # a range of each index, as long as the work due now. The sweep writes nothing into
            # the Task (its record is a Peringatan), so no index here names what it did.
            models.Index(fields=["due_at"], condition=Q(finished_at__isnull=True), name="task_open_due"),
            models.Index(fields=["remind_at"], condition=Q(finished_at__isnull=True), name="task_open_ingat"),
            # The officers' queue (sop/antrian.py): each lane's open work in queue order (urgent
            # first, then approvals, then the soonest deadline; both marks snapshot on the Task),
            # so a page reads one ordered range per lane; the unit last, for per-unit lanes to
            # filter on from the index alone.
            models.Index(
                fields=["lane", "-mendesak", "-persetujuan", "due_at", "id", "unit"],
                condition=Q(finished_at__isnull=True), name="task_open_queue",
            ),
            # The supervisor's table (sop/antrian.py): each supervised lane's open work by
            # deadline, so the longest-overdue steps are one short range per lane.
            models.Index(
                fields=["lane", "due_at", "id"], condition=Q(finished_at__isnull=True, due_at__isnull=False),
                name="task_open_lane_due",
            ),
        ]
        constraints = [
            # The engine's core invariant: a case waits in one place at a time.
            models.UniqueConstraint(
                fields=["case_type", "case_id"], condition=Q(finished_at__isnull=True),
                name="task_satu_terbuka_per_kasus",
            ),
        ]
        verbose_name = "tugas"
        verbose_name_plural = "tugas"

    def __str__(self):
        return f"{self.kode} langkah {self.step.nomor}"

    @property
    def is_open(self):
        return self.finished_at is None

    def is_overdue(self, now=None):
        if self.due_at is None or self.finished_at is not None:
            return False
        return w.lewat(now or timezone.now(), self.due_at, self.waktu_batas)

    @property
    def is_late(self):
        from .kalender import Kalender

        return Kalender.is_late(self.finished_at, self.due_at, self.waktu_batas)

    @property
    def duration(self):
        if self.finished_at is None:
            return None
        return self.finished_at - self.started_at

    def case_url(self):
        # get_for_id is served from ContentType's cache: no query per Task, whether or not
        # case_type was selected with it (the sweep's messages do not select it).
        return ContentType.objects.get_for_id(self.case_type_id).model_class().staff_url_for(self.kode)


class Peringatan(models.Model):
    """A reminder or an escalation the deadline sweep raised for a Task: the clock's own
    record, one row per Task and kind (the constraint makes a second one impossible, whatever
    sweeps run at once). It waits until ``not_before`` (staff mail goes out in office hours),
    then delivery fans it out to its audience's members of that moment, one outbox row each
    (``diuraikan`` says when)."""

    PENGINGAT, ESKALASI = "pengingat", "eskalasi"
    JENIS = [(PENGINGAT, "pengingat"), (ESKALASI, "eskalasi")]

    # No index of its own: the constraint's (task, jenis) serves the foreign key.
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="peringatan", db_index=False)
    jenis = models.CharField(max_length=20, choices=JENIS)
    dibuat = models.DateTimeField()
    not_before = models.DateTimeField("kirim setelah")
    diuraikan = models.DateTimeField("diteruskan ke penerima", null=True, blank=True)

    class Meta:
        ordering = ["dibuat", "id"]
        constraints = [models.UniqueConstraint(fields=["task", "jenis"], name="peringatan_satu_per_task")]
        indexes = [
            models.Index(fields=["not_before"], condition=Q(diuraikan__isnull=True), name="peringatan_menunggu"),
        ]
        verbose_name = "peringatan tenggat"
        verbose_name_plural = "peringatan tenggat"

    def __str__(self):
        return f"{self.jenis} {self.task_id}"


class Sapuan(models.Model):
    """How far the deadline sweep has looked: one row, ``sampai``, the moment up to which every
    reminder and escalation has been raised (and ``dari``, where the last span began). A sweep
    takes the span from there to now with one conditional update of this row, so two sweeps
    never take the same span (sop/sweep.py)."""

    dari = models.DateTimeField(null=True, blank=True)  # where the last sweep's span began
    sampai = models.DateTimeField()

    class Meta:
        verbose_name = "sapuan tenggat"
        verbose_name_plural = "sapuan tenggat"

    def __str__(self):
        return f"sapuan sampai {self.sampai:%Y-%m-%d %H:%M:%S}"


class Notifikasi(models.Model):
    PENGINGAT, ESKALASI, WARGA = "pengingat", "eskalasi", "warga"
    JENIS = [(PENGINGAT, "pengingat"), (ESKALASI, "eskalasi"), (WARGA, "kabar untuk warga")]

    jenis = models.CharField(max_length=20, choices=JENIS)
    penerima = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    email = models.EmailField()
    subjek = models.CharField(max_length=200)
    isi = models.TextField()
    task = models.ForeignKey(Task, on_delete=models.CASCADE, null=True, blank=True, related_name="notifikasi")
    dibuat = models.DateTimeField(default=timezone.now)
    not_before = models.DateTimeField("kirim setelah", default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField("percobaan", default=0)
    sent_at = models.DateTimeField("terkirim", null=True, blank=True)
    gagal = models.BooleanField("menyerah", default=False)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-dibuat"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], condition=Q(sent_at__isnull=True, gagal=False), name="notif_pending"
            )
        ]
        verbose_name = "notifikasi"
        verbose_name_plural = "notifikasi"

    def __str__(self):
        return f"{self.jenis} → {self.email}: {self.subjek}"
