"""``manage.py pulihkan [ARSIP] [--timpa]`` (``make restore``): put a backup back.

Without ARSIP the newest archive in PPID_BACKUP_DIR is used. A database that already has
tables is refused unless ``--timpa`` is given. Stop the portal (web, worker, beat) first.
"""

from django.core.management.base import BaseCommand, CommandError

from ppid.cadangan import CadanganGagal, cadangan_terbaru, pulihkan


class Command(BaseCommand):
    # A backup or restore must work even while a system check complains about something else.
    requires_system_checks = []
    help = "Memulihkan basis data dan berkas unggahan dari arsip cadangan."

    def add_arguments(self, parser):
        parser.add_argument("arsip", nargs="?", help="Berkas cadangan (bawaan: yang terbaru di PPID_BACKUP_DIR).")
        parser.add_argument("--timpa", action="store_true",
                            help="Timpa basis data yang sudah berisi dengan isi cadangan.")

    def handle(self, *args, arsip=None, timpa=False, **options):
        try:
            arsip = arsip or cadangan_terbaru()
            manifest = pulihkan(arsip, timpa=timpa)
        except CadanganGagal as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(
            f"Dipulihkan dari {arsip} (dibuat {manifest['dibuat']}, {manifest['berkas_media']} berkas unggahan). "
            "Jalankan 'manage.py migrate' bila kode lebih baru dari cadangan."
        ))
