"""Staff accounts and the site's defences: login lockout (django-axes) at /staf/masuk/ and in
the admin, session expiry, password rules in Indonesian, CSRF on every URL, security headers
and the Content-Security-Policy, and production settings that pass ``check --deploy``."""

import os
import secrets
import subprocess
import sys
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
import time_machine
from django.conf import settings as django_settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from sop import services as engine
from tests.factories import AduanFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "sandi-rahasia-123"  # tests/factories.py


@pytest.fixture
def lockout(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = 15 / 60
    return settings


# --- login lockout ---------------------------------------------------------------------------

@pytest.mark.parametrize("login_url", ["/staf/masuk/", "/admin/login/"])
def test_a_login_is_locked_after_the_failure_limit_and_says_when_to_try_again(sops, lockout, login_url):
    user = UserFactory(username="petugas_kunci", is_staff=True, lanes=("DMK-ADUAN", "admin_koordinator"))
    client = Client(REMOTE_ADDR="10.9.8.7")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(2):
            response = client.post(login_url, {"username": user.username, "password": "salah-sandi"})
            assert response.status_code == 200
        response = client.post(login_url, {"username": user.username, "password": "salah-sandi"})
        page = response.content.decode()
        assert response.status_code == 429
        assert "Percobaan masuk dikunci sementara" in page
        until = timezone.localtime(start + timedelta(minutes=15))
        assert f"Silakan coba lagi setelah pukul {until:%H:%M} WIB (sekitar 15 menit lagi)" in page
        # Locked: even the right password is refused now.
        assert client.post(login_url, {"username": user.username, "password": PASSWORD}).status_code == 429
        # The same name from another address, and another name from this one, may still log in.
        other = UserFactory(username="petugas_lain", is_staff=True)
        assert Client(REMOTE_ADDR="10.9.8.6").post(login_url, {"username": user.username,
                                                                "password": PASSWORD}).status_code == 302
        assert client.post(login_url, {"username": other.username, "password": PASSWORD}).status_code == 302
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        response = Client(REMOTE_ADDR="10.9.8.7").post(login_url, {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302


def test_the_lockout_settings_come_from_the_environment():
    assert django_settings.AXES_FAILURE_LIMIT == int(os.environ.get("PPID_LOGIN_FAILURES", 5))
    assert django_settings.AXES_LOCKOUT_CALLABLE == "ppid.views.terkunci"
    assert django_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert django_settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


# --- sessions and passwords ------------------------------------------------------------------

def test_a_staff_session_ends_after_its_age(sops):
    user = UserFactory(lanes=("DMK-ADUAN", "admin_koordinator"))
    assert django_settings.SESSION_COOKIE_AGE == int(os.environ.get("PPID_SESSION_SECONDS", 8 * 3600))
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        client.force_login(user)
        assert client.get("/staf/").status_code == 200
    with time_machine.travel(start + timedelta(seconds=django_settings.SESSION_COOKIE_AGE - 60), tick=False):
        assert client.get("/staf/").status_code == 200
    with time_machine.travel(start + timedelta(seconds=django_settings.SESSION_COOKIE_AGE + 60), tick=False):
        response = client.get("/staf/")
        assert response.status_code == 302
        assert response.url.startswith(reverse("staf:masuk"))


@pytest.mark.parametrize("weak, messages", [
    ("12345678", ["Kata sandi terlalu pendek. Harus mengandung setidaknya 10 karakter.",
                  "Kata sandi ini terlalu umum.", "Kata sandi ini seluruhnya terdiri dari angka."]),
    ("password123", ["Kata sandi ini terlalu umum."]),
    ("budi.santoso", ["Kata sandi terlalu mirip dengan"]),
])
def test_a_weak_password_is_refused_in_indonesian_by_the_password_change_form(weak, messages):
    user = UserFactory(username="budi.santoso", first_name="Budi", last_name="Santoso", is_staff=True)
    client = Client()
    client.force_login(user)
    response = client.post("/admin/password_change/", {"old_password": PASSWORD, "new_password1": weak,
                                                       "new_password2": weak})
    page = response.content.decode()
    assert response.status_code == 200
    for message in messages:
        assert message in page
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    strong = "Bintoro-jalan-" + secrets.token_hex(4)
    response = client.post("/admin/password_change/", {"old_password": PASSWORD, "new_password1": strong,
                                                       "new_password2": strong})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(strong)


# --- CSRF on every URL -----------------------------------------------------------------------

SAMPLE = {"kode": "ADU-AAAA-BBBB-CCCC", "sop_kode": "DMK-ADUAN", "id": "1", "aksi": "x", "jenis": "x", "pk": 1, "object_id": "1",
          "app_label": "aduan", "content_type_id": "1", "uidb64": "x", "token": "x", "url": "x"}


def _named_patterns(patterns, namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _named_patterns(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}", p


def _every_url():
    urls = {}
    for name, pattern in _named_patterns(get_resolver().url_patterns):
        params = list(getattr(pattern.pattern, "converters", {})) or list(pattern.pattern.regex.groupindex)
        missing = [p for p in params if p not in SAMPLE]
        assert not missing, f"{name}: no sample value for {missing}; add one to SAMPLE"
        urls[name] = reverse(name, kwargs={p: SAMPLE[p] for p in params})
    return urls


def test_every_url_refuses_a_post_without_a_csrf_token_with_the_indonesian_page(sops):
    urls = _every_url()
    assert len(urls) > 60 and "aduan:baru" in urls and "admin:login" in urls and "staf:keluar" in urls
    admin = UserFactory(username="admin_csrf", is_staff=True, is_superuser=True)
    anonymous, staff = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    staff.force_login(admin)
    engine.start(AduanFactory(kode=SAMPLE["kode"]))
    wrong = {}
    for name, url in urls.items():
        for who, client in (("anonim", anonymous), ("admin", staff)):
            response = client.post(url, {"uraian": "x"})
            if response.status_code != 403 or "Sesi formulir kedaluwarsa" not in response.content.decode():
                wrong[f"{name} ({who})"] = response.status_code
    assert wrong == {}, "URLs that took a POST without a CSRF token"


# --- the per-client limits' count on Redis ---------------------------------------------------

MIDWINDOW = datetime(2026, 11, 23, 3, 5, tzinfo=dt_timezone.utc)  # windows start every ten minutes


@pytest.fixture
def private_redis(settings, tmp_path):
    """A private ``redis-server`` as the default cache (the machine's shared one is not touched)."""
    import shutil
    import socket
    import time

    import redis

    # redis-server is on every machine that runs the suite (.ci/run starts it; the fault tests
    # in tests/integration/test_gangguan.py start private ones too): missing, this test fails.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = redis.Redis(port=port)
    servers = []

    def start():
        servers.append(subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL))
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)

    def restart():
        """The server stops and starts again, empty, on the same port."""
        servers[-1].terminate()
        servers[-1].wait(timeout=10)
        start()

    try:
        start()
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                       "LOCATION": f"redis://127.0.0.1:{port}/0"}}
        client.restart = restart
        yield client
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)


