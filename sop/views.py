"""Staff pages the engine offers every workflow: the officers' one queue ("Antrian saya")
across all SOPs, and the case page with its actions (:class:`CasePages`), which each
workflow app mounts with its own model, template and forms."""

from datetime import datetime
from datetime import timezone as dt_timezone

from csp.constants import NONCE
from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import Truncator
from django.views.decorators.http import require_http_methods, require_POST

from . import dokumen as sop_dokumen
from . import services as engine
from .forms import CatatanForm
from .models import Lane, Sop, Task

# What the queue shows of each Task. Its ContentType comes from ContentType's cache
# (Task.case_url), so it is not joined.
RELATED = ("step", "lane", "unit", "sop")

# Urgent work first, then work waiting for my approval, then the soonest deadline.
ANTRIAN_ORDER = ("-mendesak", "-step__persetujuan", F("due_at").asc(nulls_last=True), "id")
_NEVER = datetime.max.replace(tzinfo=dt_timezone.utc)


def _antrian_key(t):
    """ANTRIAN_ORDER, for the page's rows once read."""
    return (not t.mendesak, not t.step.persetujuan, t.due_at is None, t.due_at or _NEVER, t.id)


def _whole(ids, key):
    """The Tasks whose ids ``ids`` (a sliced queryset) selects, read whole with what the
    queue shows, in the order ``key`` gives.

    Rows are chosen on ids alone, which the open-work index covers (``task_open_antrian``),
    and only the chosen rows are read whole, in one query whose cost follows the open work
    of the lanes concerned, not the size of the Task table (issue 8). The few rows are put in
    order here: an ORDER BY over the joins would cost the planner more than the sort."""
    return sorted(Task.objects.filter(id__in=ids).select_related(*RELATED).order_by(), key=key)


def _ringkas(text, limit):
    """``text|truncatechars:limit``, without the per-character pass for plain ASCII text."""
    if text.isascii():
        return text if len(text) <= limit else text[: limit - 1] + "\u2026"
    return Truncator(text).chars(limit)


def _baris(tasks, now):
    """The queue's rows, with what the row template shows computed once per row in Python
    (rendering dominates the page's time once its queries are cheap)."""
    for t in tasks:
        t.terlambat = t.is_overdue(now)
        t.sop_ringkas = _ringkas(t.sop.nama, 40)
        t.judul_ringkas = _ringkas(t.judul, 90)
        t.kegiatan_ringkas = _ringkas(t.step.kegiatan, 70)
    return tasks


@login_required
def antrian(request):
    user = request.user
    now = timezone.now()
    mine = Task.objects.for_user(user).order_by(*ANTRIAN_ORDER).values_list("id", flat=True)
    page = Paginator(mine, 50).get_page(request.GET.get("hal"))
    page.object_list = _baris(_whole(page.object_list, _antrian_key), now)
    if request.htmx:
        return render(request, "sop/_antrian_tabel.html", {"halaman": page, "sekarang": now})
    # Supervisors also see the overdue work of the lanes they supervise. Their lanes are read
    # first, so that the planner sees the lane ids and how much open work each has.
    supervised = list(
        Lane.objects.filter(atasan__group__in=user.groups.all()).order_by().values_list("id", flat=True)
    )
    overdue_below = _whole(
        Task.objects.open().filter(lane__in=supervised, due_at__lt=now).order_by("due_at", "id")
        .values_list("id", flat=True)[:50],
        lambda t: (t.due_at, t.id),
    ) if supervised else []
    return render(request, "sop/antrian.html", {"halaman": page, "terlambat_bawahan": overdue_below, "sekarang": now})


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


# --- the SOP documents (issue 6) ----------------------------------------------------------
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
