"""Settings for newsroom, driven by the environment.

Every setting has a safe development default, so ``make run`` works with no
configuration at all (SQLite file, debug on, localhost only). Production sets:

- ``DJANGO_SECRET_KEY``      a long random secret (required when debug is off)
- ``DJANGO_DEBUG=0``         turn debug off
- ``DJANGO_ALLOWED_HOSTS``   comma-separated host names
- ``DATABASE_URL``           ``postgres://user:pass@host:5432/name``; unset = SQLite
- ``NEWSROOM_PAPER_NAME``    the paper's name as printed on article pages
- ``DJANGO_CACHE_URL``       ``redis://127.0.0.1:6379/0`` (or ``file:///path``) when several
                             server processes must share the page cache
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)

_DEV_SECRET = "django-insecure-newsroom-development-key-do-not-use-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"

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
                "articles.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# Database: SQLite file by default, PostgreSQL (or any dj-database-url URL) from DATABASE_URL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
# Our own backends (Django's, plus the before-commit hook of the change path: see
# newsroom/db/base.py and articles/changes.py), whatever DATABASE_URL names.
OUR_BACKENDS = {
    "django.db.backends.sqlite3": "newsroom.db.sqlite3",
    "django.db.backends.postgresql": "newsroom.db.postgresql",
}
_engine = DATABASES["default"]["ENGINE"]
if _engine not in OUR_BACKENDS and _engine not in OUR_BACKENDS.values():
    raise ImproperlyConfigured(f"DATABASE_URL: {_engine} is not supported (SQLite or PostgreSQL only).")
DATABASES["default"]["ENGINE"] = OUR_BACKENDS.get(_engine, _engine)
if DATABASES["default"]["ENGINE"] == "newsroom.db.sqlite3":
    # Wait for a concurrent writer instead of failing at once, and take the write lock at
    # the start of each transaction so two imports never deadlock on a lock upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

# Photo uploads: only real JPEG/PNG/WebP images, at most this many bytes.
NEWSROOM_PHOTO_MAX_BYTES = int(os.environ.get("NEWSROOM_PHOTO_MAX_BYTES", str(8 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Import limits: a file larger than this is refused unread; a page with more articles or
# photos than a printed page can hold is refused (a misfiled or broken file).
NEWSROOM_IMPORT_MAX_FILE_BYTES = int(os.environ.get("NEWSROOM_IMPORT_MAX_FILE_BYTES", str(1024 * 1024)))
NEWSROOM_IMPORT_MAX_ARTICLES_PER_PAGE = int(os.environ.get("NEWSROOM_IMPORT_MAX_ARTICLES_PER_PAGE", "200"))
NEWSROOM_IMPORT_MAX_PHOTOS_PER_PAGE = int(os.environ.get("NEWSROOM_IMPORT_MAX_PHOTOS_PER_PAGE", "200"))

# The paper's name as printed in the line 《工人日报》(2020年10月23日 03版).
NEWSROOM_PAPER_NAME = os.environ.get("NEWSROOM_PAPER_NAME", "工人日报")


def cache_from_url(url: str) -> dict:
    """The page cache: one per process by default; shared across workers with a URL.

    ``redis://host:6379/0`` uses Redis, ``file:///var/tmp/newsroom-cache`` a folder.
    Several server processes need a shared cache, so an edit clears every worker's pages.
    """
    common = {"TIMEOUT": 600, "KEY_PREFIX": "newsroom"}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url, **common}
    if url.startswith("file://"):
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": url[7:],
            **common,
        }
    if url:
        raise ImproperlyConfigured(f"DJANGO_CACHE_URL {url!r}: expected redis://… or file:///…")
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "newsroom",
        "OPTIONS": {"MAX_ENTRIES": 5000},
        **common,
    }


CACHES = {"default": cache_from_url(os.environ.get("DJANGO_CACHE_URL", ""))}

LOGIN_URL = "admin:login"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "articles.api.schema.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["articles.api.filters.FilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["articles.api.permissions.ReadOnlyOrModelPermissions"],
    # Basic first: an anonymous write gets 401 with a WWW-Authenticate challenge, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.BasicAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PAGINATION_CLASS": "articles.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": ["articles.api.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("NEWSROOM_ANON_THROTTLE", "600/minute")},
    "EXCEPTION_HANDLER": "articles.api.errors.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "newsroom API",
    "DESCRIPTION": "报纸内容接口：期、版、稿件、图片、人物、栏目。",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Request bodies get their own components (write-only page_id, column_id …).
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "RoleEnum": "articles.models.Role",
        "BlockTypeEnum": "articles.models.BlockType",
        "ArticleStatusEnum": "articles.models.Article.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
