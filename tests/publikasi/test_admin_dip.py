"""The register in the admin: exemption comes only from a consequence test, never from editing."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from publikasi.models import InformasiPublik
from tests.factories import InformasiPublikFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(get_user_model().objects.create_superuser("admin", "admin@contoh.go.id", "sandi-rahasia-123"))
    return client


def _form(item, **changes):
    data = {"judul": item.judul, "ringkasan": item.ringkasan, "unit": item.unit_id,
            "penanggung_jawab": item.penanggung_jawab, "periode": item.periode, "bentuk": item.bentuk,
            "kelas": item.kelas, "tautan": "", "diterbitkan": "15-01-2026", "jangka_simpan": item.jangka_simpan}
    data.update(changes)
    return data


def test_an_admin_cannot_make_a_public_item_exempt_by_editing_it(admin_client):
    item = InformasiPublikFactory()
    page = admin_client.get(reverse("admin:publikasi_informasipublik_change", args=[item.pk]))
    assert 'value="dikecualikan"' not in page.content.decode()
    response = admin_client.post(reverse("admin:publikasi_informasipublik_change", args=[item.pk]),
                                 _form(item, kelas="dikecualikan"))
    assert response.status_code == 200 and "bukan salah satu" in response.content.decode()
    item.refresh_from_db()
    assert item.kelas == "setiap_saat"


def test_an_exempt_item_keeps_its_class_when_edited_in_the_admin(admin_client):
    item = InformasiPublikFactory(kelas="dikecualikan", dasar_pengecualian="UU 14/2008 Pasal 17 huruf h")
    response = admin_client.post(reverse("admin:publikasi_informasipublik_change", args=[item.pk]),
                                 _form(item, kelas="setiap_saat", judul="Judul baru"))
    assert response.status_code == 302
    item = InformasiPublik.objects.get(pk=item.pk)
    assert (item.judul, item.kelas) == ("Judul baru", "dikecualikan")
