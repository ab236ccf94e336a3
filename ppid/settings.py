"""All settings of the PPID Portal, in one module, read from the environment.

Every value comes from an environment variable through a typed helper below; a value that
does not parse stops the process with a message naming the variable (ImproperlyConfigured),
never a silent default. With no variable set at all, the portal runs in its embedded default:
SQLite and a filesystem Celery broker under ``var/``, mail to the console, debug on.

Scale-out: ``DATABASE_URL=postgres://...``, ``CELERY_BROKER_URL=redis://...``,
``CACHE_URL=redis://...``, ``EMAIL_HOST=...``. See README.md for the full list.
"""

import os
import re
from datetime import time
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


# --- typed helpers -------------------------------------------------------------------------

def env_str(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on", "ya"):
        return True
    if value in ("0", "false", "no", "off", "tidak"):
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false)")


def env_int(name, default, minimum=None, maximum=None):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ImproperlyConfigured(f"{name}={value} is outside {minimum}..{maximum}")
    return value


def env_float(name, default, minimum=None, maximum=None):
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number") from None
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise ImproperlyConfigured(f"{name}={value} is outside {minimum}..{maximum}")
    return value


def env_list(name, default=()):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name, default, choices):
    value = os.environ.get(name) or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} must be one of {', '.join(choices)}")
    return value


_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


def env_office_hours(name, default):
    """Parse office hours such as ``"mon-thu 07:30-16:00; fri 07:30-16:30"``.

    Returns ``{weekday: (start, end)}`` with Monday as 0. Days not named are closed.
    """
    raw = os.environ.get(name) or default
    hours = {}
    for part in filter(None, (p.strip() for p in raw.split(";"))):
        m = re.fullmatch(
            r"(mon|tue|wed|thu|fri|sat|sun)(?:-(mon|tue|wed|thu|fri|sat|sun))?\s+"
            r"(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})",
            part.lower(),
        )
        if not m:
            raise ImproperlyConfigured(
                f"{name}: cannot read {part!r}; write e.g. 'mon-thu 07:30-16:00; fri 07:30-16:30'"
            )
        first, last = _WEEKDAYS[m[1]], _WEEKDAYS[m[2] or m[1]]
        if last < first:
            raise ImproperlyConfigured(f"{name}: day range {part!r} runs backwards")
        try:
            start = time(int(m[3]), int(m[4]))
            # "24:00" closes at the end of the day, so an always-open office can be written.
            end = time.max if (m[5], m[6]) == ("24", "00") else time(int(m[5]), int(m[6]))
        except ValueError:
            raise ImproperlyConfigured(f"{name}: {part!r} has an impossible time") from None
        if end <= start:
            raise ImproperlyConfigured(f"{name}: {part!r} closes before it opens")
        for day in range(first, last + 1):
            hours[day] = (start, end)
    if not hours:
        raise ImproperlyConfigured(f"{name} names no open day")
    return hours


# --- core ----------------------------------------------------------------------------------

VAR_DIR = Path(env_str("PPID_VAR_DIR", str(BASE_DIR / "var"))).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off")
    SECRET_KEY = "embedded-default-not-for-production-" + "x" * 20
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "import_export",
    "axes",
    "csp",
    "ppid",
    "sop",
    "aduan",
    "opini",
    "publikasi",
    "arsip",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ppid.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After CSRF (a request without a token is refused before it is counted) and after auth.
    "ppid.middleware.BatasPermintaanMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ppid.urls"
WSGI_APPLICATION = "ppid.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ppid.context_processors.portal",
            ],
        },
    },
    # The officers' queue rows only (templates/jinja2/sop/): the one partial that prints a
    # hundred rows on every page, where Jinja2 renders them in a fraction of the time
    # (BENCHMARKS.md). Autoescaping is on, as in Django's own backend.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"autoescape": True},
    },
]

