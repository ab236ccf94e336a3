"""The engine's pieces for citizen-facing workflows, on the test-only workflow (tests/contoh:
a public request form and tracking pages made of them): the tracking page by code, the bot
trap, upload fields that judge files by their content, and where attachments are stored."""

import re
import time
from datetime import datetime, timezone

import pytest
import time_machine
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test.utils import isolate_apps
from django.urls import reverse

from sop import services as engine
from sop.forms import IMAGE_TYPES, MultipleFileField, UploadField
from sop.upload import lampiran_path
from tests.contoh.forms import PermintaanForm
from tests.contoh.models import Permintaan
from tests.factories import PermintaanFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
URAIAN = "Mohon salinan jadwal pemeliharaan jalan kecamatan tahun ini."
MOMENT = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)


def ajukan(client, **data):
    return client.post(reverse("contoh:baru"), {"uraian": URAIAN, **data})


# --- the tracking page ------------------------------------------------------------------------

def test_a_code_typed_in_any_case_and_spacing_leads_to_its_case(client, contoh_sop):
    case = engine.start(PermintaanFactory())
    typed = f"  {case.kode.lower().replace('-', ' ')} "
    response = client.get(reverse("contoh:lacak"), {"kode": typed})
    assert response.status_code == 302
    assert response.url == reverse("contoh:lacak_detail", args=[case.kode])
    # The case's own address takes the code as loosely.
    assert client.get(reverse("contoh:lacak_detail", args=[case.kode.lower()])).status_code == 200


def test_the_tracking_page_shows_the_stage_and_the_finished_steps_by_their_public_names(client, contoh_sop):
    petugas = UserFactory(username="petugas_rina", first_name="Rina", lanes=("UJI-CONTOH", "petugas"))
    case = engine.start(PermintaanFactory())
    url = reverse("contoh:lacak_detail", args=[case.kode])
    page = client.get(url).content.decode()
    assert "Permintaan masuk" in page and "Permintaan Anda sedang ditelaah petugas." in page
    assert "Permintaan diajukan" in page
    assert "Menelaah dan meneruskan ke unit" not in page  # the open step is not history yet
    assert URAIAN in page

    engine.advance(case, "terima", petugas, unit=UnitFactory())
    page = client.get(url).content.decode()
    # A stage without its own words says its label; a step without a public name, its kegiatan.
    assert re.search(r'class="tahap-nama">Dikerjakan unit</p>\s*<p>Dikerjakan unit</p>', page)
    assert "Diteruskan ke unit" in page
    assert "Rina" not in page and "petugas_rina" not in page  # officers stay unnamed in public


@pytest.mark.parametrize("code", ["UJI-AAAA-AAAA-AAAA", "uji-zzzz-zzzz-zzzz", "ADU-AAAA-AAAA-AAAA", "x" * 30,
                                  "<script>"])
def test_an_unknown_or_impossible_code_gets_one_answer_that_reveals_nothing(client, contoh_sop, code):
    engine.start(PermintaanFactory())
    response = client.get(reverse("contoh:lacak_detail", args=[code]))
    page = response.content.decode()
    assert response.status_code == 404
    assert "Kode lacak tidak ditemukan." in page and "Periksa kembali kode lacak yang Anda terima." in page
    assert "<h1>Lacak permintaan contoh</h1>" in page  # the model's name by default
    assert "<script>" not in page


def test_the_tracking_form_says_what_is_wrong_with_a_code_in_indonesian(client, contoh_sop):
    response = client.get(reverse("contoh:lacak"), {"kode": "UJI-123"})
    assert response.status_code == 400
    assert "Format kode lacak tidak dikenali. Contoh: UJI-7K3M-9QXD-2PHW." in response.content.decode()
    response = client.get(reverse("contoh:lacak"), {"kode": "  "})
    assert response.status_code == 400
    assert "Masukkan kode lacak yang Anda terima." in response.content.decode()
    page = client.get(reverse("contoh:lacak")).content.decode()
    assert 'placeholder="UJI-XXXX-XXXX-XXXX"' in page


