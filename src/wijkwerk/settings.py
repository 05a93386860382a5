"""Settings for wijkwerk, read from the environment with safe development defaults.

`WIJKWERK_ENV` is `development` (the default) or `production`; any other value stops the start.
`production` switches on the production checks: the platform refuses to start with a weak or
published secret key, with DEBUG on, or without ALLOWED_HOSTS (or with a wildcard in it). Switches
(DEBUG and the like) take 1/true/yes/on or 0/false/no/off; anything else stops the start.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("WIJKWERK_VAR_DIR", PROJECT_DIR / "var"))

DEVELOPMENT_SECRET_KEY = "development-only-not-secret"  # noqa: S105 - refused in production
# Published values no production key may contain: the development key, Django's marker for keys
# made by startproject, and the demo's TOTP secret from the README.
KNOWN_SECRETS = (DEVELOPMENT_SECRET_KEY, "django-insecure-", "WIJKWERKDEMOTOTP")
SECRET_KEY_MIN_LENGTH = 40
SECRET_KEY_MIN_DISTINCT = 10
ENVIRONMENTS = ("development", "production")
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def env_bool(name: str, default: bool) -> bool:
    """A switch: 1/true/yes/on or 0/false/no/off (any case); anything else stops the start, so a
    typing error never silently means the default."""
    value = os.environ.get(name)
    if value is None:
        return default
    word = value.strip().lower()
    if word in TRUE_WORDS | FALSE_WORDS:
        return word in TRUE_WORDS
    raise ImproperlyConfigured(
        f"{name} must be one of 1, true, yes, on or 0, false, no, off; not {value!r}."
    )


# Secrets (SECRET_KEY, DATABASE_URL, EMAIL_HOST_PASSWORD) may come from files instead, as Docker
# and Kubernetes secrets and systemd credentials give them: SECRET_KEY_FILE=/run/secrets/key.
def env_secret(name: str, default: str | None = None) -> str | None:
    """`name` from the environment, or the contents of the file `name_FILE` points to (without
    its final line break); both set is a mistake that stops the start."""
    path = os.environ.get(f"{name}_FILE")
    if path is None:
        return os.environ.get(name, default)
    if name in os.environ:
        raise ImproperlyConfigured(f"Set {name} or {name}_FILE, not both.")
    try:
        value = Path(path).read_text(encoding="utf-8").rstrip("\r\n")
    except OSError as error:
        raise ImproperlyConfigured(
            f"{name}_FILE points to {path!r}, which cannot be read: {error.strerror}."
        ) from None
    if not value:
        raise ImproperlyConfigured(f"{name}_FILE points to {path!r}, which is empty.")
    return value


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _repeats_a_pattern(key: str) -> bool:
    """'abcabcabc…': a short piece repeated."""
    return any(
        key == (key[:period] * (len(key) // period + 1))[: len(key)]
        for period in range(1, len(key) // 2 + 1)
    )


def weak_secret_reason(key: str) -> str | None:
    """Why `key` may not sign production sessions, or None. The key itself is never echoed."""
    lowered = key.lower()
    if any(known.lower() in lowered for known in KNOWN_SECRETS):
        return "contains a published value (such as the development key)"
    if len(key) < SECRET_KEY_MIN_LENGTH:
        return f"is shorter than {SECRET_KEY_MIN_LENGTH} characters"
    if len(set(key)) < SECRET_KEY_MIN_DISTINCT or _repeats_a_pattern(key):
        return "is not random (too few different characters, or a repeated pattern)"
    return None


ENVIRONMENT = os.environ.get("WIJKWERK_ENV", "development")
if ENVIRONMENT not in ENVIRONMENTS:
    # 'Production' or 'production ' must not start in development mode with DEBUG on.
    raise ImproperlyConfigured(
        f"WIJKWERK_ENV must be exactly 'development' or 'production', not {ENVIRONMENT!r}."
    )
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = env_secret("SECRET_KEY", DEVELOPMENT_SECRET_KEY) or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")

if PRODUCTION:
    weakness = weak_secret_reason(SECRET_KEY)
    if weakness:
        raise ImproperlyConfigured(
            f"WIJKWERK_ENV=production needs SECRET_KEY set to a random value of "
            f"{SECRET_KEY_MIN_LENGTH}+ characters; the one given {weakness}."
        )
    if DEBUG:
        raise ImproperlyConfigured("WIJKWERK_ENV=production refuses to start with DEBUG on.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("WIJKWERK_ENV=production needs ALLOWED_HOSTS.")
    if any("*" in host for host in ALLOWED_HOSTS):
        raise ImproperlyConfigured(
            "WIJKWERK_ENV=production refuses a wildcard in ALLOWED_HOSTS: name the hosts "
            "(a leading dot, as in .example.nl, allows the subdomains of a domain)."
        )

INSTALLED_APPS = [
    # Our apps come before Django's own and allauth so that their templates and their Dutch
    # override theirs (core's catalogue says "je" where Django's Dutch says "u").
    "wijkwerk.core",
    "wijkwerk.accounts",
    "wijkwerk.areas",
    "wijkwerk.backoffice",
    "wijkwerk.funds",
    "wijkwerk.initiatives",
    "wijkwerk.budgeting",
    "wijkwerk.follows",
    "wijkwerk.news",
    "wijkwerk.events",
    "wijkwerk.comments",
    "wijkwerk.surveys",
    "wijkwerk.councils",
    "wijkwerk.challenges",
    "wijkwerk.expertise",
    "wijkwerk.groups",
    "wijkwerk.learning",
    "wijkwerk.reach",
    "wijkwerk.reports",
    "wijkwerk.opendata",
    "wijkwerk.site",
    "wijkwerk.demo",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "corsheaders",
]

MIDDLEWARE = [
    # CORS answers preflights itself, so it comes before anything else that may answer (only
    # /api/: CORS_URLS_REGEX below).
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Dutch unless the language switch chose otherwise; the browser's language is not asked.
    "wijkwerk.core.language.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Before anything reads a body (the CSRF check does so in process_view), after the
    # middleware that gives its refusal headers, language and user.
    "wijkwerk.core.middleware.RequestSizeLimitMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wijkwerk.accounts.middleware.StaffTwoFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "wijkwerk.urls"
WSGI_APPLICATION = "wijkwerk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wijkwerk.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_secret("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'wijkwerk.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default lives in var/; system checks open it, so it must exist from the start.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Every form field renders through one template (core/forms/field.html).
FORM_RENDERER = "wijkwerk.core.forms.FormRenderer"

# One cache for every app process: allauth's rate limits, the TOTP codes already used and our own
# limits on mail (`core.ratelimit`) live in it. A cache in each process's memory (Django's default)
# lets every gunicorn worker count on its own. The database cache needs no server of its own;
# `migrate` creates its table (core migration 0003). Culling starts above MAX_ENTRIES and would
# forget limits, so it is set far above what the platform keeps.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "wijkwerk_cache",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("WIJKWERK_CACHE_MAX_ENTRIES", "50000"))},
    }
}
# Parts of pages that every viewer sees the same (an area page's panels, a group's activity) are
# kept in that cache until what they show changes (core/fragments.py), at most this long, as they
# may depend on the time (coming events, open surveys). 0 turns it off.
FRAGMENT_CACHE_SECONDS = int(os.environ.get("WIJKWERK_FRAGMENT_CACHE_SECONDS", "60"))
# Sessions live in the database (Django's default; stated, as every app server must share them).
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "wijkwerk.accounts.backends.EmailLoginBackend",
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
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast hashing in tests only
    if env_bool("WIJKWERK_FAST_PASSWORD_HASHER", False) and not PRODUCTION
    else [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.ScryptPasswordHasher",
    ]
)
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"
# Where officials land after logging in: their work queue, if they have one (the permission);
# residents land on LOGIN_REDIRECT_URL (accounts.adapter.AccountAdapter.get_login_redirect_url).
WIJKWERK_WORK_QUEUE_URL = "initiatives:dashboard"
WIJKWERK_WORK_QUEUE_PERMISSION = "initiatives.use_dashboard"
LOGOUT_REDIRECT_URL = "site:home"

# django-allauth: e-mail is the login; it must be confirmed before the first login.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[wijkwerk] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    # Mails to an address anyone can type in (password reset; confirmation, also the "you already
    # have an account" mail on sign-up): allauth's limits per minute, and a bound per day.
    "reset_password": "20/m/ip,5/m/key,10/d/key",
    "confirm_email": "1/3m/key,10/d/key",
}
# Behind a load balancer or proxy: how many proxies append to X-Forwarded-For, so that limits
# per address (logins, voting codes, receipt checks) see the visitor's address, not the proxy's
# (docs/scaling.md). 0: REMOTE_ADDR is the visitor's.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("WIJKWERK_TRUSTED_PROXY_COUNT", "0"))
ACCOUNT_FORMS = {"signup": "wijkwerk.accounts.forms.SignupForm"}
ACCOUNT_ADAPTER = "wijkwerk.accounts.adapter.AccountAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "wijkwerk"

# django-axes: lock an account + address pair out after repeated failed logins.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "wijkwerk.accounts.lockout.login_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)

LANGUAGE_CODE = "nl"
# Language names in their own language, as the switch shows them; messages live in each app's
# locale/ folder.
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "static-collected"))
STATICFILES_DIRS = [BASE_DIR / "static", ("vendor", PROJECT_DIR / "node_modules")]
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
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads live outside the web root and are served only through views that check permissions.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "uploads"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880
# Whole request bodies (wijkwerk.core.middleware): the largest form is a 5 MB file, or an area's
# boundary as a file and as text. Anonymous visitors only send small forms (login, sign-up).
# The web server in front should refuse the same (README: client_max_body_size).
WIJKWERK_MAX_REQUEST_BYTES = 10 * 1024 * 1024
WIJKWERK_MAX_ANONYMOUS_REQUEST_BYTES = 256 * 1024

# E-mail goes out over SMTP; in development to a local SMTP server (`./dev mail` shows it).
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "wijkwerk <noreply@wijkwerk.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
MAILERS = {
    "default": {
        "BACKEND": os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"),
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "127.0.0.1"),
            "port": int(os.environ.get("EMAIL_PORT", "1025")),
            "username": os.environ.get("EMAIL_HOST_USER") or None,
            "password": env_secret("EMAIL_HOST_PASSWORD") or None,
            "use_tls": env_bool("EMAIL_USE_TLS", False),
            "timeout": 10,
        },
    }
}
if MAILERS["default"]["BACKEND"] != "django.core.mail.backends.smtp.EmailBackend":
    MAILERS["default"]["OPTIONS"] = {}

# Background work (e-mail, imports) runs through the database-backed task queue; `./dev run`
# starts its worker (`manage.py db_worker`).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Security headers. CSP has no 'unsafe-inline': scripts and styles come from our own origin,
# inline ones only with the per-request nonce.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:", "https://tile.openstreetmap.org"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
# The open data API (wijkwerk.opendata, /api/) may be read from any web page: GET, HEAD and
# OPTIONS from every origin, without cookies; the rest of the site sends no CORS headers.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")
CORS_EXPOSE_HEADERS = ("API-Version", "ETag", "Link", "X-Total-Count")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "wijkwerk.core.views.csrf_failure"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    # With LOG_LEVEL=DEBUG Django logs every SQL statement with its values: never a ballot's
    # or a round's ballot key (docs/adr/006-secret-ballot.md).
    "filters": {"no_ballot_sql": {"()": "wijkwerk.budgeting.logfilters.NoBallotSQL"}},
    "loggers": {"django.db.backends": {"filters": ["no_ballot_sql"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

WIJKWERK_SITE_NAME = os.environ.get("WIJKWERK_SITE_NAME", "wijkwerk")
# The public address, for absolute links in e-mails sent by the task worker (no request there).
WIJKWERK_BASE_URL = os.environ.get("WIJKWERK_BASE_URL", "http://127.0.0.1:8000")
# A municipality replaces the neutral token theme with its own CSS file of design tokens.
WIJKWERK_THEME_CSS = os.environ.get("WIJKWERK_THEME_CSS", "wijkwerk/theme-neutral.css")
# Limits on what makes the platform mail another person (`core.ratelimit`, counted in the shared
# cache): "AMOUNT/PERIOD" with PERIOD s, m, h or d, several separated by commas. Each action is
# counted per person; `mail_person` bounds the mails one person's actions send one other person.
# A refused help offer or message is not saved. Each can be set with WIJKWERK_RATE_LIMIT_<NAME>.
WIJKWERK_RATE_LIMITS = {
    name: os.environ.get(f"WIJKWERK_RATE_LIMIT_{name.upper()}", default)
    for name, default in {
        "help_offer": "3/m,10/h,20/d",
        # inviting a resident behind an offer (each mails them), per inviter; answering a
        # municipality's question, per resident
        "expertise_invite": "5/m,30/h,60/d",
        "question_answer": "5/m,30/h",
        "message": "10/m,60/h",
        "support": "10/m,60/h",
        # likes on a budget round's plans, per person (a like and its withdrawal count alike)
        "like": "30/m,300/h",
        # invitations to take up a role, per administrator
        "role_invite": "10/m,50/d",
        "mail_person": "20/d",
        # casting a ballot in a budget round, per person; checking a receipt code, per IP
        # address (against guessing codes)
        "vote": "10/m,30/h",
        "receipt_check": "10/m,60/h",
        # typing a voting code: per IP address (a household or care home may share one), and
        # the codes NOT found per round from all addresses together (against guessing from many
        # addresses; one window only: the misses of a window are kept in one cache entry)
        "code_ip": "20/m,100/h",
        "code_round": "600/m",
        # DigiD and eHerkenning logins begun, per IP address (each one a session and a trip to
        # the broker)
        "digid": "20/m,100/h",
        # comments (and replies), per person; reports of comments as abuse, per person
        "comment": "10/10m,60/d",
        "comment_report": "10/h,30/d",
        # answering a poll or survey without an account (or with a voting code), per IP
        # address: a household or care home shares one
        "survey_answer": "10/m,60/h",
        # following and unfollowing (areas, councils, initiatives, rounds), per person
        "follow": "30/m,300/h",
        # signing up for an event: per person or IP address, and (without an account) per
        # e-mail address, since each sign-up mails that address
        "event_rsvp": "10/m,30/h",
        "event_rsvp_address": "3/h,6/d",
        # mails to everyone signed up when an event's time or place changes, per event: a
        # flurry of corrections sends at most this many batches
        "event_change_mail": "3/h,6/d",
        # proposals under the right to challenge started, per person (a draft mails nobody;
        # the bound is against flooding the database and, once submitted, the register)
        "challenge": "30/h,100/d",
        # resident groups: the contact form (per person, or per IP address without an account),
        # asking to join and inviting (each mails the contacts or the person invited)
        "group_contact": "3/10m,10/d",
        "group_join": "5/h,20/d",
        "group_invite": "10/h,30/d",
        # residents' lessons sent for moderation (learning), per person: each waits in the
        # officials' queue
        "lesson": "3/10m,10/d",
    }.items()
}

# DigiD and eHerkenning through the municipality's OpenID Connect broker (budgeting/oidc.py, the
# README's "DigiD and eHerkenning"): no issuer, no DigiD. Claim names WIJKWERK_OIDC_CLAIM_<NAME>
# for bsn (or a pseudonym), birth_date (or age), postcode, house_number and kvk.
WIJKWERK_OIDC_ISSUER = os.environ.get("WIJKWERK_OIDC_ISSUER", "")
WIJKWERK_OIDC_CLIENT_ID = os.environ.get("WIJKWERK_OIDC_CLIENT_ID", "")
WIJKWERK_OIDC_CLIENT_SECRET = env_secret("WIJKWERK_OIDC_CLIENT_SECRET", "") or ""
WIJKWERK_OIDC_SCOPE_DIGID = os.environ.get("WIJKWERK_OIDC_SCOPE_DIGID", "openid digid")
WIJKWERK_OIDC_SCOPE_EHERKENNING = os.environ.get(
    "WIJKWERK_OIDC_SCOPE_EHERKENNING", "openid eherkenning"
)
WIJKWERK_OIDC_CLAIMS = {
    name: os.environ[f"WIJKWERK_OIDC_CLAIM_{name.upper()}"]
    for name in ("bsn", "birth_date", "age", "postcode", "house_number", "kvk")
    if os.environ.get(f"WIJKWERK_OIDC_CLAIM_{name.upper()}")
}
# the assurance levels from low to high (";" between levels, "," between equal values; empty:
# DigiD's, eHerkenning's and eIDAS's, budgeting/oidc.py) and the lowest accepted (DigiD Midden)
WIJKWERK_OIDC_ACR_LEVELS = os.environ.get("WIJKWERK_OIDC_ACR_LEVELS", "")
WIJKWERK_OIDC_MIN_ACR = os.environ.get(
    "WIJKWERK_OIDC_MIN_ACR", "urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract"
)
WIJKWERK_OIDC_LEEWAY = int(os.environ.get("WIJKWERK_OIDC_LEEWAY", "60"))
