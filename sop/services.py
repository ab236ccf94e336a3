"""The one way a case moves: ``start`` a case, ``advance`` it by a transition.

Each call is atomic and row-locked. Permission comes from the lane of the current step (or
the lane a transition names in ``custom["lane"]``) and is denied by default; a refusal is a
:class:`TindakanDitolak` whose message the user can read. Advancing closes the open Task,
opens the next one with its deadline from the work calendar, and writes the citizen's
notifications to the outbox in the same transaction; delivery is queued on commit.
"""

import logging
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition

from . import memo
from .exceptions import TindakanDitolak
from .kalender import kalender
from .models import Lane, Notifikasi, Sop, Step, Task

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Aksi:
    """An action a user may take on a case now, as the case page offers it."""

    name: str
    label: str
    note_required: bool
    style: str
    target: str


# --- reading a case ------------------------------------------------------------------------

def sop_of(case):
    return Sop.objects.get(kode=case.SOP_KODE)


def open_task(case):
    return (
        Task.objects.of_case(case).open().select_related("step", "lane", "unit", "lane__group").first()
    )


def timeline(case):
    """Every Task of the case, oldest first: the audit trail. Each carries ``aksi``, the
    label of the transition that closed it."""
    labels = {t.name: t.custom.get("label", t.name) for t in case.get_all_state_transitions()}
    labels["dibuat"] = "Dibuat"
    tasks = list(
        Task.objects.of_case(case).select_related("step", "lane", "finished_by", "unit").order_by("started_at", "id")
    )
    for task in tasks:
        task.aksi = labels.get(task.transition, task.transition)
    return tasks


def state_label(case, state=None):
    state = case.state if state is None else state
    return dict(type(case)._meta.get_field("state").choices).get(state, state)


def _transitions_named(case, name):
    return [t for t in case.get_all_state_transitions() if t.name == name]


def _user_in_lane(user, lane, case):
    if lane is None or lane.group_id is None or lane.warga:
        return False
    if not user.groups.filter(pk=lane.group_id).exists():
        return False
    if lane.per_unit:
        return case.unit_id is not None and user.units.filter(pk=case.unit_id).exists()
    return True


def visible_cases(model, user):
    """The cases of ``model`` that ``user`` may open, or None when they may open none.

    Staff see a case when they belong to a lane of its SOP; members of per-unit lanes only
    the cases routed to their unit. Superusers see every case.
    """
    if not (user.is_authenticated and user.is_active):
        return None
    if user.is_superuser:
        return model.objects.all()
    lanes = Lane.objects.filter(sop__kode=model.SOP_KODE, group__user=user)
    if lanes.filter(per_unit=False).exists():
        return model.objects.all()
    if lanes.exists():
        return model.objects.filter(unit__in=user.units.all())
    return None


def may_view(case, user):
    """Whether ``user`` may open ``case`` (see :func:`visible_cases`)."""
    visible = visible_cases(type(case), user)
    return visible is not None and visible.filter(pk=case.pk).exists()


def start_refusal(model, user):
    """Why ``user`` may not open a new case of ``model``, or None: the creating step's lane
    decides (anyone for a citizens' lane such as the Pengadu's)."""
    # The step that creates the case, or, where the SOP has none (Serang), the first one.
    steps = Step.objects.select_related("lane").filter(sop__kode=model.SOP_KODE)
    initial = model._meta.get_field("state").default
    creating = steps.filter(state="").order_by("urutan").first() or steps.filter(state=initial).first()
    if creating is None or creating.lane.warga:
        return None
    if not (user.is_authenticated and user.is_active):
        return "Silakan masuk terlebih dahulu."
    if not user.groups.filter(pk=creating.lane.group_id).exists():
        return f"Kasus baru dicatat oleh {creating.lane.nama}; Anda bukan pelaksana tersebut."
    return None


