"""``manage.py cadangkan`` (``make backup``): the database and uploaded files into one archive.

Safe while the portal runs. See :mod:`ppid.cadangan` for what the archive holds.
"""

from django.core.management.base import BaseCommand, CommandError

from ppid.cadangan import CadanganGagal, buat_cadangan


class Command(BaseCommand):
    # A backup or restore must work even while a system check complains about something else.
    requires_system_checks = []
    help = "Mencadangkan basis data dan berkas unggahan ke satu arsip bertanggal (PPID_BACKUP_DIR)."

    def add_arguments(self, parser):
        parser.add_argument("--folder", help="Folder tujuan (bawaan: PPID_BACKUP_DIR, var/cadangan).")

    def handle(self, *args, folder=None, **options):
        try:
            path, files = buat_cadangan(folder)
        except CadanganGagal as exc:
            raise CommandError(str(exc)) from None
        size = path.stat().st_size / (1024 * 1024)
        self.stdout.write(self.style.SUCCESS(f"Cadangan dibuat: {path} ({files} berkas unggahan, {size:.1f} MB)"))
