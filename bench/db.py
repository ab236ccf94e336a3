"""The bench database: created when missing, rebuilt when its data set is not the one asked for.

The marker (table ``bench_meta``) records what was generated: N, the generator's version and
the workflows registered. A run with the same marker reuses the data; any other is a fresh
database (drop, create, migrate), so no stale rows from an earlier shape can remain.
"""

import json
from urllib.parse import urlsplit

import psycopg2
from psycopg2 import sql

META_TABLE = "bench_meta"


def _params(url):
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(f"make bench needs PostgreSQL: DATABASE_URL={url!r}")
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": parts.username or "postgres",
        "password": parts.password or None,
        "dbname": parts.path.lstrip("/"),
    }


def _admin(params):
    conn = psycopg2.connect(**{**params, "dbname": "postgres"})
    conn.autocommit = True
    return conn


def exists(url):
    params = _params(url)
    with _admin(params) as conn, conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [params["dbname"]])
        found = cur.fetchone() is not None
    conn.close()
    return found


def create(url, drop=False):
    params = _params(url)
    conn = _admin(params)
    with conn.cursor() as cur:
        name = sql.Identifier(params["dbname"])
        if drop:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [params["dbname"]],
            )
            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name))
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [params["dbname"]])
        if cur.fetchone() is None:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(name))
    conn.close()


def read_marker(url):
    """The marker of the data set in the database, or None."""
    if not exists(url):
        return None
    conn = psycopg2.connect(**_params(url))
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT to_regclass(%s)", [META_TABLE])
            if cur.fetchone()[0] is None:
                return None
            cur.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'dataset'")
            row = cur.fetchone()
            return row[0] if row else None
    finally:
        conn.close()


def write_marker(cursor, marker):
    cursor.execute(
        f"INSERT INTO {META_TABLE} (key, value) VALUES ('dataset', %s) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        [json.dumps(marker)],
    )


def create_bench_tables(cursor):
    """Bench-only tables, outside the app's migrations: the marker and the baseline's rows."""
    cursor.execute(f"CREATE TABLE IF NOT EXISTS {META_TABLE} (key text PRIMARY KEY, value jsonb NOT NULL)")
    cursor.execute(
        "CREATE TABLE IF NOT EXISTS bench_kiriman (id bigserial PRIMARY KEY, uraian text NOT NULL, "
        "lokasi varchar(300) NOT NULL, kategori varchar(30) NOT NULL, dibuat timestamptz NOT NULL)"
    )


def read_clock(cursor):
    """When the open steps of the data set were last current (the generator's "now")."""
    from datetime import datetime

    cursor.execute(f"SELECT value FROM {META_TABLE} WHERE key = 'clock'")
    row = cursor.fetchone()
    if not row:
        return None
    value = row[0]
    if isinstance(value, str) and value.startswith('"'):
        value = json.loads(value)  # Django's cursor hands jsonb over as text
    return datetime.fromisoformat(value)


def write_clock(cursor, moment):
    cursor.execute(
        f"INSERT INTO {META_TABLE} (key, value) VALUES ('clock', %s) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
        [json.dumps(moment.isoformat())],
    )
