"""The bulk archive job: one ZIP of an SOP's cases closed in a period, built by a Celery
worker. The row is the job's whole state: status, progress (``selesai`` of ``total``), the
file when done, the error when it failed, and a heartbeat the worker renews after each case,
so a worker that died mid-archive is recognised (stale heartbeat) and the job marked failed.
``percobaan`` numbers the attempts: a worker only writes to the job while its attempt is the
current one, so a retried job is never touched by a worker of an earlier attempt."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone

WIB = ZoneInfo("Asia/Jakarta")


class ArsipMassal(models.Model):
    class Status(models.TextChoices):
        ANTRI = "antri", "Menunggu giliran"
        BERJALAN = "berjalan", "Sedang disusun"
        SELESAI = "selesai", "Selesai"
        GAGAL = "gagal", "Gagal"

    sop = models.ForeignKey("sop.Sop", on_delete=models.PROTECT, related_name="+", verbose_name="SOP")
    mulai = models.DateField("dari tanggal")
    sampai = models.DateField("sampai tanggal")
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.ANTRI)
    total = models.PositiveIntegerField("jumlah kasus", null=True, blank=True)
    selesai = models.PositiveIntegerField("kasus selesai disusun", default=0)
    berkas = models.FileField("berkas ZIP", upload_to="arsip/", blank=True)
    ukuran = models.PositiveBigIntegerField("ukuran berkas (byte)", null=True, blank=True)
    pesan_galat = models.TextField("pesan galat", blank=True)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name="diminta oleh")
    dibuat = models.DateTimeField("diminta", default=timezone.now)
    dimulai = models.DateTimeField("mulai disusun", null=True, blank=True)
    rampung = models.DateTimeField("selesai disusun", null=True, blank=True)
    detak = models.DateTimeField("tanda hidup terakhir", null=True, blank=True)
    percobaan = models.PositiveIntegerField("percobaan", default=1)

    class Meta:
        ordering = ["-dibuat"]
        indexes = [models.Index(fields=["status", "detak"], name="arsip_status_detak")]
        permissions = [("buat_arsip_massal", "Boleh membuat arsip massal kasus yang selesai")]
        verbose_name = "arsip massal"
        verbose_name_plural = "arsip massal"

    def __str__(self):
        return f"Arsip {self.sop.kode} {self.mulai:%d-%m-%Y} s.d. {self.sampai:%d-%m-%Y}"

    @property
    def periode(self):
        """The period in UTC, [start, end): from 00:00 WIB of ``mulai`` to 00:00 WIB of the
        day after ``sampai``, so both dates are whole office days."""
        start = datetime.combine(self.mulai, time.min, tzinfo=WIB)
        end = datetime.combine(self.sampai + timedelta(days=1), time.min, tzinfo=WIB)
        return start, end

    @property
    def berjalan(self):
        return self.status in (self.Status.ANTRI, self.Status.BERJALAN)

    @property
    def persen(self):
        if not self.total:
            return 100 if self.status == self.Status.SELESAI else 0
        return min(100, round(100 * self.selesai / self.total))

    def nama_unduhan(self):
        return f"arsip-{self.sop.kode}-{self.mulai:%Y%m%d}-{self.sampai:%Y%m%d}.zip"
