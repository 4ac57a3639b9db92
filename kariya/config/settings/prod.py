"""Production: refuses to start without its secrets, and passes ``check --deploy``."""

from kariya.config import env
from kariya.config.settings.base import *  # noqa: F403

_required = env.required(
    "SECRET_KEY", "ALLOWED_HOSTS", "KARIYA_ENCRYPTION_KEYS", "KARIYA_BLIND_INDEX_KEY"
)
SECRET_KEY = _required["SECRET_KEY"]
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS")
KARIYA_ENCRYPTION_KEYS = _required["KARIYA_ENCRYPTION_KEYS"]
KARIYA_BLIND_INDEX_KEY = _required["KARIYA_BLIND_INDEX_KEY"]
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS")

DEBUG = False
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.get_bool("KARIYA_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.get_int("KARIYA_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.get_bool("KARIYA_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
