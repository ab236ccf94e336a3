"""The officers' one queue ("Antrian saya") across every SOP, read from the Task table."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import render
from django.utils import timezone

from .models import Task

RELATED = ("step", "lane", "unit", "sop", "case_type")


@login_required
def antrian(request):
    user = request.user
    mine = Task.objects.for_user(user).select_related(*RELATED).order_by(F("due_at").asc(nulls_last=True), "id")
    page = Paginator(mine, 50).get_page(request.GET.get("hal"))
    # Supervisors also see the overdue work of the lanes they supervise.
    now = timezone.now()
    overdue_below = (
        Task.objects.open()
        .filter(lane__atasan__group__in=user.groups.all(), due_at__lt=now)
        .select_related(*RELATED)
        .order_by("due_at")[:50]
    )
    template = "sop/_antrian_tabel.html" if request.htmx else "sop/antrian.html"
    return render(request, template, {"halaman": page, "terlambat_bawahan": overdue_below, "sekarang": now})
