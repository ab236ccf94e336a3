"""The case a URL names, found without importing the workflow apps (through the engine's
:func:`sop.models.case_models`)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from sop.models import case_models


def model_untuk(sop_kode):
    """The case model of ``sop_kode``, or None."""
    return case_models().get(sop_kode)


def kasus_atau_404(sop_kode, kode):
    model = model_untuk(sop_kode)
    if model is None:
        raise Http404("Kasus tidak ditemukan.")
    return get_object_or_404(model.objects.select_related("unit"), kode=kode)
