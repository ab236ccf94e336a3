"""Staff URLs of many cases at once (the officers' queue, the sweep's messages).

``reverse`` costs tens of microseconds; a page of a hundred rows or a sweep of a thousand
messages would spend more on it than on the rest of the row. Tracking codes of one case model
all have one shape, so the model's first URL serves as a pattern for the others, and the
pattern is kept for the process (issue 8: reversing once per case model on every page was a
twentieth of the queue's own work) under what a reverse depends on: the URL configuration,
the script prefix and the language.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

# (case model, URL configuration, script prefix, language) -> (before, after) the code, or
# False when a URL of that model does not hold its code exactly once (then always reversed).
_POLA = {}


class CaseUrls:
    """``urls(case_type_id, kode)``: the staff URL of a case (ContentType's cache names the
    model: no query)."""

    def __init__(self):
        self._pattern = {}
        self._kunci = (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), get_language())

    def __call__(self, case_type_id, kode):
        known = self._pattern.get(case_type_id)
        if known:
            return f"{known[0]}{kode}{known[1]}"
        model = ContentType.objects.get_for_id(case_type_id).model_class()
        if known is None:
            key = (model, *self._kunci)
            known = _POLA.get(key)
            if known is None:
                url = model.staff_url_for(kode)
                known = _POLA[key] = tuple(url.split(kode)) if kode and url.count(kode) == 1 else False
                self._pattern[case_type_id] = known
                return url
            self._pattern[case_type_id] = known
            if known:
                return f"{known[0]}{kode}{known[1]}"
        return model.staff_url_for(kode)
