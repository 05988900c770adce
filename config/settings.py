"""Settings for the helpline platform: one file, read from the environment.

With no variables set the site runs in its *embedded* form (SQLite, local-memory cache, in-memory
channel layer, eager Celery), so a fresh checkout works with nothing else installed.
`DATABASE_URL` switches to PostgreSQL and `REDIS_URL` to Redis for the cache, the Celery broker and
the channel layer; `REDIS_SENTINELS` finds that Redis through Redis Sentinel and follows a failover.
`PRODUCTION=1` turns on the checks that refuse an unsafe configuration.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config import redis_sentinel
from config.env import envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


PRODUCTION = envbool("PRODUCTION", False)
# Off unless asked for (DEBUG=1), in the embedded site too: Django's debugging pages have no quick
# exit and break the Content Security Policy, and a seeker may meet them there as well (`make run`).
DEBUG = envbool("DEBUG", False)

EMBEDDED_SECRET_KEY = "embedded-default-key-not-for-production"  # noqa: S105 (refused in production)
SECRET_KEY = envstr("SECRET_KEY", EMBEDDED_SECRET_KEY)
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

# Keys for encryption at rest (config/encryption.py), newest first. The embedded site makes its own.
ENCRYPTION_KEYS = envlist("ENCRYPTION_KEYS")
# The server-side secret in secure-message passphrase hashes (helpline/inbox/passphrases.py): a stolen
# database without it cannot be used to test guesses. The embedded site makes its own.
PASSPHRASE_SECRET = envstr("PASSPHRASE_SECRET")

if PRODUCTION:
    problems = []
    if not ENCRYPTION_KEYS:
        problems.append("ENCRYPTION_KEYS is empty (set one or more Fernet keys, newest first)")
    if len(PASSPHRASE_SECRET) < 32:
        problems.append("PASSPHRASE_SECRET is missing or shorter than 32 characters (set a random value)")
    if DEBUG:
        problems.append("DEBUG is on (set DEBUG=0)")
    if SECRET_KEY == EMBEDDED_SECRET_KEY or len(SECRET_KEY) < 40:
        problems.append("SECRET_KEY is the embedded default or shorter than 40 characters")
    if not ALLOWED_HOSTS:
        problems.append("ALLOWED_HOSTS is empty (set it to the site's host names)")
    if problems:
        raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(problems) + ".")

if not ENCRYPTION_KEYS:
    from config.encryption import local_key_file

    ENCRYPTION_KEYS = [local_key_file(VAR_DIR)]

if not PASSPHRASE_SECRET:
    from config.localfiles import local_passphrase_secret

    PASSPHRASE_SECRET = local_passphrase_secret(VAR_DIR)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "resources",
    "helpline",
]

MIDDLEWARE = [
    # First of all: nothing after this sees the client's address or user agent.
    "config.privacy.StripClientIdentityMiddleware",
    "config.security.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language comes from the URL's prefix (/nl/…); pages without one (staff, a chat under way) choose
    # theirs in the view. No language cookie is ever set.
    "django.middleware.locale.LocaleMiddleware",
    # A visit that came through a partner's link: its self-help pages and modules read are counted for the
    # campaign (daily totals only), outside the per-view cache so a cached page counts too.
    "helpline.campaigns.middleware.CampaignVisitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in staff member's /staff/ and /admin/ pages speak the language they chose.
    "helpline.staff.middleware.StaffLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Turns a rate-limit refusal into the calm 429 page (RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "config.context_processors.site",
                "config.languages.languages",
                "helpline.chat.views.shell.staff_shell",
            ],
        },
    },
]

# Database: SQLite unless DATABASE_URL points elsewhere.
# Connections per web process are bounded (config/database_budget.py; the budget for the whole service is
# in README "Production"): at most WEB_REQUEST_THREADS HTTP requests are inside Django at once, each
# closing its connection as soon as its response is ready; ASGI_THREADS threads carry socket frames'
# database work, each keeping one connection open for DB_CONN_MAX_AGE seconds between frames (a new
# connection costs 4-9 ms, a query on an open one 0.1 ms); the chat message writers hold one each
# (HELPLINE["MESSAGE_WRITERS"], 2); channels keeps one more. So one web process holds at most
# WEB_REQUEST_THREADS + ASGI_THREADS + MESSAGE_WRITERS + 1 = 19 by default. Each Celery worker process holds
# one; beat none. Behind PgBouncer in transaction mode set DB_CONN_MAX_AGE=0 and
# DB_DISABLE_SERVER_SIDE_CURSORS=1 (README, deploy/pgbouncer.ini).
WEB_REQUEST_THREADS = envint("WEB_REQUEST_THREADS", 8)
ASGI_THREADS = envint("ASGI_THREADS", 8)
DATABASE_URL = envstr("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 60))}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # The same backend, with a health check that needs no round trip while nothing is wrong.
        DATABASES["default"]["ENGINE"] = "config.postgres"
    # PgBouncer in transaction mode hands each transaction any server connection: a server-side cursor
    # (`.iterator()`) outside a transaction would not survive the next statement.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = envbool("DB_DISABLE_SERVER_SIDE_CURSORS", False)
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "helpline.sqlite3"),
            "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE"},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis, when given, carries the cache, the Celery broker and the channel layer.
REDIS_URL = envstr("REDIS_URL")

# Redis Sentinel (config/redis_sentinel.py): with REDIS_SENTINELS set, every Redis client follows the
# master the sentinels name; REDIS_URL then gives only the database number and the master's password.
REDIS_SENTINELS = redis_sentinel.parse_sentinels("REDIS_SENTINELS", envlist("REDIS_SENTINELS"))
REDIS_SENTINEL_MASTER = envstr("REDIS_SENTINEL_MASTER", "helpline")
REDIS_SENTINEL = (
    redis_sentinel.client_options(REDIS_SENTINELS, REDIS_SENTINEL_MASTER, envstr("REDIS_SENTINEL_PASSWORD"))
    if REDIS_SENTINELS
    else None
)
REDIS_URL = REDIS_URL or ("redis://sentinel/0" if REDIS_SENTINELS else "")  # database 0, no password

CACHES: dict[str, dict[str, Any]]
CHANNEL_LAYERS: dict[str, dict[str, Any]]
if REDIS_URL:
    # One connection pool per process (config/cache.py), not a connection per request thread.
    CACHES = {"default": {"BACKEND": "config.cache.SharedPoolRedisCache", "LOCATION": REDIS_URL}}
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "config.channel_layer.PubSubChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    if REDIS_SENTINEL:
        CACHES["default"]["OPTIONS"] = {"sentinel": REDIS_SENTINEL}  # config/cache.py
        CHANNEL_LAYERS["default"]["CONFIG"]["hosts"] = [
            redis_sentinel.channel_layer_host(REDIS_SENTINEL, REDIS_URL)
        ]
        CELERY_BROKER_URL = redis_sentinel.broker_url(REDIS_URL, REDIS_SENTINELS)
        CELERY_BROKER_TRANSPORT_OPTIONS = redis_sentinel.broker_options(REDIS_SENTINEL)
    CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", False)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CELERY_BROKER_URL = "memory://"
    CELERY_TASK_ALWAYS_EAGER = True

# Celery: tasks carry only opaque ids; results are not needed and not kept.
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# kombu's Redis transport with the one change that keeps the worker alive through a Redis restart
# under load (config/broker.py). The worker reconnects by itself (broker_connection_retry, on by
# default, forever); a worker that dies anyway is restarted by its supervisor (deploy/).
CELERY_BROKER_TRANSPORT = "config.broker:Transport" if REDIS_URL else None
if REDIS_SENTINEL:
    CELERY_BROKER_TRANSPORT = "config.broker:SentinelTransport"  # the same change, through Sentinel
# None of our tasks acknowledges late, so none is cancelled; saying so silences Celery's warning on
# every reconnect, and it is Celery 6's default.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # The periodic sweep (offers, dropped connections, vanished seekers, missed routing).
    "helpline-sweep": {
        "task": "helpline.tasks.sweep",
        "schedule": float(envint("HELPLINE_SWEEP_SECONDS", 5)),
    },
    # Retention: ended chats and expired secure-message threads are deleted (after their figures are
    # in the daily counts). Hourly is enough: the periods are counted in hours and days.
    "helpline-purge": {
        "task": "helpline.tasks.purge_expired",
        "schedule": float(envint("HELPLINE_PURGE_SECONDS", 60 * 60)),
    },
}

# Sessions exist only for staff; seekers' pages set no cookies. Kept in the database with a copy in the
# cache; while Redis cannot be reached they are read and written in the database alone (config/sessions.py).
SESSION_ENGINE = "config.sessions"
SESSION_COOKIE_AGE = envint("STAFF_SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = True  # the age above is an idle timeout, not a fixed lifetime
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_TLS_PROXY", False) else None
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # see config/security.py for why not no-referrer
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/staff/login/"
LOGIN_REDIRECT_URL = "/staff/"

# django-axes: lock by username only, in the cache, and never record an address or user agent.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.privacy.no_client_ip"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# W006 asks us to lock by address too: the promise forbids it. W001 warns that the local-memory
# cache is per process, which is what the embedded single-process site uses.
SILENCED_SYSTEM_CHECKS = ["axes.W006"] + ([] if REDIS_URL else ["axes.W001"])

# Rate limits: keys come from config.privacy, never from an address. Many real people share one
# address (a phone network, a college, a Tor exit), so the limits count what a flood costs rather than
# how many people arrive from one place: see helpline/limits.py and docs/privacy.md.
RATELIMIT_VIEW = "config.views.rate_limited"
RATELIMIT_ENABLE = envbool("RATELIMIT_ENABLE", True)
RATE_LIMITS = {
    "search": envstr("RATE_LIMIT_SEARCH", "60/m"),
    # Chats started per rate-limit key: thirty people behind one address in an hour start thirty, a
    # script starts hundreds a minute. Only chats that really started count.
    "chat_start": envstr("RATE_LIMIT_CHAT_START", "60/10m"),
    # Chats started across the whole service: a surge guard next to HELPLINE["QUEUE_LIMIT"]. Well above
    # what the queue could take in a minute, and twice what one address can start (all of its sixty
    # in one minute), so one script cannot trip it for everyone: only a flood from many addresses does.
    "chat_start_all": envstr("RATE_LIMIT_CHAT_START_ALL", "120/m"),
    # Messages per chat (not per person): protects staff from a flood inside one chat.
    "chat_message": envstr("RATE_LIMIT_CHAT_MESSAGE", "30/m"),
    # New secure-message threads and follow-up messages, per rate-limit key.
    "secure_message": envstr("RATE_LIMIT_SECURE_MESSAGE", "10/h"),
    # Wrong passphrases per rate-limit key, counted only after the words were checked: the right one
    # always opens. Past it, wrong guesses are refused with 429 and a Retry-After.
    "passphrase": envstr("RATE_LIMIT_PASSPHRASE", "10/h"),
}
# Chats still waiting for staff (waiting or offered) that one rate-limit key may hold at once. A person
# who is answered or leaves frees their place at once; a script that never leaves holds only this many
# of the HELPLINE["QUEUE_LIMIT"] places.
RATE_LIMIT_OPEN_CHATS_PER_KEY = envint("RATE_LIMIT_OPEN_CHATS_PER_KEY", 10)
# Trust X-Forwarded-For for the rate-limit key only when a proxy we run sets it.
PRIVACY_TRUST_FORWARDED_FOR = envbool("PRIVACY_TRUST_FORWARDED_FOR", False)
RATE_KEY_SECRET_TTL = 26 * 60 * 60  # a day's secret lives a little past midnight, then is gone

LANGUAGE_CODE = "en"
# The languages the site, its content and its chats are offered in, each under its own name. Every page
# a seeker sees lives under its language's prefix (/nl/…, /ar/…); a language added here needs a catalogue
# in locale/ (make messages) and, for search, an entry in resources/fulltext.py (else "simple").
LANGUAGES = [
    ("en", "English"),
    ("nl", "Nederlands"),
    ("de", "Deutsch"),
    ("fr", "Français"),
    ("es", "Español"),
    ("ro", "Română"),
    ("ar", "العربية"),
]
# Django's own list of right-to-left languages (it holds "ar") decides <html dir>.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = envstr("TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Production's file names carry a hash of their content, so browsers may keep them a month; outside
# production the names do not change when the files do, so browsers ask again each time.
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 30 if PRODUCTION else 0
# Outside production, serve straight from the source folders so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# Where "quick exit" sends a seeker: a neutral, busy site.
QUICK_EXIT_URL = envstr("QUICK_EXIT_URL", "https://www.bbc.co.uk/weather")
SERVICE_NAME = envstr("SERVICE_NAME", "Open Door")
# Where the service works (e.g. "NL"), named in the figures a network of helplines pools (docs/pooling.md).
SERVICE_COUNTRY = envstr("SERVICE_COUNTRY", "")
# Public content pages are cached this long; publishing bumps a generation so edits show at once.
# The cache shares Redis with the Celery broker and the channel layer, so what it may hold is bounded
# (resources/caching.py): a page is kept once, under the query parameters it reads (none of today's
# cached pages reads any, so ?utm_source=... and the like never make a new entry); a page larger than
# PUBLIC_PAGE_CACHE_MAX_PAGE_BYTES is never kept; and once PUBLIC_PAGE_CACHE_BUDGET_BYTES of pages
# have been stored within a CONTENT_CACHE_SECONDS window, no more are stored until the next window
# (they are still answered, rendered each time). Entries live CONTENT_CACHE_SECONDS, so at most two
# windows' budgets are ever held: 2 x 16 MB by default, whatever the traffic.
CONTENT_CACHE_SECONDS = envint("CONTENT_CACHE_SECONDS", 300)
PUBLIC_PAGE_CACHE_MAX_PAGE_BYTES = envint("PUBLIC_PAGE_CACHE_MAX_PAGE_BYTES", 256 * 1024)
PUBLIC_PAGE_CACHE_BUDGET_BYTES = envint("PUBLIC_PAGE_CACHE_BUDGET_BYTES", 16 * 1024 * 1024)
# With the Redis cache, resources/page_cache.py answers those pages before Django (one Redis round trip).
PUBLIC_PAGE_CACHE = envbool("PUBLIC_PAGE_CACHE", True)
# Benchmarks only: mark the responses that layer served (X-Public-Page-Cache: hit) to prove it did.
PUBLIC_PAGE_CACHE_HIT_HEADER = envbool("PUBLIC_PAGE_CACHE_HIT_HEADER", False)

# The chat service's tunable rules.
HELPLINE = {
    # Staff must accept an offered chat within this time, or it goes back to the front of the queue.
    "OFFER_TIMEOUT_SECONDS": envint("HELPLINE_OFFER_TIMEOUT_SECONDS", 45),
    # Staff with no page open for this long (no staff page's pulse, no console socket) count as a
    # dropped connection; their chats are requeued. Long enough for a reload, a slow network and a
    # browser that slows timers in background tabs to about once a minute.
    "STAFF_GRACE_SECONDS": envint("HELPLINE_STAFF_GRACE_SECONDS", 90),
    # How often every open staff page checks in and hears of offers, its chats and the queue.
    "STAFF_PULSE_SECONDS": envint("HELPLINE_STAFF_PULSE_SECONDS", 5),
    # A waiting seeker silent this long has left (JavaScript-off pages check in every few seconds).
    "SEEKER_QUEUE_GRACE_SECONDS": envint("HELPLINE_SEEKER_QUEUE_GRACE_SECONDS", 90),
    # In a live chat people pause to think, so allow longer before counting them gone.
    "SEEKER_CHAT_GRACE_SECONDS": envint("HELPLINE_SEEKER_CHAT_GRACE_SECONDS", 600),
    "MESSAGE_MAX_LENGTH": envint("HELPLINE_MESSAGE_MAX_LENGTH", 2000),
    # Group commit (helpline.chat.group_commit): chat messages written together, up to this many in one
    # transaction, after waiting this long (ms) for more (0: at once; docs/performance.md).
    "MESSAGE_BATCH_MAX": envint("HELPLINE_MESSAGE_BATCH_MAX", 64),
    "MESSAGE_WRITERS": envint("HELPLINE_MESSAGE_WRITERS", 2),  # batches written at once per process
    "MESSAGE_BATCH_WINDOW_MS": envint("HELPLINE_MESSAGE_BATCH_WINDOW_MS", 0),
    # Waiting seekers hear their place at most this often: in a surge every offer moves everyone up one,
    # and telling thousands of sockets after each offer is what made a busy queue freeze.
    "QUEUE_NEWS_SECONDS": envint("HELPLINE_QUEUE_NEWS_SECONDS", 1),
    # How long a seeker's browser keeps its chat token.
    "SEEKER_TOKEN_MAX_AGE_SECONDS": envint("HELPLINE_SEEKER_TOKEN_MAX_AGE_SECONDS", 12 * 60 * 60),
    # Wait estimates use the handling times of this many recent chats.
    "ESTIMATE_SAMPLE_SIZE": envint("HELPLINE_ESTIMATE_SAMPLE_SIZE", 50),
    # How often a JavaScript-off page refreshes itself.
    "NO_JS_REFRESH_SECONDS": envint("HELPLINE_NO_JS_REFRESH_SECONDS", 8),
    # A chat whose seeker ticked "not safe right now" or "a child may be in danger now" at the start gets
    # this priority, so it is offered before the others (first come, first served among equals).
    "TRIAGE_PRIORITY": envint("HELPLINE_TRIAGE_PRIORITY", 10),
    # A chat about a topic some staff are trained for (helpline.staff.models.Skill) is offered only to them
    # until it has waited this long; then to anyone who speaks its language.
    "SKILL_WAIT_SECONDS": envint("HELPLINE_SKILL_WAIT_SECONDS", 120),
    # --- opening hours (admin-managed; none set at all = live chat always open) ---
    # New chats stop this long before closing, so the last seekers can still be answered.
    "LAST_CHAT_MINUTES_BEFORE_CLOSING": envint("HELPLINE_LAST_CHAT_MINUTES_BEFORE_CLOSING", 15),
    # With this many people waiting, new chats are turned away ("full"); 0 means no limit.
    "QUEUE_LIMIT": envint("HELPLINE_QUEUE_LIMIT", 40),
    # --- secure messages ---
    "SECURE_MESSAGE_MAX_LENGTH": envint("HELPLINE_SECURE_MESSAGE_MAX_LENGTH", 5000),
    # We aim to reply within this many working days (weekends and holidays do not count).
    "SECURE_REPLY_TARGET_WORKING_DAYS": envint("HELPLINE_SECURE_REPLY_TARGET_WORKING_DAYS", 3),
    # Threads waiting for a reply are offered to staff on duty, up to this many each (0 = inbox only).
    "SECURE_THREADS_PER_STAFF": envint("HELPLINE_SECURE_THREADS_PER_STAFF", 5),
    # Words in a return passphrase, from the EFF long list (less a few unkind words): 6 are 77 bits.
    "PASSPHRASE_WORDS": envint("HELPLINE_PASSPHRASE_WORDS", 6),
    # scrypt cost (a power of two). 2**14 takes about 60 ms and 16 MB per check on one core.
    "PASSPHRASE_SCRYPT_N": envint("HELPLINE_PASSPHRASE_SCRYPT_N", 2**14),
    # --- retention: what people wrote is deleted; only the daily counts stay ---
    "CHAT_RETENTION_HOURS": envint("HELPLINE_CHAT_RETENTION_HOURS", 72),
    # A supervisor's decision on an escalation outlives its chat this long, as a record without its words.
    "DECISION_RECORD_DAYS": envint("HELPLINE_DECISION_RECORD_DAYS", 365),
    "SECURE_THREAD_RETENTION_DAYS": envint("HELPLINE_SECURE_THREAD_RETENTION_DAYS", 30),
    # --- statistics: counts below this are shown as "fewer than N" ---
    "STATS_SMALL_COUNT": envint("HELPLINE_STATS_SMALL_COUNT", 5),
    # --- staff wellbeing (helpline.staff.wellbeing) ---
    # Time available for chats today (from the hour below, local time) past which the header gently
    # suggests a break, and past which no new chats are offered unless a supervisor extends the shift.
    "SHIFT_WARNING_MINUTES": envint("HELPLINE_SHIFT_WARNING_MINUTES", 240),
    "SHIFT_CAP_MINUTES": envint("HELPLINE_SHIFT_CAP_MINUTES", 360),
    # What one "extend" from the supervisor board adds.
    "SHIFT_EXTENSION_MINUTES": envint("HELPLINE_SHIFT_EXTENSION_MINUTES", 60),
    # The service day begins at this local hour, so a late shift past midnight counts as one day.
    "SHIFT_DAY_STARTS_HOUR": envint("HELPLINE_SHIFT_DAY_STARTS_HOUR", 4),
    # A chat that lasted this long (or was escalated) is heavy: offers then pause for BREAK_MINUTES.
    "HEAVY_CHAT_MINUTES": envint("HELPLINE_HEAVY_CHAT_MINUTES", 45),
    "BREAK_MINUTES": envint("HELPLINE_BREAK_MINUTES", 10),
}
SEEKER_COOKIE_NAME = "chat_token"
# Holds only a partner link's code, shared by everyone who followed it, and ends with the browser session
# (helpline.campaigns): how a visit's pages and chat are counted for the campaign, as daily totals only.
CAMPAIGN_COOKIE_NAME = "campaign"

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
ADMINS = [("Operator", addr) for addr in envlist("ADMIN_EMAILS")]
DEFAULT_EXCEPTION_REPORTER = "config.privacy.ClientlessExceptionReporter"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_client_identity": {"()": "config.privacy.ClientIdentityLogFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["no_client_identity"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["no_client_identity"],
            "include_html": False,
        },
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console", "mail_admins"], "level": "INFO", "propagate": False},
        # Servers' own access logs name the client: keep them off even if a command forgets.
        "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
        # uvicorn logs each accepted WebSocket with the client's address, and at debug level dumps
        # handshake headers (user agent included): route it through the filter, never below INFO.
        "uvicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "uvicorn": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "websockets": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "daphne": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
    },
}
CSRF_FAILURE_VIEW = "config.views.csrf_failure"
