"""Tests: fixed throwaway keys, fast hashing. DATABASE_URL selects SQLite or PostgreSQL."""

from kariya.config import env
from kariya.config.settings.base import *  # noqa: F403
from kariya.config.settings.base import DATABASES, database_from_url

SECRET_KEY = "test-only-secret-key-not-for-production-0123456789abcdef"  # noqa: S105
KARIYA_ENCRYPTION_KEYS = (
    "t2:"
    + "dGVzdC1rZXktdHdvLXRoaXJ0eS10d28tYnl0ZXMhISE="
    + ",t1:"
    + "dGVzdC1rZXktb25lLXRoaXJ0eS10d28tYnl0ZXMhISE="
)
KARIYA_BLIND_INDEX_KEY = "dGVzdC1ibGluZC1pbmRleC1rZXktMzItYnl0ZXMhISE="  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
if env.get("DATABASE_URL") is None:
    DATABASES = {"default": database_from_url("sqlite:///" + str(env.data_dir() / "test.sqlite3"))}
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
WHITENOISE_AUTOREFRESH = True
KARIYA_ALLOW_DEMO = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
KARIYA_BASE_URL = "https://kariya.example"