def refusal(case, name, user, task=None, note=""):
    """Why ``user`` may not take transition ``name`` on ``case`` now, or None if they may."""
    if not (user.is_authenticated and user.is_active):
        return "Silakan masuk terlebih dahulu."
    candidates = _transitions_named(case, name)
    if not candidates:
        return "Tindakan ini tidak dikenal."
    current = [t for t in candidates if t.source in (case.state, "*", "+")]
    if not current:
        return f"Tindakan ini tidak tersedia pada tahap \u201c{state_label(case)}\u201d."
    t = current[0]
    task = task if task is not None else open_task(case)
    if task is None:
        return "Kasus ini sudah selesai; tidak ada langkah yang menunggu."
    lane = task.lane
    lane_kode = t.custom.get("lane")
    if lane_kode and lane_kode != lane.kode:
        lane = task.sop.lanes.filter(kode=lane_kode).first()
    if not _user_in_lane(user, lane, case):
        if lane is not None and lane.per_unit and user.groups.filter(pk=lane.group_id).exists():
            return f"Langkah ini dikerjakan oleh {lane.nama} dari OPD tujuan; Anda bukan anggota OPD tersebut."
        return f"Langkah ini dikerjakan oleh {lane.nama if lane else 'pelaksana lain'}; Anda bukan pelaksana tersebut."
    for condition in t.conditions:
        if not condition(case):
            return getattr(condition, "pesan", None) or "Syarat tindakan ini belum terpenuhi."
    if t.custom.get("note_required") and not (note or "").strip():
        return "Tindakan ini wajib disertai catatan/alasan."
    return None


def actions_for(case, user):
    """The actions ``user`` may take on ``case`` now (notes aside), in declaration order."""
    task = open_task(case)
    if task is None:
        return []
    seen, actions = set(), []
    for t in case.get_all_state_transitions():
        if t.source not in (case.state, "*", "+") or t.name in seen:
            continue
        seen.add(t.name)
        # A missing note is asked for by the form, so it does not hide the action.
        if refusal(case, t.name, user, task=task, note="-") is None:
            actions.append(
                Aksi(
                    name=t.name,
                    label=t.custom.get("label", t.name),
                    note_required=bool(t.custom.get("note_required")),
                    style=t.custom.get("style", "utama"),
                    target=t.target,
                )
            )
    return actions


# --- moving a case -------------------------------------------------------------------------

class StepSnapshot(NamedTuple):
    """A Step as opening a Task needs it: immutable, so one read of the SOP can serve every
    new case of a process (:mod:`sop.memo`)."""

    id: int
    sop_id: int
    lane_id: int
    per_unit: bool
    state: str
    waktu: str
    waktu_batas: str
    standard: object  # sop.waktu.Waktu (frozen) or None
    persetujuan: bool

    @classmethod
    def of(cls, step):
        return cls(step.id, step.sop_id, step.lane_id, step.lane.per_unit, step.state, step.waktu,
                   step.waktu_batas, step.standard, step.persetujuan)


def _new_task(case, step, now, cal, judul):
    """The (unsaved) open Task of ``case`` waiting at ``step`` (a :class:`StepSnapshot`), due by
    the work calendar."""
    due = cal.due_at(now, step.standard)
    remind = None
    if due is not None and due > now:
        remind = now + (due - now) * settings.PPID_REMINDER_SHARE
    return Task(
        case_type_id=ContentType.objects.get_for_model(case).pk,
        case_id=case.pk,
        kode=case.kode,
        judul=judul,
        sop_id=step.sop_id,
        step_id=step.id,
        lane_id=step.lane_id,
        unit_id=case.unit_id if step.per_unit else None,
        state=case.state,
        waktu=step.waktu,
        waktu_batas=step.waktu_batas,
        mendesak=case.mendesak(),
        persetujuan=step.persetujuan,
        started_at=now,
        due_at=due,
        remind_at=remind,
    )


def _open_next_task(case, sop, now, cal):
    step = Step.objects.select_related("lane").filter(sop=sop, state=case.state).first()
    if step is None:
        return None  # a terminal state: no work waits
    task = _new_task(case, StepSnapshot.of(step), now, cal, case.judul_antrian()[:200])
    task.save(force_insert=True)
    return task


def _citizen_mail(case, transition, note, task, now):
    return [
        Notifikasi(jenis=Notifikasi.WARGA, email=email, subjek=subject, isi=body, task=task, not_before=now,
                   next_attempt_at=now)
        for email, subject, body in case.notifikasi_warga(transition, note)
        if email
    ]


def _queue_citizen_mail(case, transition, note, task, now):
    rows = _citizen_mail(case, transition, note, task, now)
    if rows:
        Notifikasi.objects.bulk_create(rows)
        transaction.on_commit(deliver_soon)


def deliver_soon():
    """Ask a worker to deliver the outbox now; if the broker is down the sweep will."""
    from .tasks import deliver

    try:
        deliver.delay()
    except Exception:  # a broker outage must not fail the request that caused the message
        logger.warning("broker unreachable; the outbox will be delivered by the next sweep", exc_info=True)


