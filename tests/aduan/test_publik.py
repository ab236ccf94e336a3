"""The public side: a citizen submits a complaint without an account and follows it by code."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aduan.models import Aduan, Lampiran
from sop import services as engine
from tests.factories import AduanFactory, UserFactory

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

VALID = {
    "uraian": "Saluran air di depan SD Negeri 2 tersumbat sehingga jalan tergenang setiap hujan.",
    "lokasi": "Jl. Kyai Singkil, Kecamatan Demak",
    "kategori": "infrastruktur",
    "nama": "Ahmad",
    "email": "ahmad@contoh.id",
}


def submit(client, **overrides):
    data = {**VALID, **overrides}
    return client.post(reverse("aduan:baru"), data)


def test_a_citizen_submits_a_complaint_and_receives_an_unguessable_tracking_code(client, aduan_sop):
    response = submit(client, lampiran=[SimpleUploadedFile("foto.png", PNG, "image/png"),
                                        SimpleUploadedFile("surat.pdf", PDF, "application/pdf")])
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    code = re.search(r"ADU-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", page).group(0)
    aduan = Aduan.objects.get(kode=code)
    assert aduan.state == "submitted"
    assert sorted(Lampiran.objects.filter(aduan=aduan).values_list("jenis", flat=True)) == [
        "application/pdf", "image/png"]
    assert engine.open_task(aduan).step.nomor == "2"
    other = engine.start(AduanFactory())
    assert other.kode != code


@pytest.mark.parametrize("overrides, message", [
    ({"uraian": ""}, "Uraian aduan wajib diisi."),
    ({"uraian": "rusak"}, "Uraian terlalu singkat"),
    ({"uraian": "x" * 5001}, "Uraian terlalu panjang"),
    ({"lokasi": ""}, "Lokasi kejadian wajib diisi."),
    ({"kategori": "bukan-kategori"}, "Kategori yang dipilih tidak tersedia."),
    ({"email": "bukan-email"}, "Alamat e-mail tidak valid"),
    ({"telepon": "<script>"}, "Nomor telepon hanya boleh"),
    ({"tanggal_kejadian": "2999-01-01"}, "tidak boleh di masa depan"),
    ({"tanggal_kejadian": "kemarin"}, "Tanggal tidak valid"),
])
def test_bad_input_is_answered_with_a_clear_indonesian_message_and_nothing_is_saved(client, aduan_sop, overrides,
                                                                                    message):
    response = submit(client, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Aduan.objects.exists()


def test_an_attachment_is_judged_by_its_content_not_its_name(client, aduan_sop):
    php = SimpleUploadedFile("foto.jpg", b"<?php system($_GET['c']); ?>", "image/jpeg")
    response = submit(client, lampiran=[php])
    assert response.status_code == 400
    assert "bukan PDF, JPG atau PNG" in response.content.decode()
    assert not Aduan.objects.exists()


def test_too_many_or_too_large_attachments_are_refused(client, aduan_sop, settings):
    files = [SimpleUploadedFile(f"f{i}.png", PNG, "image/png") for i in range(4)]
    assert "Paling banyak 3 lampiran" in submit(client, lampiran=files).content.decode()
    settings.PPID_ATTACHMENT_MAX_BYTES = 50
    big = SimpleUploadedFile("besar.png", PNG, "image/png")
    assert "lebih besar dari" in submit(client, lampiran=[big]).content.decode()
    assert not Aduan.objects.exists()


def test_an_oversized_request_is_refused_before_it_is_read(client, aduan_sop, settings):
    settings.PPID_REQUEST_MAX_BYTES = 1000
    response = submit(client, lampiran=[SimpleUploadedFile("f.pdf", PDF + b"0" * 2000, "application/pdf")])
    assert response.status_code == 413
    assert "melebihi batas" in response.content.decode()


def test_an_anonymous_complaint_keeps_no_identity_even_if_typed(client, aduan_sop):
    submit(client, anonim="on", telepon="0812345678")
    aduan = Aduan.objects.get()
    assert (aduan.anonim, aduan.nama, aduan.email, aduan.telepon) == (True, "", "", "")


def test_the_tracking_page_shows_the_stage_the_timeline_and_the_reason_for_refusal(client, aduan_sop):
    admin = UserFactory(username="admin_k", first_name="Rina", lanes=("DMK-ADUAN", "admin_koordinator"))
    aduan = engine.start(AduanFactory())
    engine.advance(aduan, "reject_complaint", admin, note="Lokasi berada di luar Kabupaten Demak.")
    page = client.get(reverse("aduan:lacak_detail", args=[aduan.kode])).content.decode()
    assert "Aduan tidak diterima" in page
    assert "Lokasi berada di luar Kabupaten Demak." in page
    assert "Aduan disampaikan" in page
    assert "Rina" not in page and "admin_k" not in page  # officers stay unnamed in public


def test_the_answer_appears_on_the_tracking_page_only_once_it_is_posted(client, aduan_sop):
    from tests.factories import UnitFactory

    unit = UnitFactory(nama="Dinas PU")
    admin = UserFactory(username="a", lanes=("DMK-ADUAN", "admin_koordinator"))
    opd = UserFactory(username="o", lanes=("DMK-ADUAN", "opd_bumd"), units=[unit])
    ph = UserFactory(username="p", lanes=("DMK-ADUAN", "pejabat_penghubung"), units=[unit])
    aduan = engine.start(AduanFactory())
    for name, who, data in [("accept_complaint", admin, {}), ("verify_opd", admin, {"unit": unit}),
                            ("dispatch_to_opd", admin, {}),
                            ("submit_answer", opd, {"jawaban": "Saluran dibersihkan hari Senin."})]:
        aduan = engine.advance(aduan, name, who, **data)
    url = reverse("aduan:lacak_detail", args=[aduan.kode])
    assert "Saluran dibersihkan" not in client.get(url).content.decode()
    engine.advance(aduan, "post_answer", ph)
    assert "Saluran dibersihkan hari Senin." in client.get(url).content.decode()


@pytest.mark.parametrize("code", ["ADU-AAAA-AAAA-AAAA", "adu-zzzz-zzzz-zzzz", "x" * 30, "%3Cscript%3E"])
def test_a_wrong_tracking_code_says_so_and_reveals_nothing(client, aduan_sop, code):
    engine.start(AduanFactory())
    response = client.get(reverse("aduan:lacak_detail", args=[code]))
    assert response.status_code == 404
    assert "Kode lacak tidak ditemukan" in response.content.decode()


def test_the_tracking_form_normalises_a_code_typed_with_spaces_and_lowercase(client, aduan_sop):
    aduan = engine.start(AduanFactory())
    typed = aduan.kode.lower().replace("-", " ")
    response = client.get(reverse("aduan:lacak"), {"kode": typed})
    assert response.status_code == 302 and response.url.endswith(f"/{aduan.kode}/")
    assert client.get(reverse("aduan:lacak"), {"kode": "123"}).status_code == 400


def test_the_confirmation_comes_from_a_signed_cookie_and_writes_no_session(client, aduan_sop):
    from django.contrib.sessions.models import Session

    response = submit(client)
    assert response.status_code == 302
    cookie = response.cookies["aduan_terkirim"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and int(cookie["max-age"]) == 600
    assert Session.objects.count() == 0  # the submission costs no session row
    aduan = Aduan.objects.get()
    page = client.get(response.url).content.decode()
    assert aduan.kode in page


@pytest.mark.parametrize("value", ["", "ADU-AAAA-BBBB-CCCC", "ADU-AAAA-BBBB-CCCC:forged:sig", "\x00:x"])
def test_a_missing_or_forged_confirmation_cookie_leads_back_to_the_form(client, aduan_sop, value):
    client.cookies["aduan_terkirim"] = value
    response = client.get(reverse("aduan:terkirim"))
    assert response.status_code == 302 and response.url == reverse("aduan:baru")


def test_a_code_signed_for_another_purpose_or_too_old_is_not_shown(client, aduan_sop):
    import time_machine
    from django.core.signing import get_cookie_signer

    # Signed with the portal's key but another salt: refused.
    client.cookies["aduan_terkirim"] = get_cookie_signer(salt="lain").sign("ADU-AAAA-BBBB-CCCC")
    assert client.get(reverse("aduan:terkirim")).status_code == 302
    with time_machine.travel("2026-03-02 08:00 +0000", tick=False) as traveller:
        response = submit(client)
        assert client.get(response.url).status_code == 200
        traveller.shift(601)  # older than ten minutes
        assert client.get(reverse("aduan:terkirim")).status_code == 302


def test_each_complaint_form_has_its_own_fields():
    """What one form changes on its fields, widgets, messages or validators reaches no other
    form, and every form offers the categories after an empty choice."""
    from django.core.validators import MaxLengthValidator

    from aduan.forms import AduanForm

    first, second = AduanForm(), AduanForm()
    for name in first.fields:
        assert first.fields[name] is not second.fields[name] is not AduanForm.base_fields[name]
        assert first.fields[name].widget is not second.fields[name].widget
    first.fields["lokasi"].widget.attrs["placeholder"] = "di sini"
    first.fields["uraian"].error_messages["required"] = "diubah"
    first.fields["nama"].validators.append(MaxLengthValidator(3))
    first.fields["email"].help_text = "diubah"
    third = AduanForm()
    for form in (second, third):
        assert "placeholder" not in form.fields["lokasi"].widget.attrs
        assert form.fields["uraian"].error_messages["required"] == "Uraian aduan wajib diisi."
        assert len(form.fields["nama"].validators) == len(AduanForm.base_fields["nama"].validators)
        assert form.fields["email"].help_text != "diubah"
    assert third.fields["kategori"].choices[0] == ("", "— pilih kategori —")
    assert [value for value, _ in third.fields["kategori"].choices][1:] == [k.value for k in Aduan.Kategori]
    assert third.fields["kategori"].widget.attrs == AduanForm.base_fields["kategori"].widget.attrs


def test_the_citizen_is_sent_on_to_the_confirmation_under_the_prefix_the_portal_is_served_at(client, aduan_sop):
    """The confirmation's address is found once per prefix (issue 8), not once per portal."""
    from django.test.utils import override_script_prefix

    with override_script_prefix("/ppid/"):  # as a server mounting the portal at /ppid/ sets it
        at_prefix = client.post("/aduan/baru/", VALID)
    at_root = submit(client)
    assert (at_prefix.status_code, at_prefix.url) == (302, "/ppid/aduan/terkirim/")
    assert (at_root.status_code, at_root.url) == (302, "/aduan/terkirim/")


def test_validating_a_complaint_reads_nothing_from_the_database(django_assert_num_queries):
    """None of the fields a citizen fills in is unique (the tracking code is made when the
    case is saved), so Django's uniqueness check has nothing to look up."""
    from aduan.forms import AduanForm

    form = AduanForm(VALID)
    with django_assert_num_queries(0):
        assert form.is_valid(), form.errors
