"""Ayni settings, read from the environment (see .env.example).

Loud on bad values: a missing SECRET_KEY with DEBUG off, or an unknown boolean,
stops the process at start-up instead of running half-configured.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("AYNI_VAR_DIR") or BASE_DIR / "var")


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
DEMO_MODE = env_bool("AYNI_DEMO_MODE", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "insecure-dev-key-only-for-debug"  # noqa: S105
    else:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address: every e-mailed link, verification URL and QR code is built on it.
# `make run` derives it from its HOST and PORT; production must set it.
SITE_URL = (os.environ.get("SITE_URL") or "").rstrip("/")
if not SITE_URL:
    if DEBUG:
        SITE_URL = "http://127.0.0.1:8000"
    else:
        raise ImproperlyConfigured(
            "SITE_URL is required when DEBUG is off (e.g. https://ayni.gob.pe)"
        )
if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured("SITE_URL must start with http:// or https://")

INSTALLED_APPS = [
    "ayni.accounts.admin_apps.AyniAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "ayni.core",
    "ayni.org",
    "ayni.accounts",
    "ayni.personnel",
    "ayni.payroll",
    "ayni.reports",
    "ayni.desk",
    "ayni.portal",
    "ayni.supervision",
    "ayni.benefits",
    "ayni.dataprotection",
    "ayni.sharing",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_otp_webauthn",
    "ayni.identity",
    "ninja",  # the REST API (issue 15); its Swagger UI assets are served from here
    "ayni.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ayni.core.middleware.SecurityHeadersMiddleware",
    "ayni.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "ayni.core.errors.UserErrorMiddleware",
    "ayni.core.errors.DemoNotFoundMiddleware",
    "ayni.accounts.middleware.IdleTimeoutMiddleware",
    "ayni.accounts.middleware.PrivacyNoticeMiddleware",
    "ayni.identity.middleware.SessionRecordMiddleware",
    "ayni.identity.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "ayni.urls"
CSRF_FAILURE_VIEW = "ayni.core.error_views.csrf_failure"
WSGI_APPLICATION = "ayni.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "ayni" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ayni.core.context_processors.ayni",
            ],
            # Django's i18n tags, `{% translate "constant" %}` looked up once per language
            "libraries": {"i18n": "ayni.core.templatetags.i18n_once"},
        },
    },
]
# templates.W003 warns that two modules register the name "i18n": ours replaces Django's
# on purpose (above), and the check cannot tell that from an accident.
SILENCED_SYSTEM_CHECKS = ["templates.W003"]

# Database: DATABASE_URL, default a SQLite file under var/. SQLite runs in WAL
# mode with IMMEDIATE transactions so the web server and the task worker share it.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'ayni.sqlite3'}",
        # Persistent connections in production: a new PostgreSQL backend per request
        # cost more CPU than the request itself on payment day (docs/benchmarks.md).
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests on a file, as the server runs, not Django's in-memory default: the browser
    # tests' live server then gives each thread its own connection that waits for a lock
    # (a double click's two requests queue, as in production) instead of sharing one
    # connection and failing at once with «database table is locked».
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-ayni.sqlite3")}
# Streaming replicas (issue 18, docs/scaling.md): DATABASE_REPLICA_URLS, comma-separated,
# become the aliases replica_1, replica_2, …; read-only pages read from them through
# ayni.core.dbrouter, with read-your-writes for DATABASE_REPLICA_PIN_SECONDS after a write.
# None configured: no router, everything on default.
for _n, _url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    DATABASES[f"replica_{_n}"] = {
        **dj_database_url.parse(
            _url,
            conn_max_age=DATABASES["default"]["CONN_MAX_AGE"],
            conn_health_checks=True,
        ),
        "OPTIONS": {"connect_timeout": env_int("DATABASE_REPLICA_CONNECT_TIMEOUT", 2)},
        "TEST": {"MIRROR": "default"},
    }
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["ayni.core.dbrouter.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("ayni.core.middleware.NoStoreMiddleware") + 1,
        "ayni.core.replica_middleware.ReplicaRoutingMiddleware",
    )
DATABASE_REPLICA_PIN_SECONDS = env_int("DATABASE_REPLICA_PIN_SECONDS", 15)
DATABASE_REPLICA_MAX_LAG_SECONDS = env_int("DATABASE_REPLICA_MAX_LAG_SECONDS", 10)
DATABASE_REPLICA_CHECK_SECONDS = env_int("DATABASE_REPLICA_CHECK_SECONDS", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    SESSION_ENGINE = "ayni.core.sessions.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "ayni.core.sessions.db"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Argon2id tuned for a login check near 25 ms on a 2-core machine (OWASP minimum:
# 19 MiB, 2 passes, 1 lane). See docs/security.md and bench/password_hash.py.
PASSWORD_HASHERS = [
    "ayni.accounts.hashers.AyniArgon2Hasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_MINUTES", 60) * 60

# Sessions: closed after SESSION_IDLE_MINUTES without activity, and never older
# than SESSION_MAX_HOURS.
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_MINUTES", 15) * 60
SESSION_COOKIE_AGE = env_int("SESSION_MAX_HOURS", 10) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Second factor (ayni.identity, django-otp): staff must enrol; a sensitive act needs a
# check younger than STEP_UP_MINUTES; wrong codes are throttled per account (ours, in
# core.throttle, so django-otp's own per-device delay is off).
STEP_UP_SECONDS = env_int("STEP_UP_MINUTES", 15) * 60
OTP_MAX_FAILURES = env_int("OTP_MAX_FAILURES", 5)
OTP_FAILURE_WINDOW_SECONDS = env_int("OTP_FAILURE_WINDOW_MINUTES", 15) * 60
OTP_LOCKOUT_SECONDS = env_int("OTP_LOCKOUT_MINUTES", 15) * 60
OTP_TOTP_ISSUER = "Ayni"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# Passkeys (django-otp-webauthn) as a second factor only. WebAuthn needs a host name as the
# relying party, never an IP address: the demo and the tests use `localhost`.
_SITE_HOST = SITE_URL.split("://", 1)[1].split("/", 1)[0].rsplit(":", 1)[0]
OTP_WEBAUTHN_RP_ID = os.environ.get("WEBAUTHN_RP_ID") or (
    "localhost" if re.fullmatch(r"[\d.]+|\[[0-9a-f:]+\]", _SITE_HOST) else _SITE_HOST
)
OTP_WEBAUTHN_RP_NAME = "Ayni"
_LOCAL_SITE = re.sub(r"^http://(127\.0\.0\.1|\[::1\])", "http://localhost", SITE_URL)
OTP_WEBAUTHN_ALLOWED_ORIGINS = env_list(
    "WEBAUTHN_ORIGINS",
    [SITE_URL] if SITE_URL.startswith("https://") else [_LOCAL_SITE] if DEBUG else [],
)
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = False

# Sign-in with ID GOB.PE (OpenID Connect, ayni.identity.oidc): on when the client id is
# set. The endpoints are the provider's (its discovery document lists them). The claims
# naming the document are configurable; the provider's document types map to ours.
_GOBPE = (os.environ.get("GOBPE_OIDC_ISSUER") or "").rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("GOBPE_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("GOBPE_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("GOBPE_OIDC_AUTHORIZATION_ENDPOINT") or (
    f"{_GOBPE}/authorize"
)
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("GOBPE_OIDC_TOKEN_ENDPOINT") or f"{_GOBPE}/token"
OIDC_OP_USER_ENDPOINT = os.environ.get("GOBPE_OIDC_USERINFO_ENDPOINT") or f"{_GOBPE}/userinfo"
OIDC_OP_JWKS_ENDPOINT = os.environ.get("GOBPE_OIDC_JWKS_ENDPOINT") or f"{_GOBPE}/jwks"
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = os.environ.get("GOBPE_OIDC_SCOPES", "openid documento")
OIDC_CREATE_USER = False  # never: a document with no account goes to the access request
OIDC_AUTHENTICATION_CALLBACK_URL = "identity:oidc_callback"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
LOGIN_REDIRECT_URL_FAILURE = "/cuenta/gobpe/fallo/"
GOBPE_OIDC_DOC_TYPE_CLAIM = os.environ.get("GOBPE_OIDC_DOC_TYPE_CLAIM", "doc_type")
GOBPE_OIDC_DOC_NUMBER_CLAIM = os.environ.get("GOBPE_OIDC_DOC_NUMBER_CLAIM", "doc_number")
GOBPE_OIDC_DOC_TYPES = {"DNI": "01", "CE": "04", "PAS": "07"}
AUTHENTICATION_BACKENDS = [
    # Django's ModelBackend, the request's user read by key (sessions signed in through
    # ModelBackend before it end once: docs/decisions.md)
    "ayni.accounts.backends.AccountBackend",
    "ayni.identity.oidc.GobPeBackend",
]

# Login throttling: per account and client address, and a ceiling per address.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("LOGIN_MAX_FAILURES_PER_ADDRESS", 50)
LOGIN_FAILURE_WINDOW_SECONDS = env_int("LOGIN_FAILURE_WINDOW_MINUTES", 15) * 60
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_MINUTES", 15) * 60
# Distributed guessing: failures on one account from any addresses within the window;
# past it the account is guarded (sign-in only by a link mailed to the owner).
LOGIN_ACCOUNT_CEILING = env_int("LOGIN_ACCOUNT_CEILING", 20)
LOGIN_ACCOUNT_WINDOW_SECONDS = env_int("LOGIN_ACCOUNT_WINDOW_MINUTES", 60) * 60
LOGIN_ACCOUNT_GUARD_SECONDS = env_int("LOGIN_ACCOUNT_GUARD_MINUTES", 60) * 60
# Number of reverse proxies in front of the app whose X-Forwarded-For is trusted.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

LANGUAGE_CODE = "es-pe"
LANGUAGES = [("es-pe", "Español (Perú)")]
TIME_ZONE = "America/Lima"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "ayni" / "locale"]
# Django has no es-PE number format (its «es» writes «3 301,32»): ours is «3,301.32».
# Grouping is applied by the filters (intcomma, soles, count), not to every integer a
# template prints: years, codes and primary keys must never read «2,026».
FORMAT_MODULE_PATH = ["ayni.formats"]
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "ayni" / "static"]
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL"),
            "default_acl": "private",
            "querystring_auth": True,
            # as on disk: a name already taken gets a new one, nothing is overwritten
            "file_overwrite": False,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "addressing_style": os.environ.get("AWS_S3_ADDRESSING_STYLE") or None,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# E-mail: SMTP when EMAIL_HOST is set; otherwise messages are written to var/mail.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = os.environ.get(
        "EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
    )
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL") or "Ayni <no-responder@ayni.example>"

# Security headers; HTTPS settings are on unless DEBUG.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if TRUSTED_PROXY_COUNT:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}

# Domain configuration.
OFFICE_HOURS_DEFAULT = (
    os.environ.get("OFFICE_OPENS", "08:00"),
    os.environ.get("OFFICE_CLOSES", "16:30"),
)
VERIFY_RATE_LIMIT_PER_HOUR = env_int("VERIFY_RATE_LIMIT_PER_HOUR", 60)
API_TOKEN_RATE_PER_MINUTE = env_int("API_TOKEN_RATE_PER_MINUTE", 120)  # per token (issue 15)

# Digital signatures of issued documents (docs/firma.md): the key store's TOML file
# (paths and the names of the variables holding passphrases, never keys), an optional
# RFC 3161 timestamp authority for B-T, and whether a unit without a certificate is
# refused (on) or issues unsigned documents with a warning (off).
SIGNING_CONFIG = os.environ.get("AYNI_SIGNING_CONFIG", "")
SIGNING_TSA_URL = os.environ.get("AYNI_SIGNING_TSA_URL", "")
SIGNING_REQUIRED = env_bool("AYNI_SIGNING_REQUIRED", False)
SIGNING_EXPIRY_WARNING_DAYS = env_int("AYNI_SIGNING_EXPIRY_WARNING_DAYS", 45)

# Tiempo de servicios (docs/legajo.md, DOMAIN.md): which leave and sanctions are
# discounted, and the method. Change here, not in code.
# Render every payslip PDF in a background task when a run is published, so that
# payment day serves stored files instead of rendering (docs/decisions.md).
PAYROLL_PRERENDER_PDF = env_bool("PAYROLL_PRERENDER_PDF", True)

SERVICE_TIME = {
    "method": "calendar",  # calendar difference per stretch, 30 days → month, 12 months → year
    "unpaid_leave": ["particulares", "capacitacion_no_oficial", "cargo_politico"],
    "discounted_sanctions": ["suspension", "cese_temporal"],
    "ats_thresholds_years": [25, 30],
}
# Working days a servant has to answer an observed change request.
CHANGE_REQUEST_OBSERVATION_DAYS = env_int("CHANGE_REQUEST_OBSERVATION_DAYS", 5)

# Mesa de partes: upload limits and abuse protection.
DESK_MAX_UPLOAD_MB = env_int("DESK_MAX_UPLOAD_MB", 30)
DESK_MAX_FILES = env_int("DESK_MAX_FILES", 5)
DESK_ACCESS_REQUESTS_PER_HOUR = env_int("DESK_ACCESS_REQUESTS_PER_HOUR", 5)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Personal data (ayni.dataprotection, Ley 29733): the «Mis datos» link lives this many
# hours; the national authority must hear of a security incident within 48 hours; and how
# long each removable kind of data is kept (days) before the daily retention task removes
# it. Personal files, payslips, issued documents and the audit trail are never removed.
DATAPROTECTION_EXPORT_HOURS = env_int("DATAPROTECTION_EXPORT_HOURS", 24)
DATAPROTECTION_INCIDENT_NOTICE_HOURS = 48
DATAPROTECTION_RETENTION_DAYS = {
    "access_request_unconfirmed": env_int("RETENTION_ACCESS_UNCONFIRMED_DAYS", 30),
    "access_request_rejected_upload": env_int("RETENTION_ACCESS_REJECTED_UPLOAD_DAYS", 180),
    "account_link": env_int("RETENTION_ACCOUNT_LINK_DAYS", 30),
    "data_export": env_int("RETENTION_DATA_EXPORT_DAYS", 0),
}
# Audit events older than this are exported to a file and detached (0: never).
DATAPROTECTION_AUDIT_ARCHIVE_DAYS = env_int("AUDIT_ARCHIVE_AFTER_DAYS", 3650)
