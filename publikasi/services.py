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


def mulai_uji(form, user):
    """A PPID Pelaksana opens a consequence test on an item of their unit (step 1 waits)."""
    from .models import UjiKonsekuensi

    item = form.cleaned_data["informasi"]
    uji = UjiKonsekuensi(informasi=item, pemicu=form.cleaned_data["pemicu"], unit=item.unit)
    return engine.start(uji, by=user, note=f"Usulan pengujian: {item.judul}")


def mulai_pengumuman(form, user):
    """The Bidang starts an update cycle for one unit's berkala or serta merta information."""
    from .models import Pengumuman

    data = form.cleaned_data
    return engine.start(Pengumuman(judul=data["judul"], jenis=data["jenis"], unit=data["unit"]), by=user,
                        note="Pemutakhiran konten informasi publik dimulai.")
