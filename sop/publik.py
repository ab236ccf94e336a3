"""The public pages the engine offers every citizen-facing workflow: the tracking page by
code (:class:`TrackingPages`). Its companions are in :mod:`sop.forms` (the bot trap, the
upload fields, the tracking-code form) and :mod:`sop.upload` (where attachments go)."""

from django.shortcuts import redirect, render
from django.urls import reverse

from . import services as engine


class TrackingPages:
    """The public tracking pages of one workflow: a citizen follows a case by its code,
    without an account. ``form_class`` is a :class:`~sop.forms.KodeLacakForm` subclass (its
    ``model`` is the case model); the two URL names are the pages' own, each ``detail`` URL
    taking ``kode``.

    - ``search``: the form asking for a code. With ``?kode=`` a code in any case, spaced or
      dashed anyhow, redirects to its case's page; a value that cannot be a code gets the
      form's message and 400.
    - ``detail``: the case's page, ``template`` rendered with ``kasus``, ``tahap`` (what the
      stage means to the citizen: ``stages[state]``, else the state's label) and
      ``riwayat`` (the finished steps, oldest first, as ``waktu`` and ``langkah``: the
      ``step_names`` of the transition that closed it, else the step's kegiatan; never an
      officer's name), plus what ``extra_context(request, case)`` returns. A code that
      names no case, or cannot be one, gets the search page with ``tidak_ditemukan`` and
      404: the same answer for every such code, so nothing about other cases leaks.

    The search page's template (``search_template``, default ``sop/lacak.html``) gets
    ``form``, ``judul`` (default "Lacak <the model's verbose name>") and ``alamat_lacak``.
    """

    def __init__(self, form_class, template, *, search_url_name, detail_url_name, stages=None, step_names=None,
                 extra_context=None, search_template="sop/lacak.html", title=None):
        self.form_class = form_class
        self.model = form_class.model
        self.template = template
        self.search_url_name = search_url_name
        self.detail_url_name = detail_url_name
        self.stages = stages or {}
        self.step_names = step_names or {}
        self.extra_context = extra_context or (lambda request, case: {})
        self.search_template = search_template
        self.title = title or f"Lacak {self.model._meta.verbose_name}"

    def search(self, request):
        if "kode" in request.GET:
            form = self.form_class(request.GET)
            if form.is_valid():
                return redirect(self.detail_url_name, kode=form.cleaned_data["kode"])
            return self.render_search(request, form, status=400)
        return self.render_search(request, self.form_class())

    def render_search(self, request, form, status=200, **context):
        context = {"form": form, "judul": self.title, "alamat_lacak": reverse(self.search_url_name), **context}
        return render(request, self.search_template, context, status=status)

    def find(self, kode):
        """The case with tracking code ``kode`` as typed, or None (also for a malformed code,
        which is not looked up at all)."""
        form = self.form_class({"kode": kode})
        if not form.is_valid():
            return None
        return self.model.objects.select_related("unit").filter(kode=form.cleaned_data["kode"]).first()

    def public_timeline(self, case):
        return [
            {"waktu": task.finished_at, "langkah": self.step_names.get(task.transition, task.step.kegiatan)}
            for task in engine.timeline(case) if task.finished_at is not None
        ]

    def detail(self, request, kode):
        case = self.find(kode)
        if case is None:
            form = self.form_class(initial={"kode": kode.replace("\x00", "")[:40]})
            return self.render_search(request, form, status=404, tidak_ditemukan=True)
        context = {
            "kasus": case,
            "tahap": self.stages.get(case.state, case.get_state_display()),
            "riwayat": self.public_timeline(case),
            **self.extra_context(request, case),
        }
        return render(request, self.template, context)