def start(case, *, by=None, note=""):
    """Save a new case, record its creating step as done, open the first Task and write the
    citizen's mail of it to the outbox, in one transaction (inside a caller's, with
    attachments, it rolls back with it). The SOP's steps concerned and the admin's holidays
    come from the per-process memo (:mod:`sop.memo`)."""
    now = timezone.now()
    # The creating step (the SOP's first with no state) and the step of the case's first
    # state, read together; the SOP itself only if it has neither (to fail loudly if missing).
    steps = memo.get(("opening_steps", case.SOP_KODE, case.state), lambda: tuple(
        StepSnapshot.of(step) for step in
        Step.objects.select_related("lane").filter(sop__kode=case.SOP_KODE, state__in=["", case.state])
        .order_by("urutan")
    ))
    creating = next((s for s in steps if s.state == ""), None)
    first = next((s for s in steps if s.state == case.state and s.state != ""), None)
    sop_id = steps[0].sop_id if steps else sop_of(case).pk
    case.dibuat = now
    with transaction.atomic(savepoint=False):
        case.save()
        tasks = _first_tasks(case, sop_id, creating, first, now, by, note)
        Task.objects.bulk_create(tasks)
        _queue_citizen_mail(case, "dibuat", note, tasks[-1] if first is not None else None, now)
    return case


def _first_tasks(case, sop_id, creating, first, now, by, note):
    """The (unsaved) Tasks of a new case: its creating step, done, and its first step, open."""
    judul = case.judul_antrian()[:200]
    tasks = []
    if creating is not None:
        tasks.append(Task(
            case_type_id=ContentType.objects.get_for_model(case).pk, case_id=case.pk, kode=case.kode,
            judul=judul, sop_id=sop_id, step_id=creating.id, lane_id=creating.lane_id, state="",
            waktu=creating.waktu, waktu_batas=creating.waktu_batas, started_at=now, finished_at=now,
            finished_by_id=by.pk if by is not None and by.is_authenticated else None, transition="dibuat",
            note=note,
        ))
    if first is not None:
        tasks.append(_new_task(case, first, now, kalender(memo=True), judul))
    return tasks


def advance(case, name, user, *, note="", expected_state=None, **data):
    """Take transition ``name`` on ``case`` as ``user``. Returns the updated case.

    ``expected_state`` is the state the user saw: if someone else moved the case meanwhile,
    the action is refused with who did what, instead of being applied to a case they have
    not seen.
    """
    note = (note or "").strip()
    model = type(case)
    if expected_state is None:
        # The state on the caller's object is what they saw: losing a race to another
        # officer is then a 409 naming who acted, not a bare "not available at this stage".
        expected_state = case.state
    try:
        with transaction.atomic():
            locked = model.objects.select_for_update().get(pk=case.pk)
            if expected_state is not None and locked.state != expected_state:
                raise TindakanDitolak(_moved_on_message(locked), status=409)
            task = open_task(locked)
            reason = refusal(locked, name, user, task=task, note=note)
            if reason:
                raise TindakanDitolak(reason)
            getattr(locked, name)(by=user, note=note, **data)
            locked.save()
            now = timezone.now()
            closed = Task.objects.filter(pk=task.pk, finished_at__isnull=True).update(
                finished_at=now, finished_by=user, transition=name, note=note
            )
            if closed != 1:
                raise TindakanDitolak(_moved_on_message(locked), status=409)
            next_task = _open_next_task(locked, task.sop, now, kalender())
            _queue_citizen_mail(locked, name, note, next_task or task, now)
    except ConcurrentTransition:
        raise TindakanDitolak(_moved_on_message(model.objects.get(pk=case.pk)), status=409) from None
    except IntegrityError:
        # The unique open-Task constraint: someone opened the next step first.
        raise TindakanDitolak(_moved_on_message(model.objects.get(pk=case.pk)), status=409) from None
    return locked


def _moved_on_message(case):
    last = Task.objects.of_case(case).exclude(finished_at=None).select_related("finished_by").order_by(
        "-finished_at", "-id"
    ).first()
    who = ""
    if last is not None and last.finished_by is not None:
        local = timezone.localtime(last.finished_at)
        who = f" oleh {last.finished_by.get_full_name() or last.finished_by.username} pada {local:%d-%m-%Y %H:%M}"
    return (
        f"Kasus ini sudah diproses{who}; tahapnya sekarang \u201c{state_label(case)}\u201d. "
        "Muat ulang halaman untuk melihat keadaan terbaru."
    )
