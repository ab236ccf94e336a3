"""Fixtures shared by the whole suite: the SOP data loaded, lane users, and Celery eager
unless a test starts real workers (tests/integration).

The SOP data (the portal's files and the test-only workflow's) is loaded once, when the test
database is set up, and committed: every test's transaction sees it, and a test's own changes
roll back with it. A transactional test (``transaction=True``, ``live_server``, the real
workers of tests/integration) empties the database when it ends; pytest-django runs those
after all the others, and ``sops`` loads the data again for the next one that needs it."""

import pytest

from ppid.celery import app as celery_app
from sop import memo
from sop.loader import load_all
from sop.models import Sop, Step


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, with the SOP data loaded once for the session."""
    with django_db_blocker.unblock():
        load_all()  # the portal's SOP files and, under tests.settings, the test-only workflow's


@pytest.fixture(autouse=True)
def _celery_eager():
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = False


@pytest.fixture(autouse=True)
def _memo_per_test():
    """No test reads what an earlier one left in the SOP memo (its rows were rolled back)."""
    memo.reset()


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Hashing strength is not under test; PBKDF2 would make every factory user cost 0.3 s.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _abuse_limits_off(settings):
    # The suite sends many forms from one address within seconds. The per-client limits and
    # the complaint form's minimum fill time are off here; the tests about them pin them
    # (tests/aduan/test_penyalahgunaan.py, tests/aduan/test_fuzz.py).
    settings.PPID_BATAS = {name: (0, seconds) for name, (_, seconds) in settings.PPID_BATAS.items()}
    settings.PPID_ADUAN_MIN_DETIK = 0


@pytest.fixture
def sops(db):
    """Every SOP by kode, as loaded for the session (again after a transactional test emptied
    the database)."""
    rows = {sop.kode: sop for sop in Sop.objects.all()}
    if not rows:
        load_all()
        rows = {sop.kode: sop for sop in Sop.objects.all()}
    return rows


@pytest.fixture
def without_sops(db):
    """No SOP data, for the loader's own tests: deleted inside the test's transaction, so the
    session's data is back for the next test."""
    Step.objects.all().delete()  # first: a Step protects its Lane
    Sop.objects.all().delete()


@pytest.fixture
def aduan_sop(sops):
    return sops["DMK-ADUAN"]


@pytest.fixture
def contoh_sop(sops):
    """The test-only workflow's SOP (tests/contoh), on which the engine's tests run."""
    return sops["UJI-CONTOH"]