@time_machine.travel(MIDWINDOW, tick=True)  # no count straddles two windows
def test_on_redis_a_clients_count_is_one_key_per_window_that_expires_with_it(private_redis, settings, rf):
    from ppid import batas

    settings.PPID_BATAS = {**settings.PPID_BATAS, "aduan": (3, 600)}
    request = rf.post("/aduan/baru/", REMOTE_ADDR="10.20.30.40")
    assert [batas.wait_seconds(request, "aduan") for _ in range(3)] == [0, 0, 0]
    (key,) = private_redis.keys("*batas:aduan:10.20.30.40:*")
    assert 590 < private_redis.ttl(key) <= 601  # set by the window's first request
    private_redis.expire(key, 300)  # later requests count without touching the expiry
    assert 0 < batas.wait_seconds(request, "aduan") <= 601
    assert int(private_redis.get(key)) == 4 and 290 < private_redis.ttl(key) <= 300
    other = rf.post("/aduan/baru/", REMOTE_ADDR="10.20.30.41")
    assert batas.wait_seconds(other, "aduan") == 0


@time_machine.travel(MIDWINDOW, tick=True)  # no count straddles two windows
def test_after_the_redis_server_restarts_requests_are_counted_again(private_redis, settings, rf):
    """A restart loses the count and the cache's connections: a request that finds its
    connection gone is let through, and the next ones count afresh in a new key."""
    from ppid import batas

    settings.PPID_BATAS = {**settings.PPID_BATAS, "aduan": (2, 600)}
    request = rf.post("/aduan/baru/", REMOTE_ADDR="10.20.30.42")
    assert batas.wait_seconds(request, "aduan") == 0
    private_redis.restart()  # the count is gone with the server
    answers = [batas.wait_seconds(request, "aduan") for _ in range(4)]
    assert answers[:2] == [0, 0] and answers[-1] > 0  # let through, then counted and limited
    (key,) = private_redis.keys("*batas:aduan:10.20.30.42:*")
    assert int(private_redis.get(key)) >= 3 and 590 < private_redis.ttl(key) <= 601


