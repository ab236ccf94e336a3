"""The suite's settings: the portal's own, with the test-only workflow app (tests/contoh) on
which the engine's tests run."""

from ppid.settings import *  # noqa: F401,F403
from ppid.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.contoh"]
ROOT_URLCONF = "tests.urls"
