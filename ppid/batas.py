"""Per-client request limits for the public endpoints (complaint form, tracking page, the
register's search, staff login), counted in Django's default cache.

A fixed window per limit: the key names the limit, the client and the window's number, and
one ``cache.incr`` per request tells how many requests that client made in the window (the
window's first request creates the key with ``cache.add``, expiring with the window). On
Redis (``CACHE_URL``) the count is shared by every process; on the embedded default's
local-memory cache it is per process. If the cache cannot be reached the request is let
through and the failure logged: a citizen's complaint matters more than the limit.
"""

import ipaddress
import logging
import time

from django.conf import settings
from django.core.cache import caches

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


def _increment(key, window):
    cache = caches["default"]
    try:
        return cache.incr(key)  # the window's count exists: one cache call
    except ValueError:  # the window's first request
        if cache.add(key, 1, window + 1):
            return 1
        return cache.incr(key)  # another request created it meanwhile


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
