"""The staff URLs of many cases at once (:class:`CaseUrls`), for the officers' queue and the
sweep's messages: one ``reverse`` per case model, the rest filled in from its pattern.

Tracking codes of one case model all have one shape, so the model's first URL serves as a
pattern for the others. What ``reverse`` gives depends, besides its arguments, on the URL
configuration, the script prefix and the language of the moment: a pattern is kept under
those (:func:`_context`).
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language


def _context():
    return (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language())


# (case model, context) -> (before, after) the code, or False when a URL of that model does
# not hold its code exactly once (then each is reversed).
_PATTERNS = {}


def _pattern(model, kode, context):
    key = (model, context)
    if key not in _PATTERNS:
        url = model.staff_url_for(kode)
        _PATTERNS[key] = tuple(url.split(kode)) if kode and url.count(kode) == 1 else False
    return _PATTERNS[key]


class CaseUrls:
    """``urls(case_type_id, kode)``: the staff URL of a case (ContentType's cache names the
    model: no query)."""

    def __init__(self):
        self._context = _context()
        self._pattern = {}

    def __call__(self, case_type_id, kode):
        known = self._pattern.get(case_type_id)
        if known is None:
            model = ContentType.objects.get_for_id(case_type_id).model_class()
            known = self._pattern[case_type_id] = _pattern(model, kode, self._context)
        if known:
            return f"{known[0]}{kode}{known[1]}"
        return ContentType.objects.get_for_id(case_type_id).model_class().staff_url_for(kode)
