"""Settings for newsroom, driven by the environment.

Debug is off unless ``DJANGO_DEBUG=1`` (``make run`` and the test suite opt in), so a
server started without configuration is a production server. README.md's settings table
lists every variable; the main ones:

- ``DJANGO_SECRET_KEY``      a long random secret (required when debug is off; ``make serve``
                             keeps a generated one in ``var/secret_key``)
- ``DJANGO_DEBUG=1``         development mode
- ``DJANGO_ALLOWED_HOSTS``   comma-separated host names
- ``DJANGO_HTTPS=0``         production without a TLS proxy in front (no HTTPS redirect,
                             no secure-only cookies)
- ``DATABASE_URL``           ``postgres://user:pass@host:5432/name``; unset = SQLite
- ``DJANGO_CACHE_URL``       ``redis://127.0.0.1:6379/0``: one cache shared by every process
                             and machine; unset = a folder shared by this machine's processes
- ``NEWSROOM_PAPER_NAME``    the paper's name as printed on article pages
"""

import datetime
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


DEBUG = env_bool("DJANGO_DEBUG", False)

_DEV_SECRET = "django-insecure-newsroom-development-key-do-not-use-in-production"
# Without a key in production, commands that need none (migrate, makemigrations) still run;
# serving refuses to start (newsroom/wsgi.py) and `check --deploy` fails, saying why.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _DEV_SECRET if DEBUG else "")
SECRET_KEY_MISSING_MESSAGE = "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off."

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
    "imagekit",
    "axes",
    "reversion",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # HTML and JSON compressed when the client accepts it (never a page with a CSRF token).
    "newsroom.middleware.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a login refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
    # Content-Security-Policy on every response (django-csp; Django 5.2 has none of its own).
    "csp.middleware.CSPMiddleware",
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
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "newsroom.storage.StaticFilesStorage"
        )
    },
}
# Production: compressed files with hashed names, served by WhiteNoise with far-future
# caching. A template naming a file that collectstatic has not seen still renders (with
# the unhashed URL, served from the source folders): a forgotten collectstatic is never a 500.
WHITENOISE_MANIFEST_STRICT = False
WHITENOISE_USE_FINDERS = True
# Uploaded files go through articles.media.serve (a photo readers may not see is a 404).
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))

# Photo renditions for readers (django-imagekit; articles.images): named by photo, kept.
IMAGEKIT_SPEC_CACHEFILE_NAMER = "articles.images.rendition_name"
IMAGEKIT_CACHE_BACKEND = "pages"

