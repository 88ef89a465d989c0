"""One env-driven settings file.

Development defaults run the whole system on an embedded SQLite file under ``var/``.
``SOCORG_ENV=production`` refuses to start without ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("SOCORG_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {value!r}")


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


ENVIRONMENT = os.environ.get("SOCORG_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("SOCORG_ENV must be 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"
# Off unless asked for (DEBUG=1): Django's debug pages list every URL pattern and setting, so
# even `make run` shows the friendly error pages (templates/404.html …).
DEBUG = env_bool("DEBUG", default=False)

if PRODUCTION:
    SECRET_KEY = os.environ.get("SECRET_KEY", "")
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
    if len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("Production needs SECRET_KEY (at least 50 characters).")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("Production needs ALLOWED_HOSTS (comma-separated).")
    if DEBUG:
        raise ImproperlyConfigured("DEBUG must be off in production.")
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-key-not-for-production-" + "x" * 20)
    ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django_tasks",
    "django_tasks_db",
    "ninja",  # serves the API docs (Swagger UI) from local static files, not a CDN
    "socorg.core",
    "socorg.registry",
    "socorg.registration",
    "socorg.party",
    "socorg.supervision",
    "socorg.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "socorg.core.middleware.RequestContextMiddleware",
    "socorg.core.middleware.RequestSizeLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "socorg.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "socorg.core.middleware.InputGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication and messages: ends idle sessions, holds a session to the password
    # change or two-factor set-up it owes.
    "socorg.core.middleware.SessionPolicyMiddleware",
    "socorg.core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "socorg.urls"
WSGI_APPLICATION = "socorg.wsgi.application"
ASGI_APPLICATION = "socorg.asgi.application"

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
                "django.template.context_processors.i18n",
                "socorg.core.context_processors.navigation",
                "socorg.core.context_processors.csp_nonce",
            ],
        },
    }
]

# Database: embedded SQLite by default, PostgreSQL when DATABASE_URL is set.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(VAR_DIR / "socorg.sqlite3")),
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # One connection per worker for its life: opening one costs more than a request.
            "CONN_MAX_AGE": None,
            "CONN_HEALTH_CHECKS": True,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
# One backend with the login rules (lockout, demo accounts, two-factor) for every login form.
AUTHENTICATION_BACKENDS = ["socorg.core.auth.SocorgBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Length and character classes are rule parameters (MLPS-1), read by core.passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "socorg.core.passwords.PolicyValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("SOCORG_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Uploads: what the attachment service accepts.
SOCORG_UPLOAD_MAX_BYTES = int(os.environ.get("SOCORG_UPLOAD_MAX_BYTES", 20 * 1024 * 1024))
# A request's whole body (an upload plus its form fields); larger ones get 413 before they are
# read (core.middleware.RequestSizeLimitMiddleware).
SOCORG_REQUEST_MAX_BYTES = SOCORG_UPLOAD_MAX_BYTES + 1024 * 1024
# Form fields and JSON bodies (files excluded) are small: Django's default.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("SOCORG_DATA_MAX_BYTES", 2_621_440))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024  # larger files are spooled to a temporary file
# Per owning object (an application, a filing …): how many attachments and how many bytes.
SOCORG_ATTACHMENT_MAX_FILES_PER_OWNER = int(
    os.environ.get("SOCORG_ATTACHMENT_MAX_FILES_PER_OWNER", 60)
)
SOCORG_ATTACHMENT_MAX_BYTES_PER_OWNER = int(
    os.environ.get("SOCORG_ATTACHMENT_MAX_BYTES_PER_OWNER", 200 * 1024 * 1024)
)
# Workbook imports: what an .xlsx (a zip) may inflate to, checked before any XML is parsed.
SOCORG_XLSX_MAX_UNCOMPRESSED_BYTES = int(
    os.environ.get("SOCORG_XLSX_MAX_UNCOMPRESSED_BYTES", 25 * 1024 * 1024)
)
SOCORG_XLSX_MAX_RATIO = int(os.environ.get("SOCORG_XLSX_MAX_RATIO", 100))

# Audit trust (README, security): the chain's HMAC keys and the Ed25519 key that signs the
# checkpoints live outside the database, and so do the checkpoints. Development generates the
# keys on first use; production refuses to write audit rows until `socorg audit rotate-key`
# (chain key) and `socorg audit anchor` (signing key) have created them.
SOCORG_AUDIT_KEY_FILE = Path(
    os.environ.get("SOCORG_AUDIT_KEY_FILE", VAR_DIR / "keys" / "audit-chain-keys.json")
)
SOCORG_AUDIT_SIGNING_KEY_FILE = Path(
    os.environ.get("SOCORG_AUDIT_SIGNING_KEY_FILE", VAR_DIR / "keys" / "audit-anchor-ed25519.pem")
)
SOCORG_AUDIT_ANCHOR_DIR = Path(os.environ.get("SOCORG_AUDIT_ANCHOR_DIR", VAR_DIR / "audit-anchors"))
# The seeds of committed random-inspection plans, kept outside the database until the draw
# reveals them (only their SHA-256 commitment is published before).
SOCORG_INSPECTION_SEED_DIR = Path(
    os.environ.get("SOCORG_INSPECTION_SEED_DIR", VAR_DIR / "keys" / "inspection-seeds")
)
# Processes that compute the random-inspection draw's keys (and verify a draw): a million
# organizations take about half as long on two cores as on one.
SOCORG_DRAW_PROCESSES = int(os.environ.get("SOCORG_DRAW_PROCESSES", min(4, os.cpu_count() or 1)))
SOCORG_AUDIT_KEYS_AUTOCREATE = env_bool("SOCORG_AUDIT_KEYS_AUTOCREATE", default=not PRODUCTION)
# Audit rows are kept at least 180 days; `socorg audit purge` refuses anything younger.
SOCORG_AUDIT_RETENTION_DAYS = int(os.environ.get("SOCORG_AUDIT_RETENTION_DAYS", 180))
if SOCORG_AUDIT_RETENTION_DAYS < 180:
    raise ImproperlyConfigured("SOCORG_AUDIT_RETENTION_DAYS must be at least 180.")
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated);
# from anyone else the source address is REMOTE_ADDR.
SOCORG_TRUSTED_PROXIES = env_list("SOCORG_TRUSTED_PROXIES")
# Where `socorg backup` writes its archives.
SOCORG_BACKUP_DIR = Path(os.environ.get("SOCORG_BACKUP_DIR", VAR_DIR / "backups"))

# Login throttling (core.auth): per account name and per client address, a few free failures,
# then each further failure doubles the wait (1, 2, 4 … seconds, at most the cap). Failures
# older than the window are forgotten. Nothing locks an account for good.
SOCORG_LOGIN_FREE_FAILURES = 5
SOCORG_LOGIN_ADDRESS_FREE_FAILURES = 20
SOCORG_LOGIN_MAX_DELAY_SECONDS = 15 * 60
SOCORG_LOGIN_FAILURE_WINDOW_MINUTES = 24 * 60
# Mail to an account's owner (throttled logins); the console outside production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "socorg@localhost")

# Background tasks: the database backend is the embedded default; Redis (RQ) for scale.
REDIS_URL = os.environ.get("REDIS_URL", "")
TASK_BACKEND = os.environ.get("SOCORG_TASK_BACKEND", "database")
if TASK_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured("SOCORG_TASK_BACKEND=rq needs REDIS_URL.")
    INSTALLED_APPS += ["django_tasks_rq", "django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
elif TASK_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    raise ImproperlyConfigured("SOCORG_TASK_BACKEND must be database, rq or immediate.")

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "socorg_cache",
        }
    }
# Each process's own memory: representations keyed by their record's version
# (socorg.core.representations), which no other process can make stale.
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "socorg-representations",
    "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("SOCORG_LOCAL_CACHE_ENTRIES", 5000))},  # type: ignore[dict-item]
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SESSION_COOKIE_AGE = 8 * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    # Preloading is for public domains; an intranet host cannot be on the browsers' list.
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # fontTools logs every glyph of every subset it makes for a PDF at INFO.
        "fontTools": {"level": "WARNING"},
    },
}

# The demo cast may log in only outside production.
SOCORG_DEMO_USERS_ALLOWED = not PRODUCTION
# The jurisdiction this installation serves (GB/T 2260 code).
SOCORG_HOME_JURISDICTION = os.environ.get("SOCORG_HOME_JURISDICTION", "371100")
# Absolute base of public links printed on documents (the certificate's QR code).
SOCORG_PUBLIC_BASE_URL = os.environ.get("SOCORG_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# Where the CJK fonts for PDFs are (Debian's fonts-noto-cjk by default).
SOCORG_FONT_DIRS = env_list("SOCORG_FONT_DIRS") or ["/usr/share/fonts/opentype/noto"]
