"""A new case in one statement on PostgreSQL (:func:`sisip_kasus_baru`): the case, its first
Tasks and their outbox rows in one ``INSERT ... RETURNING``.
"""

from datetime import date, datetime

from django.db.models import (
    AutoField,
    BigAutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    Field,
    ForeignKey,
    IntegerField,
    SmallAutoField,
    TextField,
)


# --- a new case in one statement -------------------------------------------------------------
# Issue 8: the public complaint form's cost. Saving a case and its first two Tasks through the
# ORM took four round trips (BEGIN, two INSERTs, COMMIT) and about 2 ms of building SQL in
# Python for every submission; here it is one prepared statement, atomic on its own.

_SQL_KASUS_BARU = {}
_KOLOM = {}


def _kolom(model, kecuali=()):
    """The columns an INSERT of ``model`` writes: every concrete field but a database-made key."""
    key = (model, kecuali)
    if key not in _KOLOM:
        _KOLOM[key] = [f for f in model._meta.local_concrete_fields if not f.db_returning and f.attname not in kecuali]
    return _KOLOM[key]


def _tetap(field):
    """The Python type whose values ``field`` writes to PostgreSQL unchanged, or None.

    That is Django's own conversion for a field of its kind (or a subclass that changes
    neither how the value is taken nor how it is converted): a ``str`` for a text column, an
    ``int`` for an integer or a foreign key to one, a ``bool``, an aware ``datetime`` (checked
    per value) for a timestamp, a ``date`` for a date, neither filled in on save (``auto_now``)."""
    def sendiri(cls, base, *names):
        return all(getattr(cls, name) is getattr(base, name) for name in names)

    cls = type(field)
    if isinstance(field, ForeignKey):
        if not sendiri(cls, ForeignKey, "pre_save", "get_db_prep_save"):
            return None
        target = field.target_field
        if type(target) in (AutoField, BigAutoField, SmallAutoField):
            return int  # converted as an integer; PostgreSQL accepts every int as a key
        return int if _tetap(target) is int else None
    conversion = ("get_prep_value", "get_db_prep_value", "get_db_prep_save")
    if isinstance(field, DateTimeField):
        if field.auto_now or field.auto_now_add:
            return None
        return datetime if sendiri(cls, DateTimeField, "pre_save", *conversion) else None
    if isinstance(field, DateField):
        if field.auto_now or field.auto_now_add:
            return None
        return date if sendiri(cls, DateField, "pre_save", *conversion) else None
    for base, kind in ((CharField, str), (TextField, str), (BooleanField, bool), (IntegerField, int)):
        if isinstance(field, base):
            return kind if cls.pre_save is Field.pre_save and sendiri(cls, base, *conversion) else None
    return None


_CARA = {}


def _cara(model, kecuali=()):
    """For each column of :func:`_kolom`: (attname, the type it takes unchanged, field)."""
    key = (model, kecuali)
    if key not in _CARA:
        _CARA[key] = [(f.attname, _tetap(f), f) for f in _kolom(model, kecuali)]
    return _CARA[key]


def _nilai(obj, cara, connection):
    # As Django's insert compiler prepares them: the field's pre_save (auto_now, defaults), then
    # its conversion for this database. A value its field writes unchanged (most of a new
    # case's: text, ids, flags, moments) is taken as it is: the conversion calls were a tenth
    # of a complaint's time in Python (issue 8).
    values = []
    for attname, kind, field in cara:
        value = getattr(obj, attname)
        # None stays None through every conversion _tetap allows.
        if kind is None or not (value is None or (type(value) is kind and (
                kind is not datetime or value.tzinfo is not None))):
            value = field.get_db_prep_save(field.pre_save(obj, True), connection)
        values.append(value)
    return values


def boleh_sekaligus(model, connection):
    """Whether a new ``model`` case may be written by :func:`sisip_kasus_baru`: on PostgreSQL,
    and only where the ORM's ``save()`` would do nothing more than insert the row (no
    ``save()`` of its own, no pre/post_save receivers, no parent table)."""
    from django.db.models import signals

    from .models import Case

    return (
        connection.vendor == "postgresql"
        and model.save is Case.save
        and not model._meta.parents
        and not signals.pre_save.has_listeners(model)
        and not signals.post_save.has_listeners(model)
    )


def _sql_kasus_baru(connection, model, task_model, n_task, surat_model, n_surat):
    key = (connection.alias, model._meta.label, n_task, n_surat)
    sql = _SQL_KASUS_BARU.get(key)
    if sql is not None:
        return sql
    qn = connection.ops.quote_name

    def baris(fields):
        # Typed here: a row of a VALUES list takes no type from the table it goes into.
        return "(" + ", ".join(f"%s::{f.cast_db_type(connection)}" for f in fields) + ")"

    def kolom(fields):
        return ", ".join(qn(f.column) for f in fields)

    pk = qn(model._meta.pk.column)
    kk = _kolom(model)
    tk = _kolom(task_model, ("case_id",))
    sql = (
        f"WITH kasus AS (INSERT INTO {qn(model._meta.db_table)} ({kolom(kk)}) "
        f"VALUES ({', '.join(['%s'] * len(kk))}) RETURNING {pk}), "
        f"langkah AS (INSERT INTO {qn(task_model._meta.db_table)} (case_id, {kolom(tk)}) "
        f"SELECT kasus.{pk}, v.* FROM kasus, (VALUES {', '.join([baris(tk)] * n_task)}) AS v "
        f"RETURNING id, finished_at IS NULL AS terbuka)"
    )
    if n_surat:
        sk = _kolom(surat_model, ("task_id",))
        sql += (
            f", surat AS (INSERT INTO {qn(surat_model._meta.db_table)} (task_id, {kolom(sk)}) "
            f"SELECT langkah.id, v.* FROM langkah, (VALUES {', '.join([baris(sk)] * n_surat)}) AS v "
            f"WHERE langkah.terbuka)"
        )
    sql += " SELECT kasus.{pk}, langkah.id, langkah.terbuka FROM kasus, langkah".format(pk=pk)
    _SQL_KASUS_BARU[key] = sql
    return sql


def sisip_kasus_baru(connection, case, tasks, surat):
    """Insert the unsaved ``case``, its ``tasks`` (at most one of them open) and the outbox
    rows ``surat`` addressed to the open Task, in one statement; set the ids on the objects
    as ``save()`` would. Needs :func:`boleh_sekaligus` and an open Task when ``surat``."""
    model, task_model = type(case), type(tasks[0])
    surat_model = type(surat[0]) if surat else None
    sql = _sql_kasus_baru(connection, model, task_model, len(tasks), surat_model, len(surat))
    params = _nilai(case, _cara(model), connection)
    for task in tasks:
        params += _nilai(task, _cara(task_model, ("case_id",)), connection)
    for row in surat:
        params += _nilai(row, _cara(surat_model, ("task_id",)), connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    case.pk = rows[0][0]
    case._state.adding, case._state.db = False, connection.alias
    case._update_initial_state()  # django-fsm: the state it was saved in, as save() records
    # Rows come back in the order of the VALUES list; matched on open/closed all the same.
    ids = {True: [r[1] for r in rows if r[2]], False: [r[1] for r in rows if not r[2]]}
    for task in tasks:
        task.pk = ids[task.finished_at is None].pop(0)
        task.case_id = case.pk
        task._state.adding, task._state.db = False, connection.alias
    opened = next((t for t in tasks if t.finished_at is None), None)
    for row in surat:
        row.task = opened
