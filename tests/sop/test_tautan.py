"""Staff URLs of many cases at once (sop/tautan.py): a pattern per case model, kept for the
process, must give the URL ``reverse`` gives, under whatever script prefix serves the site."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test.utils import override_script_prefix

from aduan.models import Aduan
from opini.models import Opini
from sop.tautan import CaseUrls

pytestmark = pytest.mark.django_db


def test_each_case_gets_the_url_reverse_gives_it_under_the_script_prefix_of_the_moment():
    aduan, opini = ContentType.objects.get_for_model(Aduan).pk, ContentType.objects.get_for_model(Opini).pk
    urls = CaseUrls()
    assert urls(aduan, "ADU-AAAA-BBBB-CCCC") == Aduan.staff_url_for("ADU-AAAA-BBBB-CCCC")
    assert urls(aduan, "ADU-DDDD-EEEE-FFFF") == Aduan.staff_url_for("ADU-DDDD-EEEE-FFFF")
    assert urls(opini, "OPN-AAAA-BBBB") == Opini.staff_url_for("OPN-AAAA-BBBB")
    with override_script_prefix("/ppid/"):
        behind = CaseUrls()
        assert behind(aduan, "ADU-GGGG-HHHH-JJJJ") == Aduan.staff_url_for("ADU-GGGG-HHHH-JJJJ")
        assert behind(aduan, "ADU-GGGG-HHHH-JJJJ").startswith("/ppid/")
        assert behind(opini, "OPN-CCCC-DDDD") == Opini.staff_url_for("OPN-CCCC-DDDD")
    assert CaseUrls()(aduan, "ADU-KKKK-LLLL-MMMM") == Aduan.staff_url_for("ADU-KKKK-LLLL-MMMM")
    assert not CaseUrls()(aduan, "ADU-KKKK-LLLL-MMMM").startswith("/ppid/")
