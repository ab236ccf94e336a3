"""The registry (sop/registry.py): each workflow app declares its menu entries and case header
links, the portal's menus and case pages show what the installed apps declared, and the
engine's pages render with no workflow app but the test-only one installed."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import override_settings
from django.urls import reverse

from sop import services as engine
from sop.registry import CaseLink, MenuEntry, Registry
from tests.factories import PermintaanFactory, UserFactory

pytestmark = pytest.mark.django_db

WORKFLOW_APPS = ("aduan", "opini", "publikasi", "arsip")
# The portal without its workflow apps: the engine, the portal's own pages and tests.contoh.
ENGINE_ONLY = override_settings(
    INSTALLED_APPS=[name for name in settings.INSTALLED_APPS if name not in WORKFLOW_APPS],
    ROOT_URLCONF="tests.sop.urls_engine_only",
)


def nav(response):
    """The main menu's entries as (label, href), in order."""
    assert response.status_code == 200
    html = response.content.decode()
    menu = re.search(r'<nav aria-label="Navigasi utama">(.*?)</nav>', html, re.S).group(1)
    return [(label.strip(), href) for href, label in re.findall(r'<a href="([^"]+)">([^<]+)</a>', menu)]


@pytest.fixture
def petugas(contoh_sop):
    return UserFactory(lanes=("UJI-CONTOH", "petugas"))


def test_the_public_menu_lists_what_the_workflow_apps_declare(client):
    assert nav(client.get(reverse("staf:masuk"))) == [
        ("Kirim aduan", reverse("aduan:baru")),
        ("Lacak aduan", reverse("aduan:lacak")),
        ("Tanggapan opini", reverse("opini:publik")),
        ("Informasi publik", reverse("publikasi:dip")),
        ("Pengumuman", reverse("publikasi:pengumuman_publik")),
        ("Masuk petugas", reverse("staf:masuk")),
    ]


def test_the_staff_menu_lists_what_the_workflow_apps_declare(client, petugas):
    client.force_login(petugas)
    assert nav(client.get(reverse("sop:antrian"))) == [
        ("Antrian saya", reverse("sop:antrian")),
        ("Daftar aduan", reverse("aduan:staf_daftar")),
        ("Opini publik", reverse("opini:staf_daftar")),
        ("Publikasi medsos", reverse("publikasi:staf_daftar")),
        ("Uji konsekuensi", reverse("publikasi:uji_daftar")),
        ("Pengumuman", reverse("publikasi:pengumuman_daftar")),
        ("Permintaan contoh", reverse("contoh:daftar")),
        ("Dokumen SOP", reverse("sop:dokumen_daftar")),
        ("Ganti sandi", reverse("staf:sandi")),
    ]


def test_the_bulk_archive_entry_shows_only_to_admin_site_staff_allowed_to_make_one(client, petugas):
    massal = ("Arsip massal", reverse("arsip:massal"))
    # An officer, even one holding the permission, is not admin-site staff.
    petugas.user_permissions.add(Permission.objects.get(codename="buat_arsip_massal"))
    client.force_login(petugas)
    assert massal not in nav(client.get(reverse("sop:antrian")))
    staf = UserFactory(is_staff=True)
    client.force_login(staf)
    assert massal not in nav(client.get(reverse("sop:antrian")))
    staf.user_permissions.add(Permission.objects.get(codename="buat_arsip_massal"))
    assert massal in nav(client.get(reverse("sop:antrian")))
    client.force_login(UserFactory(is_superuser=True))
    assert massal in nav(client.get(reverse("sop:antrian")))


def test_the_case_header_shows_the_archive_link_the_arsip_app_registers(client, petugas):
    case = engine.start(PermintaanFactory())
    client.force_login(petugas)
    html = client.get(reverse("contoh:detail", args=[case.kode])).content.decode()
    url = reverse("arsip:kasus_pdf", args=["UJI-CONTOH", case.kode])
    assert f'<a href="{url}" id="unduh-arsip-kasus" download>Unduh arsip kasus (PDF)</a>' in html


def test_with_only_the_test_workflow_installed_the_engine_pages_render_without_the_others(client, petugas):
    case = engine.start(PermintaanFactory())
    client.force_login(petugas)
    with ENGINE_ONLY:
        queue = client.get(reverse("sop:antrian"))
        assert nav(queue) == [
            ("Antrian saya", reverse("sop:antrian")),
            ("Permintaan contoh", reverse("contoh:daftar")),
            ("Dokumen SOP", reverse("sop:dokumen_daftar")),
            ("Ganti sandi", reverse("staf:sandi")),
        ]
        assert case.kode in queue.content.decode()
        detail = client.get(reverse("contoh:detail", args=[case.kode]))
        assert detail.status_code == 200
        assert case.kode in detail.content.decode()
        # No archive app, no archive link.
        assert "unduh-arsip-kasus" not in detail.content.decode()
        client.logout()
        assert nav(client.get(reverse("staf:masuk"))) == [("Masuk petugas", reverse("staf:masuk"))]


def test_an_apps_entries_are_replaced_when_it_registers_again_and_hidden_without_permission():
    from django.apps import apps

    registry = Registry()
    config = apps.get_app_config("contoh")
    registry.register(config, staff_menu=[MenuEntry("Lama", "contoh:daftar")])
    registry.register(config, staff_menu=[MenuEntry("Baru", "contoh:daftar"),
                                          MenuEntry("Rahasia", "contoh:daftar", permission="contoh.tidak_ada")],
                      case_links=[lambda case: None, lambda case: CaseLink("Tautan", "/x/")])
    officer = UserFactory()
    assert registry.menu("staff", officer) == [("Baru", reverse("contoh:daftar"))]
    assert registry.menu("public", officer) == []
    # A case link function may decline (None) for a case.
    assert registry.case_links(object()) == [CaseLink("Tautan", "/x/")]