def test_the_tracking_page_reads_a_fixed_number_of_queries(client, contoh_sop, django_assert_num_queries):
    petugas = UserFactory(username="p", lanes=("UJI-CONTOH", "petugas"))
    case = engine.start(PermintaanFactory())
    engine.advance(case, "terima", petugas, unit=UnitFactory())
    # The case with its unit, its timeline with the steps: however long the history.
    with django_assert_num_queries(2):
        assert client.get(reverse("contoh:lacak_detail", args=[case.kode])).status_code == 200


# --- the bot trap -----------------------------------------------------------------------------

@pytest.fixture
def min_seconds(settings):
    settings.PPID_ADUAN_MIN_DETIK = 3  # tests/conftest.py switches it off
    return settings


def test_a_public_form_carries_the_trap_and_a_start_time_signed_for_its_own_form(client, contoh_sop):
    page = client.get(reverse("contoh:baru")).content.decode()
    assert '<div class="tersembunyi" aria-hidden="true">' in page
    assert 'name="situs_web" id="id_situs_web" value="" tabindex="-1" autocomplete="off"' in page
    token = re.search(r'name="dimulai" value="([^"]+)"', page).group(1)
    assert abs(signing.loads(token, salt=PermintaanForm.bot_trap_salt) - time.time()) < 60
    assert PermintaanForm.started_at(token) is not None
    other_salt = signing.dumps(time.time() - 600, salt="aduan.formulir.dimulai")
    assert PermintaanForm.started_at(other_salt) is None  # another form's signature proves nothing here


@pytest.mark.parametrize("data, message", [
    ({"situs_web": "http://obat-murah.example"}, "Kolom \u201cJangan diisi\u201d harus dikosongkan"),
    ({}, "Formulir ini tidak lengkap atau sudah diubah, sehingga tampak seperti kiriman otomatis."),
    ({"dimulai": "1700000000.0"}, "tekan \u201cAjukan permintaan\u201d lagi."),
    ({"dimulai": "baru saja"}, "Formulir terkirim terlalu cepat setelah dibuka"),
])
def test_what_a_bot_sends_is_refused_with_a_400_and_nothing_is_stored(client, contoh_sop, min_seconds, data, message):
    if data.get("dimulai") == "baru saja":
        data = {"dimulai": PermintaanForm.sign_start()}
    response = ajukan(client, **data)
    page = response.content.decode()
    assert response.status_code == 400
    assert message in page
    assert URAIAN in page  # a person caught by mistake keeps the text
    assert 'name="situs_web" id="id_situs_web" value=""' in page  # never rendered with what was posted
    assert not Permintaan.objects.exists()


def test_a_person_who_was_too_fast_passes_once_the_minimum_has_gone_by(client, contoh_sop, min_seconds):
    with time_machine.travel(MOMENT, tick=False) as clock:
        token = PermintaanForm.sign_start()
        response = ajukan(client, dimulai=token)
        assert response.status_code == 400
        assert f'name="dimulai" value="{token}"' in response.content.decode()  # the start time survives
        clock.shift(2.9)
        assert ajukan(client, dimulai=token).status_code == 400
        clock.shift(0.2)
        assert ajukan(client, dimulai=token).status_code == 302
    assert Permintaan.objects.get().uraian == URAIAN


def test_the_minimum_fill_time_is_switched_off_with_zero(client, contoh_sop, settings):
    settings.PPID_ADUAN_MIN_DETIK = 0
    response = ajukan(client)  # no start time at all
    assert response.status_code == 302
    case = Permintaan.objects.get()
    assert response.url == reverse("contoh:lacak_detail", args=[case.kode])
    assert engine.open_task(case).step.nomor == "2"
    assert ajukan(client, situs_web="x").status_code == 400  # the trap field stays on


# --- uploads judged by their content ----------------------------------------------------------

@pytest.mark.parametrize("name, content", [
    ("foto.png", b"<?php system($_GET['c']); ?>"),
    ("surat.pdf", b"<!doctype html><html></html>"),
    ("gambar.png", b"GIF89a" + b"\x00" * 64),
])
def test_an_attachment_is_judged_by_its_content_not_its_name(client, contoh_sop, name, content):
    response = ajukan(client, lampiran=[SimpleUploadedFile(name, content, "image/png")])
    assert response.status_code == 400
    assert f"Berkas \u201c{name}\u201d bukan PDF, JPG atau PNG (isi berkas diperiksa, bukan namanya)." in \
        response.content.decode()
    assert not Permintaan.objects.exists()


