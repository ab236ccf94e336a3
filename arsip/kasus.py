"""Finding case models without importing the workflow apps: every concrete subclass of
:class:`sop.models.Case` among the installed models, keyed by the SOP it runs (SOP_KODE)."""

from django.apps import apps
from django.http import Http404
from django.shortcuts import get_object_or_404

from sop.models import Case


def model_kasus():
    """``{SOP_KODE: model}`` of every installed case model."""
    return {
        model.SOP_KODE: model
        for model in apps.get_models()
        if issubclass(model, Case) and not model._meta.abstract and model.SOP_KODE
    }


def model_untuk(sop_kode):
    """The case model of ``sop_kode``, or None."""
    return model_kasus().get(sop_kode)


def kasus_atau_404(sop_kode, kode):
    model = model_untuk(sop_kode)
    if model is None:
        raise Http404("Kasus tidak ditemukan.")
    return get_object_or_404(model.objects.select_related("unit"), kode=kode)
