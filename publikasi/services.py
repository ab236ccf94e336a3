"""Operations of social-media publishing beyond single transitions."""

from django.db import transaction

from sop import services as engine

from .models import BahanBerkas, Publikasi


@transaction.atomic
def buat_publikasi(form, user):
    """Step 1: the Ketua PPID issues an instruction with the activity material."""
    data = form.cleaned_data
    publikasi = Publikasi(judul=data["judul"], instruksi=data["instruksi"], bahan=data["bahan"])
    engine.start(publikasi, by=user, note=data["instruksi"])
    for upload in data["berkas"]:
        item = BahanBerkas(publikasi=publikasi, nama_asli=upload.name[:200], jenis=upload.sniffed_type)
        item.berkas.save(upload.name, upload, save=False)
        item.save()
    return publikasi
