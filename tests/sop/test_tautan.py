"""Staff URLs of many cases at once (sop/tautan.py): a pattern per case model, kept for the
process, must give the URL ``reverse`` gives, under whatever script prefix serves the site."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test.utils import override_script_prefix

from opini.models import Opini
from sop.tautan import CaseUrls
from tests.contoh.models import Permintaan

pytestmark = pytest.mark.django_db


def test_each_case_gets_the_url_reverse_gives_it_under_the_script_prefix_of_the_moment():
    contoh, opini = ContentType.objects.get_for_model(Permintaan).pk, ContentType.objects.get_for_model(Opini).pk
    urls = CaseUrls()
    assert urls(contoh, "UJI-AAAA-BBBB-CCCC") == Permintaan.staff_url_for("UJI-AAAA-BBBB-CCCC")
    assert urls(contoh, "UJI-DDDD-EEEE-FFFF") == Permintaan.staff_url_for("UJI-DDDD-EEEE-FFFF")
    assert urls(opini, "OPN-AAAA-BBBB") == Opini.staff_url_for("OPN-AAAA-BBBB")
    with override_script_prefix("/ppid/"):
        behind = CaseUrls()
        assert behind(contoh, "UJI-GGGG-HHHH-JJJJ") == Permintaan.staff_url_for("UJI-GGGG-HHHH-JJJJ")
        assert behind(contoh, "UJI-GGGG-HHHH-JJJJ").startswith("/ppid/")
        assert behind(opini, "OPN-CCCC-DDDD") == Opini.staff_url_for("OPN-CCCC-DDDD")
    assert CaseUrls()(contoh, "UJI-KKKK-LLLL-MMMM") == Permintaan.staff_url_for("UJI-KKKK-LLLL-MMMM")
    assert not CaseUrls()(contoh, "UJI-KKKK-LLLL-MMMM").startswith("/ppid/")


def test_a_model_whose_url_does_not_hold_the_code_once_is_reversed_each_time(monkeypatch):
    contoh = ContentType.objects.get_for_model(Permintaan).pk
    monkeypatch.setattr(Permintaan, "staff_url_for", classmethod(lambda cls, kode: f"/staf/{kode}/{kode}/"))
    with override_script_prefix("/lain/"):  # a context no other test's pattern was kept under
        urls = CaseUrls()
    assert urls(contoh, "UJI-AAAA-BBBB-CCCC") == "/staf/UJI-AAAA-BBBB-CCCC/UJI-AAAA-BBBB-CCCC/"
    assert urls(contoh, "UJI-DDDD-EEEE-FFFF") == "/staf/UJI-DDDD-EEEE-FFFF/UJI-DDDD-EEEE-FFFF/"