# Photo uploads: only real JPEG/PNG/WebP images, at most this many bytes.
NEWSROOM_PHOTO_MAX_BYTES = int(os.environ.get("NEWSROOM_PHOTO_MAX_BYTES", str(8 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Import limits: a file larger than this is refused unread; a page with more articles or
# photos than a printed page can hold is refused (a misfiled or broken file).
NEWSROOM_IMPORT_MAX_FILE_BYTES = int(os.environ.get("NEWSROOM_IMPORT_MAX_FILE_BYTES", str(1024 * 1024)))
NEWSROOM_IMPORT_MAX_ARTICLES_PER_PAGE = int(os.environ.get("NEWSROOM_IMPORT_MAX_ARTICLES_PER_PAGE", "200"))
# A run still "running" after this long is marked interrupted (one whose process is gone, at once).
NEWSROOM_IMPORT_RUN_TIMEOUT = datetime.timedelta(
    hours=int(os.environ.get("NEWSROOM_IMPORT_RUN_TIMEOUT_HOURS", "24"))
)
NEWSROOM_IMPORT_MAX_PHOTOS_PER_PAGE = int(os.environ.get("NEWSROOM_IMPORT_MAX_PHOTOS_PER_PAGE", "200"))
# Pages per import transaction (each page still a savepoint of its own: see articles/importer/runs.py).
NEWSROOM_IMPORT_BATCH_PAGES = int(os.environ.get("NEWSROOM_IMPORT_BATCH_PAGES", "200"))

# The paper's name as printed in the line 《工人日报》(2020年10月23日 03版).
NEWSROOM_PAPER_NAME = os.environ.get("NEWSROOM_PAPER_NAME", "工人日报")


VAR_DIR = Path(os.environ.get("NEWSROOM_VAR_DIR", BASE_DIR / "var"))
CACHE_URL = os.environ.get("DJANGO_CACHE_URL", "") or f"file://{VAR_DIR / 'cache'}"


def cache_from_url(url: str, *, prefix: str = "newsroom") -> dict:
    """A cache from a URL: ``redis://host:6379/0``, ``file:///path`` or ``locmem://``.

    Redis goes through django-redis with errors ignored (and logged to ``newsroom.cache``):
    a Redis outage makes pages slower, never a 500. Short socket timeouts keep a hung
    Redis from holding requests.
    """
    common = {"TIMEOUT": 600, "KEY_PREFIX": prefix}
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
            },
            **common,
        }
    if url.startswith("file://"):
        return {
            "BACKEND": "newsroom.cache_backends.SharedFileBasedCache",
            "LOCATION": url[7:],
            "OPTIONS": {"MAX_ENTRIES": 2000},
            **common,
        }
    if url.startswith("locmem://"):
        return {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": prefix,
            "OPTIONS": {"MAX_ENTRIES": 5000},
            **common,
        }
    raise ImproperlyConfigured(f"DJANGO_CACHE_URL {url!r}: expected redis://…, file:///… or locmem://")


# "default": shared by every server process (API throttles, login throttling, image state):
# Redis when configured, else a folder on this machine. "pages": the readers' page cache:
# Redis when configured, else each process's memory. Whether a cached page is still fresh
# is decided by rows in the database (articles.cache), so either is right with any number
# of processes, and a cache outage only makes pages slower.
CACHES = {
    "default": cache_from_url(CACHE_URL),
    "pages": cache_from_url(
        CACHE_URL if CACHE_URL.startswith(("redis://", "rediss://", "unix://")) else "locmem://",
        prefix="newsroom-pages",
    ),
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "newsroom.cache"

LOGIN_URL = "admin:login"

# Content-Security-Policy (django-csp): only our own scripts, styles, fonts and images
# (data: images for Swagger UI's icons); no inline script or style, no eval, no framing.
# The site, the admin and the API docs run under it with no violation in Chromium
# (tests/test_csp_browser.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login throttling (django-axes; articles/logins.py): after AXES_FAILURE_LIMIT failed logins
# for one account from one address (admin or API Basic auth, counted together in the
# database, so across every process) that account is locked from that address for the
# cool-off; a successful login resets the count.
AUTHENTICATION_BACKENDS = [
    "articles.logins.LoginLockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("NEWSROOM_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("NEWSROOM_LOGIN_COOLOFF_MINUTES", "15")))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_CALLABLE = "articles.logins.lockout_response"
AXES_VERBOSE = False
# The client address: REMOTE_ADDR, or X-Forwarded-For as appended by this many proxies.
NEWSROOM_PROXY_COUNT = int(os.environ.get("NEWSROOM_PROXY_COUNT", "0"))
if NEWSROOM_PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    AXES_IPWARE_PROXY_COUNT = NEWSROOM_PROXY_COUNT
    AXES_IPWARE_PROXY_ORDER = "right-most"
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["REMOTE_ADDR"]

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "articles.api.schema.AutoSchema",
    # JSON for apps; the HTML browsable API without inline styles (the CSP allows none).
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "articles.api.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["articles.api.filters.FilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["articles.api.permissions.ReadOnlyOrModelPermissions"],
    # Basic first: an anonymous write gets 401 with a WWW-Authenticate challenge, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "articles.api.authentication.BasicAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PAGINATION_CLASS": "articles.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": ["articles.api.throttling.AnonRateThrottle"],
    # Clients are told apart by REMOTE_ADDR; a made-up X-Forwarded-For changes nothing.
    "NUM_PROXIES": NEWSROOM_PROXY_COUNT,
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
    # A cache outage is logged (with its cause) at most once a minute per process.
    "filters": {"once_a_minute": {"()": "newsroom.logging.OncePerInterval", "seconds": 60}},
    "loggers": {
        "newsroom.cache": {"filters": ["once_a_minute"]},
        "newsroom.static": {"filters": ["once_a_minute"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# HTTP caching of reader pages and API GETs for proxies and CDNs (articles.cache).
NEWSROOM_HTTP_MAX_AGE = int(os.environ.get("NEWSROOM_HTTP_MAX_AGE", "30"))
NEWSROOM_HTTP_STALE = int(os.environ.get("NEWSROOM_HTTP_STALE", "30"))

SECURE_CONTENT_TYPE_NOSNIFF = True
if not DEBUG and env_bool("DJANGO_HTTPS", True):
    # Behind a TLS proxy that sets X-Forwarded-Proto (and strips it from clients).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