def test_too_many_or_too_large_attachments_are_refused(client, contoh_sop, settings):
    def four():
        return [SimpleUploadedFile(f"f{i}.png", PNG, "image/png") for i in range(4)]

    assert "Paling banyak 3 lampiran; Anda memilih 4." in ajukan(client, lampiran=four()).content.decode()
    settings.PPID_ATTACHMENT_MAX_COUNT = 4
    assert ajukan(client, lampiran=four()).status_code == 302  # the limit is read when the form is sent
    settings.PPID_ATTACHMENT_MAX_BYTES = 50
    response = ajukan(client, lampiran=[SimpleUploadedFile("besar.png", PNG, "image/png")])
    assert response.status_code == 400
    assert "Berkas \u201cbesar.png\u201d lebih besar dari 0 MB." in response.content.decode()


def test_accepted_files_are_cleaned_to_a_list_with_their_real_type_and_a_safe_name():
    field = MultipleFileField(required=False)
    files = field.clean([SimpleUploadedFile("..\\..\\foto\x00\x07jalan.png", PNG, "text/plain"),
                         SimpleUploadedFile("surat.pdf", PDF, "image/png")])
    assert [(f.name, f.sniffed_type) for f in files] == [("fotojalan.png", "image/png"),
                                                         ("surat.pdf", "application/pdf")]
    assert field.clean(None) == [] and field.clean([]) == []
    assert 'accept=".pdf,.jpg,.jpeg,.png"' in field.widget.render("lampiran", None)
    assert "multiple" in field.widget.render("lampiran", None)


def test_a_field_may_take_fewer_kinds_be_required_and_say_its_own_messages():
    from django.core.exceptions import ValidationError

    images = MultipleFileField(types=IMAGE_TYPES, error_messages={"required": "Pilih gambar."})
    with pytest.raises(ValidationError, match="Pilih gambar."):
        images.clean([])
    with pytest.raises(ValidationError, match="bukan JPG atau PNG"):
        images.clean([SimpleUploadedFile("surat.pdf", PDF)])
    assert 'accept=".jpg,.jpeg,.png"' in images.widget.render("gambar", None)

    one = UploadField(types=IMAGE_TYPES, required=False, error_messages={"type": "Harus gambar, bukan %(name)s."})
    with pytest.raises(ValidationError, match="Harus gambar, bukan surat.pdf."):
        one.clean(SimpleUploadedFile("surat.pdf", PDF))
    assert one.clean(SimpleUploadedFile("a.png", PNG)).sniffed_type == "image/png"
    assert one.clean(None, initial="tersimpan.png") == "tersimpan.png"  # the stored file is kept, not judged


# --- where attachments are stored --------------------------------------------------------------

@isolate_apps("tests.contoh")
def test_an_attachment_is_stored_under_its_case_with_a_random_name_and_its_real_extension(contoh_sop):
    class LampiranContoh(models.Model):
        permintaan = models.ForeignKey(Permintaan, on_delete=models.CASCADE)
        jenis = models.CharField(max_length=60)
        berkas = models.FileField(upload_to=lampiran_path)

        class Meta:
            app_label = "contoh"

    case = engine.start(PermintaanFactory())
    item = LampiranContoh(permintaan=case, jenis="image/png")
    first = item.berkas.field.generate_filename(item, "../../rahasia saya.png")
    second = item.berkas.field.generate_filename(item, "../../rahasia saya.png")
    assert re.fullmatch(rf"lampiran/{case.kode}/[0-9a-f]{{16}}\.png", first)
    assert first != second
    item.jenis = "application/pdf"
    assert item.berkas.field.generate_filename(item, "x").endswith(".pdf")


@isolate_apps("tests.contoh")
def test_an_attachment_model_without_a_case_is_a_programming_error():
    class Lepas(models.Model):
        jenis = models.CharField(max_length=60)

        class Meta:
            app_label = "contoh"

    with pytest.raises(TypeError, match="no foreign key to a Case"):
        lampiran_path(Lepas(jenis="image/png"), "x.png")


def test_the_complaint_attachments_are_stored_by_the_engines_function():
    from aduan.models import Lampiran

    assert Lampiran._meta.get_field("berkas").upload_to is lampiran_path
