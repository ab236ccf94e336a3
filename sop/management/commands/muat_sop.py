"""``manage.py muat_sop``: load the five SOP documents (idempotent), then drop every
process's memo of them (:mod:`sop.memo`)."""

from django.core.management.base import BaseCommand

from sop import memo
from sop.loader import load_all


class Command(BaseCommand):
    help = "Memuat dokumen SOP dari berkas SOP tiap aplikasi (AppConfig.sop_files) (yang sudah ada tidak diubah, kecuali dengan --timpa)."

    def add_arguments(self, parser):
        parser.add_argument("--timpa", action="store_true", help="Timpa data yang sudah ada dengan isi berkas.")

    def handle(self, *args, timpa=False, **options):
        for sop in load_all(overwrite=timpa):
            self.stdout.write(f"{sop.kode}: {sop.lanes.count()} pelaksana, {sop.steps.count()} langkah")
        # Every process reads the SOPs again (sop.memo), even when nothing was saved here: the
        # way to make a change made outside the ORM (SQL by hand) seen at once.
        memo.clear()
