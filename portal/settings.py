"""Grappe settings, read once from the environment.

Defaults make a development checkout work with nothing set: SQLite in the
project folder, DEBUG on, e-mails printed on the console.
"""

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)
DEV_SECRET_KEY = "dev-only-insecure-key-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
if not DEBUG and SECRET_KEY in {"", DEV_SECRET_KEY}:
    raise RuntimeError("SECRET_KEY must be set to a secret of its own when DEBUG is off.")
SECRET_KEY = SECRET_KEY or DEV_SECRET_KEY
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "guardian",
    "simple_history",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal",
    "projects",
    "funding",
    "outcomes",
    "tokens",
    "audit",
]

# Forms' common widgets and labels written in Python, the same HTML as Django's templates.
FORM_RENDERER = "portal.widgets.Renderer"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files straight from the app servers (after `collectstatic`), with long cache
    # headers; in development it serves them from the apps' folders as runserver does.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified()
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",  # Django's, PDFs aside
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "portal.signin.SessionLifetimeMiddleware",
    "portal.two_factor.TwoFactorMiddleware",  # the code or the setup page before anything else
    "axes.middleware.AxesMiddleware",  # last: turns a refused sign-in into its page
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.context_processors.notifications",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.Person"
AUTHENTICATION_BACKENDS = [
    "portal.signin.SigninBackend",  # first: refuses a blocked sign-in before any password check
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Guardian: no anonymous user row; nobody signed out sees anything but the sign-in page.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Paris"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Until `collectstatic` has filled STATIC_ROOT (development, tests), serve from the finders.
WHITENOISE_USE_FINDERS = not STATIC_ROOT.is_dir()
if WHITENOISE_USE_FINDERS:  # and say nothing of the empty STATIC_ROOT
    warnings.filterwarnings("ignore", message="No directory at", module="whitenoise.base")
# Uploaded documents: never served from a public URL, only through views that check permissions.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MAX_UPLOAD_SIZE = int(os.environ.get("MAX_UPLOAD_SIZE", 20 * 1024 * 1024))
# What a request may carry (portal.uploads): no more than MAX_UPLOAD_SIZE of a file is kept on
# disk; besides its files, a request holds at most 5 MB in 1000 fields, and 10 files. More
# gets a page (or, in the API, a 400) saying so, not a bare "Bad Request".
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "portal.uploads.CappedUploadHandler",
]
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger files go to a temporary file
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 10  # every form takes one file

# EMAIL_URL: console:// (default: e-mails printed), locmem://, smtp://user:pass@host:port,
# smtp+tls://… (STARTTLS) or smtps://… (TLS).
EMAIL_URL = os.environ.get("EMAIL_URL", "console://")


def mailer_from_url(url):
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme in {"console", "locmem"}:
        return {"BACKEND": f"django.core.mail.backends.{parts.scheme}.EmailBackend"}
    if parts.scheme not in {"smtp", "smtp+tls", "smtps"}:
        raise RuntimeError(f"EMAIL_URL scheme {parts.scheme!r} is not one Grappe knows.")
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname or "localhost",
            "port": parts.port,
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": parts.scheme == "smtp+tls",
            "use_ssl": parts.scheme == "smtps",
        },
    }


MAILERS = {"default": mailer_from_url(EMAIL_URL)}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Grappe <noreply@grappe.example>")
# Where people reach Grappe: the links in e-mails are made absolute with it.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
# Days a membership whose year's fee is unpaid stays in its grace period after its end date.
MEMBERSHIP_GRACE_DAYS = int(os.environ.get("MEMBERSHIP_GRACE_DAYS", 90))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an API client without credentials gets a 401 that says how to sign in.
        "tokens.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # A read-only token may only read; otherwise the views check the person's own permissions.
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "tokens.permissions.TokenScope",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # JSON numbers keep their text, so that money fields refuse 1e9 (portal.api.fields).
    "DEFAULT_PARSER_CLASSES": [
        "portal.api.fields.StrictJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    "EXCEPTION_HANDLER": "portal.api.exceptions.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Grappe API",
    "DESCRIPTION": "Collaborative R&D projects, funding and outcomes of a pôle de compétitivité.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The 400/401/403/404/409/415 answers, declared on every operation they may come from.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.schema.declare_errors",
    ],
    # Several models have a "role", "kind" or "decision": each choice set gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "PartnerRoleEnum": "projects.models.Partner.Role",
        "ContactRoleEnum": "projects.models.Contact.Role",
        "SubmissionDecisionEnum": "projects.models.Submission.Decision",
        "PoleKindEnum": "portal.models.Pole.Kind",
        "MilestoneKindEnum": "projects.models.Milestone.Kind",
        "DocumentKindEnum": "projects.models.Document.Kind",
        "FunderKindEnum": "funding.models.Funder.Kind",
        "FundingLineStatusEnum": "funding.models.FundingLine.Status",
        "DisbursementKindEnum": "funding.models.Disbursement.Kind",
        "PrivateRoundKindEnum": "funding.models.PrivateRound.Kind",
        "MarketLaunchKindEnum": "outcomes.models.MarketLaunch.Kind",
        "PostKindEnum": "portal.models.Post.Kind",
        "CategoryEnum": "portal.models.Organisation.Category",
        "ProjectStateEnum": "projects.models.State",
        "OutcomeReportStateEnum": "outcomes.models.OutcomeReport.State",
    },
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Dashboards' figures kept until their data changes (portal.snapshots); after a change, the
# worker computes the stale landing views again this many seconds later.
FIGURES_REFRESH = env_bool("FIGURES_REFRESH", True)
FIGURES_REFRESH_DELAY = int(os.environ.get("FIGURES_REFRESH_DELAY", "30"))
# Meanwhile, the figures made stale are shown (said to be) if computed less than this many
# seconds ago; 0: computed again by the first person who asks.
FIGURES_STALE_SECONDS = int(os.environ.get("FIGURES_STALE_SECONDS", "600"))

