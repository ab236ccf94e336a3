"""The platforms the Bunder SOP names (website, Instagram, Facebook, YouTube) and the two the
portal adds (X, TikTok), with their caption limits. An admin may change them afterwards."""

from django.db import migrations

PLATFORMS = [
    ("website", "Website", None, "", 1),
    ("instagram", "Instagram", 2200, "instagram.com", 2),
    ("facebook", "Facebook", 63206, "facebook.com,fb.com,fb.watch", 3),
    ("youtube", "YouTube", 5000, "youtube.com,youtu.be", 4),
    ("x", "X", 280, "x.com,twitter.com", 5),
    ("tiktok", "TikTok", 2200, "tiktok.com", 6),
]


def seed(apps, schema_editor):
    PlatformMedsos = apps.get_model("publikasi", "PlatformMedsos")
    for kode, nama, batas, domain, urutan in PLATFORMS:
        PlatformMedsos.objects.get_or_create(
            kode=kode, defaults={"nama": nama, "batas_karakter": batas, "domain": domain, "urutan": urutan})


class Migration(migrations.Migration):
    dependencies = [("publikasi", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
