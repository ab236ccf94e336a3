"""URLs reversed once and kept for the process: a named page's address (:func:`alamat`) and
the staff URLs of many cases at once (:class:`CaseUrls`, for the officers' queue and the
sweep's messages).

``reverse`` costs tens of microseconds; a page of a hundred rows, a sweep of a thousand messages
or every public complaint would spend more on it than on the rest of the work (issue 8). What
``reverse`` gives depends, besides its arguments, on the URL configuration, the script prefix
and the language of the moment: everything kept here is kept under those (:func:`_konteks`).
Tracking codes of one case model all have one shape, so the model's first URL serves as a
pattern for the others.
"""

import functools

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language


def _konteks():
    return (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language())


@functools.lru_cache(maxsize=64)
def _alamat(name, konteks):
    return reverse(name, urlconf=konteks[0])


def alamat(name):
    """``reverse(name)`` of a URL without arguments, reversed once per context."""
    return _alamat(name, _konteks())


# (case model, context) -> (before, after) the code, or False when a URL of that model does
# not hold its code exactly once (then each is reversed).
_POLA = {}


def _pola(model, kode, konteks):
    key = (model, konteks)
    if key not in _POLA:
        url = model.staff_url_for(kode)
        _POLA[key] = tuple(url.split(kode)) if kode and url.count(kode) == 1 else False
    return _POLA[key]


class CaseUrls:
    """``urls(case_type_id, kode)``: the staff URL of a case (ContentType's cache names the
    model: no query)."""

    def __init__(self):
        self._konteks = _konteks()
        self._pattern = {}

    def __call__(self, case_type_id, kode):
        known = self._pattern.get(case_type_id)
        if known is None:
            model = ContentType.objects.get_for_id(case_type_id).model_class()
            known = self._pattern[case_type_id] = _pola(model, kode, self._konteks)
        if known:
            return f"{known[0]}{kode}{known[1]}"
        return ContentType.objects.get_for_id(case_type_id).model_class().staff_url_for(kode)
