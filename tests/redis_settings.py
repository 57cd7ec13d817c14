"""Settings of the processes tests/test_redis_shared.py starts: the test settings, but
with the cache in Redis (REDIS_URL) as production has it, sessions in cached_db."""

from ayni.settings import REDIS_URL, SESSION_ENGINE
from ayni.settings_test import *  # noqa: F403

assert REDIS_URL, "REDIS_URL must be set"
assert SESSION_ENGINE == "ayni.core.sessions.cached_db"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
}
