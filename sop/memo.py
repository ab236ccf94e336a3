"""A per-process memo of what the busiest paths read but only an admin changes: the SOP steps
that open a case and the holidays an admin added (:func:`sop.services.start`), and the steps
of an officer's lanes that the queue shows (:mod:`sop.antrian`).

- ``get(key, load)``: the value kept under ``key``, loaded with ``load()`` when missing or
  older than :data:`TTL_SECONDS`. Values are shared by every caller, so they must be immutable.
- ``clear()``: drop this process's memo now and again when the current transaction commits;
  the commit also writes a new version under :data:`VERSION_KEY` in Django's default cache,
  which every process reads at most once every :data:`CHECK_SECONDS` and drops its memo when
  it changed. Saving or deleting a Sop, Lane, Step or HariLibur, and changing a user's groups,
  calls it (wired in sop.apps), and so does ``manage.py muat_sop``.
- While this thread's transaction holds such a change, uncommitted, ``get`` loads afresh and
  keeps nothing, so a rollback leaves no value behind.
- The TTL bounds what the version cannot tell: a per-process cache, the cache being down, a
  change made past the ORM.
"""

import logging
import threading
import time
import uuid

from django.core.cache import caches
from django.db import transaction

log = logging.getLogger(__name__)

VERSION_KEY = "sop:memo:version"
CHECK_SECONDS = 1.0
TTL_SECONDS = 60.0

_clock = time.monotonic
_entries = {}  # key -> (value, expiry on _clock)
_lock = threading.Lock()
_generation = 0  # bumped by every drop: a value loaded across a drop may be old, so is not kept
_version = None  # the version this process last read or wrote
_checked = float("-inf")
_thread = threading.local()  # .pending: a token while this thread's transaction holds a change


def get(key, load):
    """The value memoised under ``key``, loading it with ``load()`` when needed."""
    if _changing():
        return load()
    _check_version()
    now = _clock()
    entry = _entries.get(key)
    if entry is not None and entry[1] > now:
        return entry[0]
    generation = _generation
    value = load()
    with _lock:
        if generation == _generation:
            _entries[key] = (value, now + TTL_SECONDS)
    return value


def clear():
    """Drop the memo now, and on commit in this process and (through the cache) every other."""
    _drop()
    token = None
    if transaction.get_connection().in_atomic_block:
        # One token per transaction: the first of its commit callbacks announces the change.
        token = getattr(_thread, "pending", None) or object()
        _thread.pending = token
    transaction.on_commit(lambda: _committed(token), robust=True)


def reset():
    """Forget this process's memo and this thread's uncommitted change, telling no other
    process: for a test, which begins after the previous test's transaction was rolled back."""
    _drop()
    _thread.pending = None


def changed(sender, **kwargs):
    """Receiver of post_save and post_delete of the models the memo holds."""
    clear()


def request_started(sender, **kwargs):
    """Receiver of request_started: a request begins outside any transaction, so whatever this
    thread changed before has been committed or rolled back by now."""
    _thread.pending = None


def _changing():
    if getattr(_thread, "pending", None) is None:
        return False
    if transaction.get_connection().in_atomic_block:
        return True
    _thread.pending = None  # over without a commit callback of ours: rolled back
    return False


def _committed(token):
    if token is not None:
        if getattr(_thread, "pending", None) is not token:
            return  # announced by an earlier callback of the same transaction
        _thread.pending = None
    _drop()
    _announce()


def _drop():
    global _generation
    with _lock:
        _generation += 1
        _entries.clear()


def _announce():
    global _version
    version = uuid.uuid4().hex
    try:
        caches["default"].set(VERSION_KEY, version, None)
    except Exception:  # the other processes notice within TTL_SECONDS
        log.warning("memo: the new version could not be written to the cache", exc_info=True)
        return
    _version = version


def _check_version():
    global _version, _checked
    now = _clock()
    if now - _checked < CHECK_SECONDS:
        return
    _checked = now
    try:
        version = caches["default"].get(VERSION_KEY)
    except Exception:  # entries still expire after TTL_SECONDS
        log.debug("memo: the version could not be read from the cache", exc_info=True)
        return
    if version != _version:
        _version = version
        _drop()
