"""Rate limits declared through the registry: an app names its limited endpoints (and may
answer an over-limit client itself); the portal's middleware counts them and adds
Retry-After. The "try again at" wording is the engine's (sop.waktu.retry_in_words)."""

import random
from datetime import datetime, timezone

import pytest
import time_machine
from django.apps import apps
from django.http import HttpResponse
from django.urls import reverse

from sop.registry import Limit, registry
from sop.waktu import retry_in_words

pytestmark = pytest.mark.django_db
MIDWINDOW = datetime(2026, 11, 23, 3, 5, tzinfo=timezone.utc)  # 10:05 WIB, five minutes into a window


def random_ip():
    return f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"


@pytest.fixture
def declare(settings):
    """``declare(*limits)``: tests.contoh declares these limits (as an app would in ready());
    its own registration is put back afterwards."""
    settings.PPID_BATAS = {**settings.PPID_BATAS, "cari": (2, 600)}
    config = apps.get_app_config("contoh")
    with time_machine.travel(MIDWINDOW, tick=False):
        yield lambda *limits: registry.register(config, limits=limits)
    config.ready()


def test_an_endpoint_an_app_declares_is_limited_with_the_portals_429_page(client, declare):
    declare(Limit("contoh:daftar", "cari", "GET"))
    ip = random_ip()
    url = reverse("contoh:daftar")
    assert [client.get(url, REMOTE_ADDR=ip).status_code for _ in range(2)] == [302, 302]  # to the login
    response = client.get(url, REMOTE_ADDR=ip)
    assert response.status_code == 429
    # The window (ten minutes, from 10:00) ends at 10:10.
    assert response["Retry-After"] == "301"
    assert "Silakan coba lagi setelah pukul 10:10 WIB (sekitar 5 menit lagi)." in response.content.decode()
    # Another client has its own count; a POST is not the declared method.
    assert client.get(url, REMOTE_ADDR=random_ip()).status_code == 302
    assert client.post(url, REMOTE_ADDR=ip).status_code != 429


def test_an_undeclared_endpoint_is_not_limited(client, declare):
    ip = random_ip()
    assert {client.get(reverse("contoh:daftar"), REMOTE_ADDR=ip).status_code for _ in range(4)} == {302}


def test_only_with_query_leaves_the_empty_page_free(client, declare):
    declare(Limit("contoh:daftar", "cari", "GET", only_with_query=True))
    ip = random_ip()
    url = reverse("contoh:daftar")
    assert {client.get(url, REMOTE_ADDR=ip).status_code for _ in range(4)} == {302}
    assert [client.get(url, {"q": "x"}, REMOTE_ADDR=ip).status_code for _ in range(3)] == [302, 302, 429]


def test_an_apps_own_responder_answers_and_the_middleware_adds_retry_after(client, declare):
    seen = []

    def responder(request, wait):
        seen.append((request.resolver_match.view_name, wait))
        return HttpResponse(f"tunggu {retry_in_words(wait)}", status=429)

    declare(Limit("contoh:daftar", "cari", "GET", responder=responder))
    ip = random_ip()
    for _ in range(2):
        client.get(reverse("contoh:daftar"), REMOTE_ADDR=ip)
    response = client.get(reverse("contoh:daftar"), REMOTE_ADDR=ip)
    assert (response.status_code, response["Retry-After"]) == (429, "301")
    assert response.content.decode() == "tunggu setelah pukul 10:10 WIB (sekitar 5 menit lagi)"
    assert seen == [("contoh:daftar", 301)]


@pytest.mark.parametrize("seconds, words", [
    (600, "setelah pukul 10:15 WIB (sekitar 10 menit lagi)"),
    (10, "setelah pukul 10:05 WIB (sekitar 1 menit lagi)"),  # never "0 menit"
    (150, "setelah pukul 10:07 WIB (sekitar 2 menit lagi)"),
])
def test_the_retry_wording_names_the_wib_time_and_the_minutes_left(seconds, words):
    with time_machine.travel(MIDWINDOW, tick=False):
        assert retry_in_words(seconds) == words