@time_machine.travel(MIDWINDOW, tick=True)
def test_the_count_goes_through_the_default_cache_whichever_it_is(settings, rf):
    """The embedded default's local memory, or the shared Redis of the PostgreSQL pass."""
    from django.core.cache import cache

    from ppid import batas

    settings.PPID_BATAS = {**settings.PPID_BATAS, "lacak": (3, 600)}
    request = rf.get("/lacak/", REMOTE_ADDR="10.20.30.50")
    cache.delete_many([f"batas:lacak:10.20.30.5{i}:{int(MIDWINDOW.timestamp() // 600)}" for i in (0, 1)])
    assert [batas.wait_seconds(request, "lacak") for _ in range(3)] == [0, 0, 0]
    assert 0 < batas.wait_seconds(request, "lacak") <= 601  # the fourth in the window
    assert batas.wait_seconds(rf.get("/lacak/", REMOTE_ADDR="10.20.30.51"), "lacak") == 0


def test_with_the_cache_down_a_request_is_let_through_and_the_failure_logged(settings, rf, caplog):
    import socket

    from ppid import batas

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{port}/0"}}
    settings.PPID_BATAS = {**settings.PPID_BATAS, "aduan": (1, 600)}
    request = rf.post("/aduan/baru/", REMOTE_ADDR="10.20.30.43")
    with caplog.at_level("WARNING", logger="ppid.batas"):
        assert [batas.wait_seconds(request, "aduan") for _ in range(3)] == [0, 0, 0]
    assert "the cache could not count this request" in caplog.text


# --- headers and the Content-Security-Policy --------------------------------------------------

def test_pages_carry_the_security_headers_and_a_csp_without_inline_code(sops):
    admin = UserFactory(username="admin_header", is_staff=True, is_superuser=True)
    staff = Client()
    staff.force_login(admin)
    for client, url in ((Client(), "/"), (Client(), "/aduan/baru/"), (Client(), "/lacak/"),
                        (Client(), "/lacak/ADU-AAAA-BBBB-CCCC/"), (staff, "/staf/"), (staff, "/admin/")):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["default-src"] == "'self'", url
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'", url
        assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'", url
        assert "unsafe" not in csp, url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url


def test_no_template_has_inline_script_or_style_without_a_nonce():
    """Pages served to browsers carry no inline code unless it bears the request's CSP nonce;
    templates rendered into PDFs (WeasyPrint, no CSP) may have their own styles."""
    import re
    from pathlib import Path

    found = []
    for path in Path(django_settings.BASE_DIR, "templates").rglob("*.html"):
        if "pdf" in path.name:
            continue
        text = path.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"<style\b[^>]*>", r"\sstyle=", r"\son[a-z]+=", r"hx-on"):
            found += [f"{path.name}: {m}" for m in re.findall(pattern, text)
                      if 'nonce="{{ request.csp_nonce }}"' not in m]
    assert found == []


# --- production settings ---------------------------------------------------------------------

def _production_env(**extra):
    # Not what the test process has set for itself (tests/browser/conftest.py allows async-unsafe ORM calls).
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PPID_HTTPS", "PPID_HSTS", "PPID_SSL", "DJANGO_ALLOW_ASYNC_UNSAFE"))}
    env.update({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
                "DJANGO_ALLOWED_HOSTS": "ppid.demakkab.go.id", "PPID_LOG_LEVEL": "WARNING", **extra})
    return env


def test_the_production_environment_passes_check_deploy_without_a_warning(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=django_settings.BASE_DIR, env=_production_env(PPID_VAR_DIR=str(tmp_path)),
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_with_debug_off_the_safe_values_are_the_defaults(tmp_path):
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
            "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, getattr(s, 'SECURE_PROXY_SSL_HEADER', None))")
    run = {"cwd": django_settings.BASE_DIR, "capture_output": True, "text": True, "timeout": 120}
    env = _production_env(PPID_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="ppid.settings")
    result = subprocess.run([sys.executable, "-c", code], env=env, **run)
    assert result.stdout.split() == ["True", "True", "True", "31536000", "True", "None"], result.stderr
    # Behind one TLS-terminating proxy, its X-Forwarded-Proto is trusted; a plain-HTTP run opts out.
    result = subprocess.run([sys.executable, "-c", code], env={**env, "PPID_TRUSTED_PROXIES": "1"}, **run)
    assert result.stdout.split()[-2:] == ["('HTTP_X_FORWARDED_PROTO',", "'https')"], result.stderr
    result = subprocess.run([sys.executable, "-c", code], env={**env, "PPID_HTTPS": "false"}, **run)
    assert result.stdout.split() == ["False", "False", "False", "0", "True", "None"], result.stderr
    # And a bad value stops the process, naming the variable.
    result = subprocess.run([sys.executable, "-c", code], env={**env, "PPID_BATAS_ADUAN": "banyak"}, **run)
    assert result.returncode != 0 and "PPID_BATAS_ADUAN" in result.stderr
