"""Settings shared by every environment. Values from outside come through ``kariya.config.env``."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
import django.conf.locale
from django.utils.translation import gettext_lazy as _

from kariya.config import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent  # the kariya package
DATA_DIR = env.data_dir()

DEBUG = False
ALLOWED_HOSTS: list[str] = env.get_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # Kariya's apps first: their templates and translations win over Django's where both
    # define the same string (e.g. "Username").
    "kariya.core",
    "kariya.accounts",
    "kariya.geo",
    "kariya.people",
    "kariya.cases",
    "kariya.exchange",
    "kariya.directory",
    "kariya.public",
    "kariya.referrals",
    "kariya.dedup",
    "kariya.codelists",
    "kariya.api",
    "kariya.demo",
    "kariya.matching",
    "kariya.core.admin_site.KariyaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kariya.core.middleware.SecurityHeadersMiddleware",
    # Outside whitenoise so static files are compressed even without collectstatic (demo).
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kariya.core.middleware.OrganisationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "kariya.config.urls"
WSGI_APPLICATION = "kariya.config.wsgi.application"

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
                "kariya.core.context_processors.kariya",
            ],
        },
    }
]


def database_from_url(url: str) -> dict[str, object]:
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers work while one writer commits; IMMEDIATE takes the write lock at
        # the start of a transaction so two writers queue (busy timeout) instead of failing.
        # Connections are kept between requests (CONN_MAX_AGE 60, as for PostgreSQL): opening
        # one cost 1–1.5 ms a request (the connection, Django's SQL functions, four pragmas),
        # closing the last one checkpointed the WAL, and each request started with an empty
        # page cache (docs/benchmarks.md).
        config["OPTIONS"] = {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA foreign_keys=ON;"
                "PRAGMA busy_timeout=20000;"
            ),
        }
        Path(str(config["NAME"])).parent.mkdir(parents=True, exist_ok=True)
    else:
        config["CONN_HEALTH_CHECKS"] = True
    config["ATOMIC_REQUESTS"] = False
    return config


DATABASES = {"default": database_from_url(env.database_url())}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["kariya.accounts.backends.KariyaBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.get_int("KARIYA_SESSION_SECONDS", 8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
# The public site (kariya.public, no login) also speaks Hausa and Arabic; staff pages and their
# language switcher stay French and English (LANGUAGES). Django knows Arabic (right-to-left,
# LANGUAGES_BIDI) but not Hausa: its language info is added here. The public languages are
# kariya.public.models.PUBLIC_LANGUAGES.
EXTRA_LANG_INFO = {
    "ha": {"bidi": False, "code": "ha", "name": "Hausa", "name_local": "Hausa"},
}
django.conf.locale.LANG_INFO.update(EXTRA_LANG_INFO)
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Africa/Niamey"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the app folders too, so `kariya demo` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False
WHITENOISE_MAX_AGE = 7 * 24 * 3600

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "kariya.core.api.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["kariya.core.api.DeclaredPermission"],
    "DEFAULT_PAGINATION_CLASS": "kariya.core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "kariya.core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Kariya API",
    "DESCRIPTION": "Organisation-scoped API of Kariya. Same access rules as the pages.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Swagger UI from the drf-spectacular-sidecar package: served by Kariya, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Choice sets sharing a field name ("status", "method"…) get distinct, stable names.
    "ENUM_NAME_OVERRIDES": {
        "DocumentStatusEnum": "kariya.people.models.DocumentStatus",
        "MigrationStatusEnum": "kariya.people.models.MigrationStatus",
        "ConsentMethodEnum": "kariya.people.models.ConsentMethod",
        "CaseStatusEnum": "kariya.cases.workflow.Status",
        "ApprovalKindEnum": "kariya.cases.workflow.ApprovalKind",
        "PriorityEnum": "kariya.cases.priority.Priority",
        "ReferralPriorityEnum": "kariya.referrals.models.Priority",
        "GoalStatusEnum": "kariya.cases.models.GoalStatus",
        "ActionStatusEnum": "kariya.cases.models.ActionStatus",
        "ApprovalStatusEnum": "kariya.cases.models.ApprovalStatus",
        "VisitMethodEnum": "kariya.cases.models.VisitMethod",
        "ScreeningOutcomeEnum": "kariya.cases.models.ScreeningOutcome",
        "DeliveryOutcomeEnum": "kariya.cases.models.DeliveryOutcome",
        "DirectoryStatusEnum": "kariya.directory.models.Status",
        "ChannelKindEnum": "kariya.directory.models.ChannelKind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.get("KARIYA_LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs carry query strings; Kariya keeps personal data out of URLs, and the
        # 4xx warnings add nothing an operator needs.
        "django.request": {"level": "ERROR"},
    },
}

# Background tasks (Django's task API, the django-tasks backport): stored in the database and
# run by `kariya db-worker`; tests run them immediately. See docs/deployment.md.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# E-mail (reminders to directory focal points). Without EMAIL_HOST, messages are printed on
# the console (development); production sets the SMTP server.
if env.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env.get("EMAIL_HOST", "") or ""
    EMAIL_PORT = env.get_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env.get("EMAIL_HOST_USER", "") or ""
    EMAIL_HOST_PASSWORD = env.get("EMAIL_HOST_PASSWORD", "") or ""
    EMAIL_USE_TLS = env.get_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL", "kariya@localhost") or "kariya@localhost"
# The address staff reach Kariya at, for links in e-mails.
KARIYA_BASE_URL = env.get("KARIYA_BASE_URL", "http://127.0.0.1:8000") or "http://127.0.0.1:8000"

KARIYA_ROTATION_BATCH = env.get_int("KARIYA_ROTATION_BATCH", 500)
# Registration checks that may ask the other organisations, per user and hour
# (people.selectors.network_checks_per_hour).
KARIYA_NETWORK_CHECKS_PER_HOUR = env.get_int("KARIYA_NETWORK_CHECKS_PER_HOUR", 60)

# Demo accounts (published password) and `--reset` are refused unless a settings module
# allows them: development and tests do, production never.
KARIYA_ALLOW_DEMO = False