# How many days what is kept only for a while stays (`manage.py apply_retention`, daily):
# RETENTION_NOTIFICATIONS_DAYS, RETENTION_SIGNIN_RECORDS_DAYS, RETENTION_INVITATIONS_DAYS (after
# they expire), RETENTION_TASK_RESULTS_DAYS, RETENTION_KEPT_FIGURES_DAYS (dashboards' figures
# not computed again since), RETENTION_AUDIT_ADDRESSES_DAYS (the address each change of the
# audit trail came from; the change stays). Projects, funding and reports are kept.
RETENTION_DAYS = {
    name: int(os.environ[f"RETENTION_{name.upper()}_DAYS"])
    for name in (
        "notifications",
        "signin_records",
        "invitations",
        "task_results",
        "kept_figures",
        "audit_addresses",
    )
    if os.environ.get(f"RETENTION_{name.upper()}_DAYS")
}

# Security headers and cookies. Production (DEBUG off) is HTTPS only; development and the
# tests run over plain http. Every value can be changed from the environment (README).
HTTPS_ONLY = env_bool("HTTPS_ONLY", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS_ONLY
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's probe may come over plain http
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31_536_000)) if HTTPS_ONLY else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)


def proxy_ssl_header(value):
    """'X-Forwarded-Proto: https' -> ('HTTP_X_FORWARDED_PROTO', 'https'); '' -> None."""
    if not value.strip():
        return None
    name, _, expected = value.partition(":")
    if not expected.strip():
        raise RuntimeError("SECURE_PROXY_SSL_HEADER looks like 'X-Forwarded-Proto: https'.")
    return ("HTTP_" + name.strip().upper().replace("-", "_"), expected.strip())


# Only behind a proxy that sets this header on every request (and drops it from clients').
SECURE_PROXY_SSL_HEADER = proxy_ssl_header(os.environ.get("SECURE_PROXY_SSL_HEADER", ""))
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline script or style anywhere, in development too (so a violation shows at once):
# behaviour is htmx attributes and static files, htmx runs without eval (base.html).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# Sign-in throttling (django-axes, portal/signin.py): failures are counted per account (the
# e-mail typed, existing or not) and per client address, within SIGNIN_LOCKOUT_MINUTES of the
# last one; past either limit, sign-in is refused until that much time has passed without a
# new failure, or a superuser deletes the attempts in the admin. A successful sign-in
# forgets the account's failures.
SIGNIN_FAILURES_PER_ACCOUNT = int(os.environ.get("SIGNIN_FAILURES_PER_ACCOUNT", 5))
SIGNIN_FAILURES_PER_ADDRESS = int(os.environ.get("SIGNIN_FAILURES_PER_ADDRESS", 20))
SIGNIN_LOCKOUT_MINUTES = int(os.environ.get("SIGNIN_LOCKOUT_MINUTES", 15))
# Behind a reverse proxy: the header in which it passes the client's address (e.g.
# X-Forwarded-For, whose last address is the one the proxy saw); unset: REMOTE_ADDR.
CLIENT_ADDRESS_HEADER = os.environ.get("CLIENT_ADDRESS_HEADER", "").strip()
AXES_HANDLER = "portal.signin.SigninHandler"
AXES_FAILURE_LIMIT = SIGNIN_FAILURES_PER_ACCOUNT
AXES_COOLOFF_TIME = timedelta(minutes=SIGNIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "portal.signin.account_name"
AXES_CLIENT_IP_CALLABLE = "portal.signin.client_address"
AXES_LOCKOUT_CALLABLE = "portal.signin.lockout_response"

# Sessions end after SESSION_IDLE_SECONDS without a request, and in any case
# SESSION_MAX_SECONDS after signing in (portal.signin.SessionLifetimeMiddleware). Changing
# one's password ends one's other sessions (Django's session hash); resetting it ends all.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", 8 * 3600))
SESSION_MAX_AGE = int(os.environ.get("SESSION_MAX_SECONDS", 12 * 3600))

# Two-factor authentication (TOTP, django-otp; portal/two_factor.py): required for pole staff,
# funder reviewers and admins unless REQUIRE_TWO_FACTOR is off; anyone may turn it on. Wrong
# codes count as failed sign-ins (django-axes); TWO_FACTOR_CODE_ATTEMPTS of them end the
# half-signed-in session. django-otp's own delays after a wrong code are off: axes counts.
REQUIRE_TWO_FACTOR = env_bool("REQUIRE_TWO_FACTOR", True)
TWO_FACTOR_CODE_ATTEMPTS = int(os.environ.get("TWO_FACTOR_CODE_ATTEMPTS", 5))
OTP_TOTP_ISSUER = "Grappe"
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]  # axes' own, and the 2FA code

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