# --- database ------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ppid.sqlite3'}")
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0, 0))
except Exception as exc:  # dj_database_url raises several types for a bad URL
    raise ImproperlyConfigured(f"DATABASE_URL={DATABASE_URL!r} cannot be read: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE makes every transaction take the write lock at its start, so two writers
    # queue instead of failing with "database is locked" half-way; WAL lets readers go on.
    _db["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not :memory:, so a Celery worker started by the integration tests sees it.
    _db["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache ---------------------------------------------------------------------------------

CACHE_URL = env_str("CACHE_URL")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL == "":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(f"CACHE_URL={CACHE_URL!r}: only redis:// is supported (or leave it empty)")

# --- auth ----------------------------------------------------------------------------------

LOGIN_URL = "staf:masuk"
LOGIN_REDIRECT_URL = "sop:antrian"
LOGOUT_REDIRECT_URL = "staf:masuk"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env_int("PPID_SESSION_SECONDS", 8 * 3600, 300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("PPID_SESSION_BROWSER_CLOSE", False)
SESSION_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "ppid.views.csrf_failure"

# django-axes: a staff login (/staf/masuk/ and the admin's) is locked for a user name from
# one address after PPID_LOGIN_FAILURES wrong passwords, for PPID_LOGIN_LOCK_MINUTES. The
# pair, not the address alone, so one officer's typos do not lock a whole office behind one
# NAT; guessing across many names from one address is capped by the "masuk" limit below.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("PPID_LOGIN_FAILURES", 5, 1, 100)
AXES_COOLOFF_TIME = env_int("PPID_LOGIN_LOCK_MINUTES", 15, 1, 24 * 60) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ppid.views.terkunci"
AXES_CLIENT_IP_CALLABLE = "ppid.batas.client_ip"
AXES_VERBOSE = False

# --- abuse limits on public endpoints ------------------------------------------------------
# Per client address, counted in the cache (one round trip per request) in fixed windows.
# With CACHE_URL=redis://... every gunicorn worker shares one count. The embedded default's
# cache is local memory, per process: exact under `manage.py serve` (one web process), N
# times looser under N workers. PPID_BATAS_<NAME>=0 switches a limit off.
# Behind a reverse proxy, PPID_TRUSTED_PROXIES is how many proxies append to
# X-Forwarded-For (the client is that many entries from the right); 0 (the default) ignores
# the header, which a client can forge.
PPID_TRUSTED_PROXIES = env_int("PPID_TRUSTED_PROXIES", 0, 0, 5)
PPID_BATAS = {
    # name: (requests allowed, per this many seconds)
    "aduan": (env_int("PPID_BATAS_ADUAN", 10, 0), env_int("PPID_BATAS_ADUAN_DETIK", 3600, 1)),
    "lacak": (env_int("PPID_BATAS_LACAK", 30, 0), env_int("PPID_BATAS_LACAK_DETIK", 600, 1)),
    "cari": (env_int("PPID_BATAS_CARI", 120, 0), env_int("PPID_BATAS_CARI_DETIK", 600, 1)),
    "masuk": (env_int("PPID_BATAS_MASUK", 30, 0), env_int("PPID_BATAS_MASUK_DETIK", 600, 1)),
}
# The complaint form refuses a submission sent sooner than this after the form was served
# (a signed time in the form); 0 switches the check off. Bots also fill a hidden field.
PPID_ADUAN_MIN_DETIK = env_int("PPID_ADUAN_MIN_DETIK", 3, 0, 600)

# --- HTTPS and browser protections ---------------------------------------------------------
# PPID_HTTPS defaults to on when debug is off: HTTPS redirect, HSTS, secure cookies. Set it
# to false only for a plain-HTTP run on localhost (a benchmark, a demo without TLS).
PPID_HTTPS = env_bool("PPID_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = PPID_HTTPS and env_bool("PPID_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PPID_HTTPS
SECURE_HSTS_SECONDS = env_int("PPID_HSTS_SECONDS", 365 * 24 * 3600, 0) if PPID_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("PPID_HSTS_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("PPID_HSTS_PRELOAD", True)
if PPID_TRUSTED_PROXIES:
    # The proxy terminates TLS and says so; without a trusted proxy the header is ignored.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No inline script or style anywhere: every script and stylesheet is a file under /static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- language and time ---------------------------------------------------------------------

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- files ---------------------------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request otherwise
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded attachments are private: MEDIA_ROOT is never served by URL; staff read them
# through a view that checks access.
MEDIA_ROOT = Path(env_str("PPID_MEDIA_ROOT", str(VAR_DIR / "media"))).resolve()
MEDIA_URL = "/media-tidak-dilayani/"
# Backups (manage.py cadangkan / pulihkan): one archive of the database and MEDIA_ROOT each.
PPID_BACKUP_DIR = Path(env_str("PPID_BACKUP_DIR", str(VAR_DIR / "cadangan"))).resolve()

PPID_ATTACHMENT_MAX_BYTES = env_int("PPID_ATTACHMENT_MAX_MB", 5, 1, 100) * 1024 * 1024
PPID_ATTACHMENT_MAX_COUNT = env_int("PPID_ATTACHMENT_MAX_COUNT", 3, 0, 20)
# The whole request is refused before Django parses it when it is larger than this.
PPID_REQUEST_MAX_BYTES = PPID_ATTACHMENT_MAX_BYTES * max(PPID_ATTACHMENT_MAX_COUNT, 1) + 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- mail ----------------------------------------------------------------------------------

EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 25, 1, 65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, 1)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "PPID Portal <ppid@localhost>")

# --- Celery --------------------------------------------------------------------------------
# The embedded default is kombu's filesystem transport under var/broker, so `make run` needs
# no server. An empty CELERY_BROKER_URL makes tasks run eagerly in the caller (no worker).

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", CELERY_BROKER_URL == "")
CELERY_BROKER_DIR = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for _sub in ("queue", "processed", "control"):
        (CELERY_BROKER_DIR / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A publish must fail fast when the broker is down: the outbox keeps the message and the
# next sweep delivers it, so a citizen's request never hangs on a dead broker.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY = False

# --- the SOP engine ------------------------------------------------------------------------

# Office hours: minute and hour standards count only this time; staff mail goes out only in it.
PPID_OFFICE_HOURS = env_office_hours("PPID_OFFICE_HOURS", "mon-thu 07:30-16:00; fri 07:30-16:30")
# How "N jam" counts: office time (the default, as minutes do) or the plain clock.
PPID_HOURS_CLOCK = env_choice("PPID_HOURS_CLOCK", "office", ("office", "calendar"))
# How a bare "N hari" counts: calendar days (the document does not say "kerja") or working days.
PPID_DAYS_CLOCK = env_choice("PPID_DAYS_CLOCK", "calendar", ("calendar", "working"))
# "seketika" (instant) steps are done by a person: they get this many office minutes.
PPID_INSTANT_GRACE_MINUTES = env_int("PPID_INSTANT_GRACE_MINUTES", 30, 0, 24 * 60)
# A reminder goes out when this share of a step's standard has passed.
PPID_REMINDER_SHARE = env_float("PPID_REMINDER_SHARE", 0.75, 0.05, 0.99)
# How often Celery beat sweeps the Task table.
PPID_SWEEP_SECONDS = env_int("PPID_SWEEP_SECONDS", 60, 5)
# Notification delivery: attempts before a message is given up (it stays visible in admin).
PPID_NOTIFY_MAX_ATTEMPTS = env_int("PPID_NOTIFY_MAX_ATTEMPTS", 12, 1)
# Holidays from the `holidays` package: Indonesia, public holidays and cuti bersama.
PPID_HOLIDAY_COUNTRY = env_str("PPID_HOLIDAY_COUNTRY", "ID")

PPID_OFFICE_NAME = env_str("PPID_OFFICE_NAME", "PPID Dinas Komunikasi dan Informatika Kabupaten Demak")
PPID_SITE_URL = env_str("PPID_SITE_URL", "http://127.0.0.1:8000")

# --- import and export (django-import-export, in the admin) --------------------------------
# A file is imported in one transaction: a file with any bad row imports nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# The uploaded file waits for its confirmation under MEDIA_ROOT (private, never served by
# URL), so the preview and the confirmation may be answered by different processes.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
# For any admin that does not say otherwise: import needs "change", export "view".
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# A control character a citizen typed must not make an XLSX export fail: it is replaced.
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("PPID_LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools report every layout step at INFO: a PDF would print a dozen lines.
    "loggers": {name: {"level": "WARNING"} for name in ("django.db.backends", "axes", "weasyprint", "fontTools")},
}
