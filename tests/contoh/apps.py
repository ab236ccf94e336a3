from django.apps import AppConfig


class ContohConfig(AppConfig):
    """A small workflow that exists only in the tests: the engine's tests run on it, so they
    pin the engine's behaviour and not one SOP's."""

    name = "tests.contoh"
    label = "contoh"
    verbose_name = "Alur contoh (uji)"
