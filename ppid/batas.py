"""Per-client request limits for the public endpoints (complaint form, tracking page, the
register's search, staff login), counted in the cache.

A fixed window per limit: the key names the limit, the client and the window's number, and
one increment per request tells how many requests that client made in the window. On Redis
the count is shared by every gunicorn worker: one INCR per request, and the key's expiry set
by the request that created it; on the embedded default's local-memory cache the count is
per process (see ppid/settings.py).
If the cache cannot be reached the request is let through: a citizen's complaint matters
more than the limit.
"""

import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

log = logging.getLogger(__name__)


def client_ip(request):
    """The client's address: REMOTE_ADDR, or, behind PPID_TRUSTED_PROXIES proxies, the entry
    of X-Forwarded-For that the outermost trusted proxy wrote (entries left of it can be
    forged by the client). Also django-axes's address (AXES_CLIENT_IP_CALLABLE)."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.PPID_TRUSTED_PROXIES
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            address = hops[-proxies]
    for candidate in (address, request.META.get("REMOTE_ADDR", "")):
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None  # e.g. Client.force_login's bare request; axes stores no address then


def _client_key(request):
    address = client_ip(request)
    if address is None:
        return "tanpa-alamat"
    ip = ipaddress.ip_address(address)
    if ip.version == 6:
        if ip.ipv4_mapped:
            return str(ip.ipv4_mapped)
        # One household or phone gets a whole /64: count the network, not each address.
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def _sambungan(cache):
    """A connection of its own to the Redis server that holds ``cache``'s writes, kept with
    the cache object (one per thread, so never shared by two requests at once).

    Issue 8: through a redis-py client, taking a connection from its pool and giving it back
    (with the pool's check that nothing is left unread on it) cost as much as the INCR
    itself, on every public submission. The connection opens on first use and again after
    any error (redis-py closes it then); a server restart costs one request its count."""
    conn = cache.__dict__.get("_batas_sambungan")
    if conn is None:
        # Django's get_client(write=True) names the server writes go to, whatever the key.
        pool = cache._cache.get_client(write=True).connection_pool
        conn = cache.__dict__["_batas_sambungan"] = pool.connection_class(**pool.connection_kwargs)
    return conn


def _perintah(conn, *args):
    conn.send_command(*args)
    return conn.read_response()  # raises the server's error, if it answered one


def _increment(key, window):
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        full = cache.make_and_validate_key(key)
        conn = _sambungan(cache)
        # A plain INCR, and the expiry only when it created the key: one round trip per
        # request but the window's first (a redis-py Pipeline cost ~1 ms to build, issue 8).
        # A worker dying between the two leaves one key without expiry; the key names its
        # window, so no later window reads it: a stale key, never a wrong count.
        count = _perintah(conn, "INCR", full)
        if count == 1:
            _perintah(conn, "EXPIRE", full, window + 1)
        return count
    cache.add(key, 0, window + 1)
    return cache.incr(key)


def wait_seconds(request, name):
    """Count this request against limit ``name`` (settings.PPID_BATAS) and return 0 when it
    is allowed, else the seconds until the client's window ends."""
    allowed, window = settings.PPID_BATAS[name]
    if not allowed:
        return 0
    now = time.time()
    slot = int(now // window)
    try:
        count = _increment(f"batas:{name}:{_client_key(request)}:{slot}", window)
    except Exception:  # the cache is down or evicted the key: let the citizen through
        log.warning("batas %s: the cache could not count this request", name, exc_info=True)
        return 0
    if count <= allowed:
        return 0
    return max(1, int((slot + 1) * window - now) + 1)
