"""Settings of the benchmark: the portal's own settings plus the bench-only URLs (the two
baseline views) and their template. Nothing here ships in the app.

A first middleware reports the server's time on each request in response headers.
Debug is off (as in production: no query log in memory, compressed static storage) and
database connections persist between requests (``DATABASE_CONN_MAX_AGE``), as a production
deployment should run; both can still be set from the environment.
"""

import os

os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret-" + "b" * 40)
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "600")
os.environ.setdefault("PPID_LOG_LEVEL", "WARNING")
# Plain HTTP on 127.0.0.1: no HTTPS redirect, no secure-only cookies.
os.environ.setdefault("PPID_HTTPS", "0")
# The complaint form's per-address limit stays on (its cache round trip is part of every
# submission's cost), but so high that the load from one address is never refused.
os.environ.setdefault("PPID_BATAS_ADUAN", str(10**9))

from ppid.settings import *  # noqa: E402,F401,F403
from ppid.settings import BASE_DIR, MIDDLEWARE, TEMPLATES  # noqa: E402

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
# The server's own time on each request, in response headers (bench/timing.py).
MIDDLEWARE = ["bench.timing.ServerTiming", *MIDDLEWARE]
