"""Settings for the test suite: production settings with fast hashing and eager tasks."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
os.environ["DEBUG"] = "0"  # tests run with production settings, whatever the shell says

from ayni.settings import *  # noqa: F403
from ayni.settings import VAR_DIR

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "ayni.accounts.hashers.AyniArgon2Hasher",
]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PAYROLL_PRERENDER_PDF = False  # tests that need it switch it on
SIGNING_CONFIG = ""  # unsigned, whatever .env says; the `signing` fixture turns it on
SIGNING_TSA_URL = ""
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
DEMO_MODE = True
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
EMAIL_FILE_PATH = VAR_DIR / "mail-test"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
