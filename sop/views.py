"""Staff pages the engine offers every workflow: the officers' one queue ("Antrian saya")
across all SOPs, and the case page with its actions (:class:`CasePages`), which each
workflow app mounts with its own model, template and forms."""

from csp.constants import NONCE
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods, require_POST

from . import dokumen as sop_dokumen
from . import services as engine
from .antrian import antrian as antrian_of
from .forms import CatatanForm
from .models import Sop


@login_required
def antrian(request):
    """The officers' queue (sop/antrian.py); the periodic refresh (htmx) redraws the table only.
    The rows are rendered by the Jinja2 engine (``templates/jinja2/sop/``), autoescaped."""
    queue = antrian_of(request.user, request.GET.get("hal"), bawahan=not request.htmx)
    tabel = render_to_string("sop/_antrian_tabel.html", {"halaman": queue.halaman}, using="jinja2")
    if request.htmx:
        return HttpResponse(tabel)
    terlambat = render_to_string("sop/_antrian_terlambat.html", {"terlambat": queue.terlambat_bawahan}, using="jinja2")
    return render(request, "sop/antrian.html", {"antrian": queue, "tabel": tabel, "terlambat": terlambat})


class CasePages:
    """The staff case page and its action endpoint for one workflow model.

    ``template`` renders the case; it gets ``kasus``, ``tugas`` (the open Task), ``riwayat``
    (the timeline), ``aksi`` (pairs of action and its form) and ``galat`` (a refusal), plus
    what ``extra_context(request, case)`` returns. ``action_forms`` maps a transition to the
    :class:`~sop.forms.CatatanForm` subclass that collects what it needs.
    """

    def __init__(self, model, template, action_forms=None, extra_context=None, related=(),
                 list_template=None, search_fields=()):
        self.model = model
        self.template = template
        self.action_forms = action_forms or {}
        self.extra_context = extra_context or (lambda request, case: {})
        self.related = related
        self.list_template = list_template
        self.search_fields = search_fields
        self.detail = login_required(self._detail)
        self.action = login_required(require_POST(self._action))
        self.list = login_required(self._list)

    def _list(self, request):
        """Every case the user may open, filtered by stage and a search term, newest first."""
        qs = engine.visible_cases(self.model, request.user)
        if qs is None:
            raise Http404("Halaman tidak ditemukan.")
        qs = qs.select_related("unit").order_by("-dibuat")
        choices = self.model._meta.get_field("state").choices
        state = request.GET.get("tahap", "")
        if state in dict(choices):
            qs = qs.filter(state=state)
        q = request.GET.get("q", "").strip()[:100]
        if q:
            match = Q()
            for field in ("kode", *self.search_fields):
                match |= Q(**{f"{field}__icontains": q})
            qs = qs.filter(match)
        page = Paginator(qs, 30).get_page(request.GET.get("hal"))
        return render(request, self.list_template, {
            "halaman": page, "tahap_pilihan": choices, "tahap": state, "q": q,
            "boleh_mencatat": engine.start_refusal(self.model, request.user) is None,
        })

    def new(self, form_class, service, template, refusal_title, form_kwargs=None):
        """The page that opens a new case: only the lane of the creating step may use it.

        ``service(form, user)`` saves and starts the case; it returns None when it lost a
        race (e.g. the same post recorded meanwhile), and the form, validated again, says why.
        """
        form_kwargs = form_kwargs or (lambda request: {})

        @login_required
        @require_http_methods(["GET", "POST"])
        def view(request):
            refusal = engine.start_refusal(self.model, request.user)
            if refusal:
                return render(request, "galat.html", {"judul": refusal_title, "pesan": refusal}, status=403)
            if request.method != "POST":
                return render(request, template, {"form": form_class(**form_kwargs(request))})
            form = form_class(request.POST, request.FILES, **form_kwargs(request))
            if form.is_valid():
                case = service(form, request.user)
                if case is not None:
                    return redirect(case.get_absolute_url())
                form = form_class(request.POST, request.FILES, **form_kwargs(request))
                form.is_valid()
            return render(request, template, {"form": form}, status=400)

        return view

    def get_case(self, request, kode):
        case = get_object_or_404(self.model.objects.select_related("unit", *self.related), kode=kode)
        if not engine.may_view(case, request.user):
            raise Http404("Kasus tidak ditemukan.")  # 404, not 403: existence is not revealed
        return case

    def form_for(self, name, *args, **kwargs):
        return self.action_forms.get(name, CatatanForm)(*args, **kwargs)

    def render(self, request, case, forms_by_action=None, galat=None, status=200):
        forms_by_action = forms_by_action or {}
        actions = [
            (aksi, forms_by_action.get(aksi.name) or self.form_for(
                aksi.name, note_required=aksi.note_required, initial={"tahap": case.state}, prefix=aksi.name,
                case=case))
            for aksi in engine.actions_for(case, request.user)
        ]
        context = {
            "kasus": case,
            "tugas": engine.open_task(case),
            "riwayat": engine.timeline(case),
            "aksi": actions,
            "galat": galat,
            **self.extra_context(request, case),
        }
        return render(request, self.template, context, status=status)

    def _detail(self, request, kode):
        return self.render(request, self.get_case(request, kode))

    def _action(self, request, kode, aksi):
        case = self.get_case(request, kode)
        offered = {a.name: a for a in engine.actions_for(case, request.user)}
        note_required = offered[aksi].note_required if aksi in offered else False
        form = self.form_for(aksi, request.POST, request.FILES, note_required=note_required, prefix=aksi, case=case)
        if not form.is_valid():
            return self.render(request, case, forms_by_action={aksi: form}, status=400)
        try:
            engine.advance(
                case, aksi, request.user,
                note=form.cleaned_data["catatan"],
                expected_state=form.cleaned_data.get("tahap") or None,
                **form.data_for_service(),
            )
        except engine.TindakanDitolak as refusal:
            case.refresh_from_db()
            return self.render(request, case, galat=str(refusal), status=refusal.status)
        return redirect(case.get_absolute_url())


# --- the SOP documents --------------------------------------------------------------------
# The office's own procedures: any signed-in officer may read them. Rendered from the live
# rows every time (sop.dokumen), so an edit in the admin shows at once.


@login_required
def dokumen_daftar(request):
    sops = Sop.objects.annotate(jumlah_langkah=Count("steps")).order_by("nama")
    return render(request, "sop/dokumen_daftar.html", {"sops": sops})


def _sop_atau_404(kode):
    sop = Sop.objects.filter(kode=kode).first()
    if sop is None:
        raise Http404("SOP dengan kode ini tidak ada.")
    return sop


@login_required
@csp_update({"style-src": [NONCE]})  # the flowchart's per-SOP <style> block carries the nonce
def dokumen(request, kode):
    return render(request, "sop/dokumen.html", sop_dokumen.susun(_sop_atau_404(kode)))


@login_required
def dokumen_pdf(request, kode):
    sop = _sop_atau_404(kode)
    response = HttpResponse(sop_dokumen.tulis_pdf(sop), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="SOP-{sop.kode}.pdf"'
    return response
