"""Business operations of the complaint service that are more than one transition."""

from django.db import transaction

from sop import services as engine

from .models import Lampiran


def kirim_aduan(form):
    """Save a citizen's complaint from a valid :class:`~aduan.forms.AduanForm` with its
    attachments, and start it on the SOP (step 1 done, step 2 waiting). All or nothing: one
    transaction holds the case, its Tasks, the receipt and the attachments."""
    aduan = form.save(commit=False)
    uploads = form.cleaned_data.get("lampiran") or []
    with transaction.atomic():
        engine.start(aduan, note="Aduan disampaikan melalui formulir portal.")
        for upload in uploads:
            item = Lampiran(aduan=aduan, nama_asli=upload.name[:200], jenis=upload.sniffed_type, ukuran=upload.size)
            item.berkas.save(upload.name, upload, save=False)
            item.save()
    return aduan
