"""Fixtures shared by the whole suite: the SOP data loaded, lane users, and Celery eager
unless a test starts real workers (tests/integration)."""

import pytest

from pathlib import Path

from ppid.celery import app as celery_app
from sop import memo
from sop.loader import load, load_all

CONTOH_SOP = Path(__file__).resolve().parent / "contoh" / "sop" / "uji_contoh.yaml"


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
    return {sop.kode: sop for sop in load_all()}


@pytest.fixture
def aduan_sop(sops):
    return sops["DMK-ADUAN"]


@pytest.fixture
def contoh_sop(db):
    """The test-only workflow's SOP (tests/contoh), on which the engine's tests run."""
    return load(CONTOH_SOP)
