"""Monitored opinions are exported from the admin (only those the user may open, codes for
superusers only) and never imported."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, reverse

from opini.models import Opini
from sop import services as engine
from tests.factories import OpiniFactory, UserFactory
from tests.impor_ekspor import XLSX, baca_csv, ekspor

pytestmark = pytest.mark.django_db


def test_opinions_export_with_labels_and_no_import(client, sops):
    pemantau = UserFactory(username="pemantau", is_staff=True, lanes=("CRB-OPINI", "pemantau"))
    opini = engine.start(OpiniFactory(), by=pemantau)
    pemantau.user_permissions.add(Permission.objects.get(codename="view_opini"))
    client.force_login(pemantau)
    (row,) = baca_csv(ekspor(client, Opini))
    # In CSV a leading "@" would be read as a formula by a spreadsheet: it is quoted.
    assert (row["platform"], row["akun penulis"], row["tahap"]) == ("Instagram", "'@warga_kejaksan", "Opini terpantau")
    assert row["tanggal diunggah"] == "20-11-2026"
    assert "kode lacak" not in row and opini.kode not in str(row)

    sheet = openpyxl.load_workbook(io.BytesIO(ekspor(client, Opini, fmt=XLSX).content)).active
    headers = [c.value for c in sheet[1]]
    assert sheet.cell(row=2, column=headers.index("akun penulis") + 1).value == "@warga_kejaksan"

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    (row,) = baca_csv(ekspor(client, Opini))
    assert row["kode lacak"] == opini.kode
    with pytest.raises(NoReverseMatch):
        reverse("admin:opini_opini_import")
