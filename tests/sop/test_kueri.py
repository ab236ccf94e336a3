"""The queue's hand-written statements run prepared on PostgreSQL (sop/kueri.py): prepared in
the first call's round trip, executed by name afterwards, with the same answers as the plain
statement; prepared again on a new connection; plain on SQLite and when turned off."""

import threading
from datetime import datetime, timezone

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from sop.kueri import BATAS_PERNYATAAN, _bernomor, _Siap, jalankan

pytestmark = pytest.mark.django_db

SQL = "SELECT %s + 1, %s, %s, CAST(%s AS text) || '%%'"
PARAMS = [41, True, datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc), "50"]
POSTGRES = connection.vendor == "postgresql"


def run(sql=SQL, params=PARAMS):
    with CaptureQueriesContext(connection) as queries:
        with connection.cursor() as cursor:
            jalankan(cursor, sql, params)
            rows = cursor.fetchall()
    assert len(queries) == 1  # one round trip, cold or warm
    return rows, queries[0]["sql"]


def prepared_names():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


def test_placeholders_are_numbered_for_prepare():
    assert _bernomor("a = %s AND b IN (%s, %s)") == "a = $1 AND b IN ($2, $3)"


def test_a_statement_answers_the_same_prepared_as_plain():
    first, first_sql = run()
    second, second_sql = run()
    assert first == second
    value, flag, moment, text = first[0]
    assert (value, flag, text) == (42, True, "50%")
    assert moment == PARAMS[2] or str(moment).startswith("2026-11-23")  # SQLite hands back text
    if POSTGRES:
        assert "; PREPARE ppid_" in first_sql and "; EXECUTE ppid_" in first_sql
        assert second_sql.startswith("EXECUTE ppid_")
        assert second_sql.split()[1] in prepared_names()
    else:
        assert "PREPARE" not in first_sql + second_sql


def test_other_parameter_types_make_another_statement():
    run()
    rows, sql = run(params=[1, False, PARAMS[2], "x"])
    assert rows[0][0] == 2 and rows[0][3] == "x%"
    if POSTGRES:
        assert "EXECUTE" in sql  # same types: the statement prepared by the first call
        rows, sql = run("SELECT %s || 'a'", ["b"])
        assert rows == [("ba",)] and "PREPARE" in sql


def test_another_connection_prepares_its_own():
    run()
    answers = []

    def elsewhere():  # another thread: another server connection, as another worker has
        try:
            answers.append(run())
        finally:
            connection.close()

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    (rows, sql), = answers
    assert rows[0][0] == 42
    assert ("PREPARE" in sql) if POSTGRES else ("PREPARE" not in sql)
    assert run()[1].startswith("EXECUTE") if POSTGRES else True


def test_too_many_statements_are_dropped_together():
    if not POSTGRES:
        assert run()[0][0][0] == 42
        return
    with connection.cursor() as cursor:  # start as a new connection does: nothing prepared
        cursor.execute("DEALLOCATE ALL")
    connection.ppid_siap = _Siap()
    for i in range(BATAS_PERNYATAAN):
        run(f"SELECT %s + {i}", [1])
    assert len(prepared_names()) == BATAS_PERNYATAAN
    rows, sql = run("SELECT %s * 2", [21])
    assert rows == [(42,)] and sql.startswith("DEALLOCATE ALL; ") and "PREPARE" in sql
    assert len(prepared_names()) == 1


def plans(sql):
    with connection.cursor() as cursor:
        cursor.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement LIKE %s",
                       [f"%{_bernomor(sql).replace('%%', '%')}%"])
        return cursor.fetchall()


def test_a_statement_is_planned_once_generically_from_its_first_run():
    sql = "SELECT count(*) FROM auth_user WHERE id > %s"
    for _ in range(3):
        rows, _ = run(sql, [0])
    if not POSTGRES:
        assert rows[0][0] >= 0 and "PREPARE" not in run(sql, [0])[1]
        return
    # Left to itself the server plans a prepared statement with its values on its first five runs.
    assert plans(sql) == [(3, 0)]


def test_a_rolled_back_transaction_loses_the_plan_setting_until_the_next_prepare():
    if not POSTGRES:
        assert run()[0][0][0] == 42
        return

    def mode():
        with connection.cursor() as cursor:
            cursor.execute("SHOW plan_cache_mode")
            return cursor.fetchone()[0]

    with connection.cursor() as cursor:
        cursor.execute("RESET plan_cache_mode")
    with pytest.raises(RuntimeError), transaction.atomic():
        run("SELECT %s - 1", [43])
        assert mode() == "force_generic_plan"
        raise RuntimeError
    assert mode() == "auto" and run("SELECT %s - 1", [43])[0] == [(42,)]  # still prepared
    run("SELECT %s - 2", [44])
    assert mode() == "force_generic_plan"


def test_turned_off_the_statement_runs_plain(settings):
    settings.PPID_DB_PREPARED = False
    rows, sql = run()
    assert rows[0][0] == 42 and "PREPARE" not in sql and "EXECUTE" not in sql
