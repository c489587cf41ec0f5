"""Pustaka settings: everything comes from environment variables, with safe defaults.

- ``PUSTAKA_HOME``: the library's data folder (database, files, index); default ``./pustaka-data``.
- ``DATABASE_URL``: e.g. ``postgres://user@host:5432/db``; default SQLite in WAL mode under the home.
- ``REDIS_URL``: background jobs and the shared cache go through Redis when set, else SQLite and files.
- ``PUSTAKA_SECRET_KEY``: at least 32 characters (a shorter one stops every program at start with
  ``ImproperlyConfigured``); when unset, with DEBUG on or off, a random key is made once and kept in
  ``$PUSTAKA_HOME/secret_key`` (readable by its owner only), so a library on a laptop needs no setting
  and every process of one home shares the key (``core/tests/test_settings.py`` proves both).
- ``PUSTAKA_DEBUG``: ``1``/``true``/``yes`` for Django's debug pages; default off.
- ``PUSTAKA_ALLOWED_HOSTS``: comma-separated; default ``localhost,127.0.0.1,[::1]``.

The test suite runs with :mod:`pustaka.settings_test`, which changes only what tests need.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
HOME = Path(os.environ.get("PUSTAKA_HOME", "pustaka-data")).resolve()
HOME.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("PUSTAKA_DEBUG", "0").lower() in {"1", "true", "yes"}


def _secret_key() -> str:
    """Take the key from the environment, else from (or into) a private file in the home folder."""
    key = os.environ.get("PUSTAKA_SECRET_KEY")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("PUSTAKA_SECRET_KEY must be at least 32 characters long.")
        return key
    key_file = HOME / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    key_file.touch(mode=0o600)
    key_file.write_text(key)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("PUSTAKA_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",") if h.strip()
]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("PUSTAKA_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "pustaka.core",
    "pustaka.search",
    "pustaka.recordcache",
    "pustaka.catalog",
    "pustaka.holdings",
    "pustaka.accessions",
    "pustaka.notify",
    "pustaka.maintenance",
    "pustaka.technical",
    "pustaka.patrons",
    "pustaka.circulation",
    "pustaka.digital",
    "pustaka.programs",
    "pustaka.reference",
    "pustaka.visitors",
    "pustaka.clearance",
    "pustaka.acquisitions",
    "pustaka.authorities",
    "pustaka.copycat",
    "pustaka.reports",
    "pustaka.staff",
    "pustaka.commands",
    "pustaka.opac",
    "huey.contrib.djhuey",
    "ninja",  # serves Swagger UI's files from /static/ninja/ (the API docs work without internet)
    "axes",  # login limits (see the AXES_ settings below)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "pustaka.core.middleware.RequestIdMiddleware",
    "pustaka.protocols.lean.ProtocolMiddleware",  # /sru, /oai, /opds feeds: no session, CSRF, auth
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "pustaka.urls"
WSGI_APPLICATION = "pustaka.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

if os.environ.get("DATABASE_URL"):
    # Persistent connections (the test settings turn them off: test threads must not keep databases open).
    _max_age = int(os.environ.get("PUSTAKA_DB_CONN_MAX_AGE", "60"))
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=_max_age)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": HOME / "pustaka.sqlite3",
            "OPTIONS": {
                # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
                # the start of a transaction so two desks never deadlock on an upgrade.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                    " PRAGMA busy_timeout=10000; PRAGMA cache_size=-64000;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # A file, not memory, so tests with threads (two desks at once) see one shared database.
            "TEST": {"NAME": str(HOME / "test-pustaka.sqlite3")},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "staff:login"

# Login limits (django-axes; pustaka/core/login_limits.py): the staff and patron web logins and OPDS
# HTTP Basic count failures per account, not per address. Five wrong passwords lock that account for
# 15 minutes; other accounts behind the same address still log in; an address with many failures is
# only slowed down.
AUTHENTICATION_BACKENDS = [
    "pustaka.core.login_limits.LoginLimitBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"  # shared by every process, SQLite or PostgreSQL
AXES_FAILURE_LIMIT = int(os.environ.get("PUSTAKA_LOGIN_MAX_FAILURES", "5"))
AXES_COOLOFF_TIME = timedelta(seconds=int(os.environ.get("PUSTAKA_LOGIN_LOCKOUT_SECONDS", "900")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_CALLABLE = "pustaka.core.login_limits.account_name"
AXES_LOCKOUT_CALLABLE = "pustaka.core.login_limits.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lock ends 15 minutes after it began
AXES_DISABLE_ACCESS_LOG = True  # successful logins are not logged row by row
AXES_ENABLE_ADMIN = False
AXES_VERBOSE = False
# axes.W006 asks to lock per address too: deliberately not (a school behind one NAT address); addresses
# are slowed down instead (login_limits.slow_down_address), and a username lock is unaffected by rotating
# user agents or cookies.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
PUSTAKA_LOGIN_ADDRESS_FREE_FAILURES = int(os.environ.get("PUSTAKA_LOGIN_ADDRESS_FREE_FAILURES", "20"))
PUSTAKA_LOGIN_MAX_DELAY = float(os.environ.get("PUSTAKA_LOGIN_MAX_DELAY", "3"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("PUSTAKA_TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = HOME / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_MAX_AGE = 3600

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Uploads (MARC files from the browser): keep big files on disk, refuse absurd sizes.
PUSTAKA_MAX_UPLOAD_MB = int(os.environ.get("PUSTAKA_MAX_UPLOAD_MB", "50"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REDIS_URL = os.environ.get("REDIS_URL", "")
PUSTAKA_INDEX_DIR = HOME / "index"
# Several nodes on one database (docs/deploy.md): each node's index is a replica named PUSTAKA_NODE_NAME
# (default: host name and home folder) that follows the change log from its own sequence; the log is
# pruned once every replica heard from within PUSTAKA_REPLICA_TIMEOUT seconds has passed it, keeping
# rows younger than PUSTAKA_CHANGELOG_KEEP_SECONDS (a long transaction may still fill a hole below them).
PUSTAKA_NODE_NAME = os.environ.get("PUSTAKA_NODE_NAME", "")
PUSTAKA_REPLICA_TIMEOUT = int(os.environ.get("PUSTAKA_REPLICA_TIMEOUT", str(24 * 3600)))
PUSTAKA_REPLICA_HEARTBEAT = float(os.environ.get("PUSTAKA_REPLICA_HEARTBEAT", "5"))
PUSTAKA_CHANGELOG_PRUNE_EVERY = float(os.environ.get("PUSTAKA_CHANGELOG_PRUNE_EVERY", "60"))
PUSTAKA_CHANGELOG_KEEP_SECONDS = int(os.environ.get("PUSTAKA_CHANGELOG_KEEP_SECONDS", "900"))
PUSTAKA_REPORTS_DIR = HOME / "reports"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("PUSTAKA_LOG_LEVEL", "WARNING")},
}

# OAI-PMH (/oai): the repository identifier should be the library's domain name, so identifiers
# (oai:<id>:<record>) stay the same whatever host name a harvester uses.
OAI_REPOSITORY_ID = os.environ.get("PUSTAKA_OAI_REPOSITORY_ID", "")
OAI_ADMIN_EMAIL = os.environ.get("PUSTAKA_OAI_ADMIN_EMAIL", "")
OAI_PAGE_SIZE = int(os.environ.get("PUSTAKA_OAI_PAGE_SIZE", "100"))
OAI_TOKEN_LIFETIME = int(os.environ.get("PUSTAKA_OAI_TOKEN_LIFETIME", str(7 * 24 * 3600)))

# A cache shared by every process of the library (login rate limits, for one): Redis when REDIS_URL is
# set, else files under the home folder.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(HOME / "cache")}
    }

# Background jobs (``pustaka worker``): huey with SQLite storage in the home folder, or Redis when
# REDIS_URL is set.
HUEY = {
    "name": "pustaka",
    "immediate": os.environ.get("PUSTAKA_JOBS_IMMEDIATE", "0") == "1",
    "utc": True,
    "consumer": {"workers": int(os.environ.get("PUSTAKA_WORKERS", "2")), "worker_type": "thread"},
}
if REDIS_URL:
    HUEY |= {"huey_class": "huey.RedisHuey", "url": REDIS_URL}
else:
    HUEY |= {"huey_class": "huey.SqliteHuey", "filename": str(HOME / "jobs.sqlite3")}

# E-mail (notices): SMTP when PUSTAKA_EMAIL_HOST is set, otherwise files under the home folder
# (the demo library's notices can be read there).
DEFAULT_FROM_EMAIL = os.environ.get("PUSTAKA_EMAIL_FROM", "perpustakaan@localhost")
EMAIL_TIMEOUT = int(os.environ.get("PUSTAKA_EMAIL_TIMEOUT", "30"))  # a hung mail server never stalls the worker
if os.environ.get("PUSTAKA_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["PUSTAKA_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("PUSTAKA_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("PUSTAKA_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("PUSTAKA_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("PUSTAKA_EMAIL_TLS", "1") == "1"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(HOME / "mail")

# WhatsApp and SMS notices (pustaka.notify): "file" writes them to $PUSTAKA_HOME/notices/outbox.jsonl
# (the demo); "http" POSTs JSON to the provider's URL with the token as a Bearer header.
NOTICE_GATEWAY = os.environ.get("PUSTAKA_NOTICE_GATEWAY", "file")
NOTICE_GATEWAY_URL = os.environ.get("PUSTAKA_NOTICE_GATEWAY_URL", "")
NOTICE_GATEWAY_TOKEN = os.environ.get("PUSTAKA_NOTICE_GATEWAY_TOKEN", "")
NOTICE_GATEWAY_TIMEOUT = float(os.environ.get("PUSTAKA_NOTICE_GATEWAY_TIMEOUT", "10"))

# Digital files: content-addressed store under the home folder (S3 through django-storages when
# PUSTAKA_S3_BUCKET is set); uploads larger than this are refused.
PUSTAKA_FILES_DIR = HOME / "files"
PUSTAKA_MAX_FILE_MB = int(os.environ.get("PUSTAKA_MAX_FILE_MB", "500"))
PUSTAKA_S3_BUCKET = os.environ.get("PUSTAKA_S3_BUCKET", "")
# The store's backend is STORAGES["files"]: the folder above, or S3 (django-storages, `pustaka[s3]`) when
# PUSTAKA_S3_BUCKET is set; the keys come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY as boto3 reads them.
if PUSTAKA_S3_BUCKET:
    STORAGES["files"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": PUSTAKA_S3_BUCKET,
            "location": os.environ.get("PUSTAKA_S3_PREFIX", "files"),
            "endpoint_url": os.environ.get("PUSTAKA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("PUSTAKA_S3_REGION") or None,
            "file_overwrite": True,  # names are hashes: the same name is the same bytes
            "default_acl": None,
            "querystring_auth": True,
        },
    }
else:
    STORAGES["files"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PUSTAKA_FILES_DIR},
    }
# When a front server (nginx) serves protected files: "nginx" sends X-Accel-Redirect, "apache"
# X-Sendfile; empty streams the file from Python (with Range support).
PUSTAKA_SENDFILE = os.environ.get("PUSTAKA_SENDFILE", "")
PUSTAKA_SENDFILE_PREFIX = os.environ.get("PUSTAKA_SENDFILE_PREFIX", "/protected-files/")

# SIP2 self-check: failed logins per connection address before a pause (seconds).
SIP2_MAX_FAILED_LOGINS = int(os.environ.get("PUSTAKA_SIP2_MAX_FAILED_LOGINS", "5"))
SIP2_LOCKOUT_SECONDS = int(os.environ.get("PUSTAKA_SIP2_LOCKOUT_SECONDS", "300"))

# Digital library access: a patron counts as a concurrent reader of a resource for this many minutes
# after their last granted view or download (licences with a concurrent-user limit).
PUSTAKA_CONCURRENCY_MINUTES = int(os.environ.get("PUSTAKA_CONCURRENCY_MINUTES", "15"))

# Fixity (``pustaka worker`` at night): re-hash files not checked in this many days, at most this many
# files a night (0: no limit).
PUSTAKA_FIXITY_DAYS = int(os.environ.get("PUSTAKA_FIXITY_DAYS", "30"))
PUSTAKA_FIXITY_LIMIT = int(os.environ.get("PUSTAKA_FIXITY_LIMIT", "0"))

# SIP2 server limits: open connections, seconds a silent connection stays open, database threads,
# longest frame accepted (bytes); whether a patron must give their PIN (AD) before lending/renewing.
SIP2_MAX_CONNECTIONS = int(os.environ.get("PUSTAKA_SIP2_MAX_CONNECTIONS", "200"))
SIP2_IDLE_SECONDS = int(os.environ.get("PUSTAKA_SIP2_IDLE_SECONDS", "600"))
SIP2_WORKERS = int(os.environ.get("PUSTAKA_SIP2_WORKERS", "8"))
SIP2_MAX_LINE = int(os.environ.get("PUSTAKA_SIP2_MAX_LINE", "4096"))
SIP2_ALWAYS_CHECKSUM = os.environ.get("PUSTAKA_SIP2_ALWAYS_CHECKSUM", "0").lower() in {"1", "true", "yes"}
SIP2_REQUIRE_PATRON_PIN = os.environ.get("PUSTAKA_SIP2_REQUIRE_PATRON_PIN", "1").lower() in {"1", "true", "yes"}
