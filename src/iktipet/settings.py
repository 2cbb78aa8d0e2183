"""Django settings. Configuration comes only from ``IKTIPET_*`` environment variables."""

from __future__ import annotations

import hashlib
import secrets
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.translation import gettext_lazy as _

from iktipet.config import (
    ConfigError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
    env_url,
    var_dir,
)

# httpx imports its command-line client (click, rich, pygments: ~100 modules, ~5 MiB in every
# process) whenever those happen to be installed, as they are here for other packages. Blocking
# that one module gives httpx's own stand-in for a missing CLI; nothing here runs `httpx` itself.
sys.modules.setdefault("httpx._main", None)  # type: ignore[assignment]

PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = var_dir()

# --- Core -------------------------------------------------------------------------------

DEBUG = env_bool("IKTIPET_DEBUG", False)
BASE_URL = env_url("IKTIPET_BASE_URL", "http://127.0.0.1:8000", schemes=("http", "https")).rstrip(
    "/"
)
_base = urlsplit(BASE_URL)
ALLOWED_HOSTS = env_list(
    "IKTIPET_ALLOWED_HOSTS",
    sorted({_base.hostname or "", "localhost", "127.0.0.1", "[::1]"} - {""}),
)


def _secret_key() -> tuple[str, bool]:
    """The key from the environment, else the one demo keeps in var/, else an ephemeral one."""
    key = env_str("IKTIPET_SECRET_KEY")
    if key:
        return key, True
    kept = VAR_DIR / "secret_key"
    if kept.is_file():
        return kept.read_text().strip(), False
    return secrets.token_urlsafe(50), False


SECRET_KEY, SECRET_KEY_FROM_ENV = _secret_key()

INSTALLED_APPS = [
    # The admin, with its login through the staff identity provider (accounts.admin_site).
    "iktipet.accounts.admin_site.IktipetAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "oauth2_provider",  # TestID's OpenID Connect provider (its tables are unused when it is off)
    "iktipet.core",
    "iktipet.ops",
    "iktipet.portal",
    "iktipet.accounts",
    "iktipet.testid",
    "iktipet.registers",
    "iktipet.catalog",
    "iktipet.applications",
    "iktipet.messaging",
    "iktipet.cases",
    "iktipet.nabovarsel",
    "iktipet.documents",
    "iktipet.payments",
    "iktipet.booking",
    "iktipet.integrations",
]

MIDDLEWARE = [
    "iktipet.ops.middleware.RequestIdMiddleware",
    "iktipet.ops.middleware.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "iktipet.ops.middleware.SecurityHeadersMiddleware",
    "iktipet.ops.caching.PrivateByDefaultMiddleware",
    "iktipet.ops.request_limits.RequestBodyLimitMiddleware",
    "iktipet.ops.request_limits.QueryTextMiddleware",
    "iktipet.ops.staticfiles.StaticFilesMiddleware",  # WhiteNoise
    # Pages gzipped (static files are precompressed by WhiteNoise, which answers before this).
    # BREACH needs a secret in the page that stays the same across responses, sizes an attacker
    # can watch, and requests the attacker can make carry the cookies. Here the CSRF token is
    # masked anew per response, each gzip stream is padded with up to 100 random bytes (Heal
    # the Breach, as Django's), and the session cookie is SameSite=Lax, so no cross-site fetch
    # or sub-resource gets a logged-in page. Measured: 3–4× fewer bytes for 0.03–0.09 ms CPU
    # per page (zlib-ng level 3; zlib took 0.1–0.35 ms on the same loaded machine).
    "iktipet.ops.compression.GZipMiddleware",  # Django's, compressed by zlib-ng
    "django.contrib.sessions.middleware.SessionMiddleware",
    "iktipet.ops.middleware.LocaleMiddleware",  # Django's, its choice remembered
    "django.middleware.common.CommonMiddleware",
    "iktipet.ops.middleware.CsrfViewMiddleware",  # Django's, its random strings drawn faster
    "iktipet.accounts.middleware.AuthenticationMiddleware",  # Django's, user read with session
    "django.contrib.messages.middleware.MessageMiddleware",
    "iktipet.accounts.middleware.SessionTimeoutMiddleware",
    # No XFrameOptionsMiddleware: SecurityHeadersMiddleware sets the same X-Frame-Options.
]
# Django's cookie-then-session storage, its stores built only for a request with a message.
MESSAGE_STORAGE = "iktipet.core.sessions.messages.LazyFallbackStorage"

AUTH_USER_MODEL = "accounts.User"
# Login only through OpenID Connect (ID-porten, the staff IdP): no password authentication.
AUTHENTICATION_BACKENDS = ["iktipet.accounts.backends.OidcBackend"]
LOGIN_URL = "accounts:login"
ROOT_URLCONF = "iktipet.urls"
WSGI_APPLICATION = "iktipet.wsgi.application"

_loaders = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]
TEMPLATES = [
    # The hot pages, written in Python, found first by name (core.python_pages; issue 13).
    {
        "BACKEND": "iktipet.core.python_pages.PythonPages",
        "NAME": "python",
        "DIRS": [],
        "APP_DIRS": False,
        "OPTIONS": {
            "pages": {
                "applications/step.html": "iktipet.applications.step_html.step_page",
                "applications/summary.html": "iktipet.applications.summary_html.summary_page",
                "accounts/my_page.html": "iktipet.accounts.pages.my_page",
                "cases/citizen/case.html": "iktipet.cases.pages.citizen_case_page",
                "cases/staff/case.html": "iktipet.cases.pages.staff_case_page",
                "cases/staff/inbox.html": "iktipet.cases.pages.inbox_page",
                "payments/order.html": "iktipet.payments.pages.order_page",
                "portal/front.html": "iktipet.portal.pages.front",
                "catalog/catalogue.html": "iktipet.portal.pages.catalogue",
                "catalog/service.html": "iktipet.portal.pages.service",
                "booking/picker.html": "iktipet.booking.pages.picker",
            },
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "iktipet.portal.context_processors.portal",
            ],
            # The cached loader always: hot pages spend their time in templates.
            "loaders": [("django.template.loaders.cached.Loader", _loaders)],
            # {% extends %} with the root template's blocks found once (its docstring).
            "builtins": ["iktipet.core.templatetags.extends"],
        },
    },
]

# --- Database ---------------------------------------------------------------------------

_default_db = f"sqlite:///{VAR_DIR / 'iktipet.sqlite3'}"
DATABASE_URL = env_url(
    "IKTIPET_DATABASE_URL", _default_db, schemes=("sqlite", "postgres", "postgresql", "pgsql")
)
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("IKTIPET_DB_CONN_MAX_AGE", 60))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # Measured: deferred transactions fail under concurrent writers ("database is locked");
    # IMMEDIATE with WAL and a busy timeout failed none.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    _db["CONN_MAX_AGE"] = 0 if DEBUG else _db["CONN_MAX_AGE"]
    _db.setdefault("TEST", {})["NAME"] = env_str("IKTIPET_TEST_SQLITE", "") or None
else:
    # Django's backend with timestamps read in C and a health check without a round trip
    # (iktipet.core.postgresql: measured there).
    _db["ENGINE"] = "iktipet.core.postgresql"
    _db["CONN_HEALTH_CHECKS"] = True
    _db.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and rate limits --------------------------------------------------------------

REDIS_URL = env_url("IKTIPET_REDIS_URL", "", schemes=("redis", "rediss", "unix"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "iktipet",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "iktipet",
        }
    }

# --- Tasks ------------------------------------------------------------------------------

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "periodic"],
    }
}
WORKER_HEARTBEAT_MAX_AGE = env_int("IKTIPET_WORKER_HEARTBEAT_MAX_AGE", 60, minimum=5)
# Optional bearer token that /metrics requires (unset: /metrics is open, e.g. behind a proxy).
METRICS_TOKEN = env_str("IKTIPET_METRICS_TOKEN")

# --- Sessions, cookies, security --------------------------------------------------------

_loopback = _base.hostname in ("127.0.0.1", "localhost", "::1")
HTTPS = _base.scheme == "https"
SECURE_COOKIES = env_bool("IKTIPET_SECURE_COOKIES", HTTPS or not _loopback)
SESSION_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "iktipet_session"
SESSION_COOKIE_AGE = 120 * 60
# Django's database sessions, read with SQL compiled once (core.sessions: ~0.2-0.5 ms less
# CPU on every logged-in page). With a shared cache, a session is read from it, not from the
# database, on every request (written to both). Not with the per-process cache: a logout
# would not reach the others.
SESSION_ENGINE = "iktipet.core.sessions.cached_db" if REDIS_URL else "iktipet.core.sessions.db"
# Their rows: Django's, with the user's id, so a request reads its session and user in one
# statement (core.sessions, accounts.middleware.AuthenticationMiddleware).
SESSION_MODEL = "accounts.Session"
# A login ends after 30 minutes without activity and 120 minutes in all (as ID-porten's SSO).
SESSION_IDLE_SECONDS = env_int("IKTIPET_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_ABSOLUTE_SECONDS = env_int("IKTIPET_SESSION_MAX_MINUTES", 120, minimum=1) * 60
# The register's yes to "may this person act for this organisation" is trusted this long, then
# asked again on the next request that acts for it (0: ask on every request).
ACCOUNTS_PARTY_RECHECK_SECONDS = env_int("IKTIPET_PARTY_RECHECK_MINUTES", 5, minimum=0) * 60
# Roles in Enhetsregisteret that may act for a unit where a service names none (INTEGRATIONS.md §2).
ACCOUNTS_PARTY_ROLE_CODES = tuple(env_list("IKTIPET_PARTY_ROLE_CODES", ["DAGL", "LEDE", "INNH"]))
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_TRUSTED_ORIGINS = [BASE_URL]
LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HTTPS:
    SECURE_HSTS_SECONDS = env_int("IKTIPET_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Extra origins a form may post or redirect to (e.g. an external identity provider).
CSP_FORM_ACTION_EXTRA = env_list("IKTIPET_CSP_FORM_ACTION", [])
# How many reverse proxies append to X-Forwarded-For in front of the app (0: use the socket
# address). Rate limits key on the client address, so behind a load balancer set this.
TRUSTED_PROXIES = env_int("IKTIPET_TRUSTED_PROXIES", 0, minimum=0)

PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# --- Identity -----------------------------------------------------------------------------

TESTID_ENABLED = env_bool("IKTIPET_TESTID", False)
TESTID_ISSUER = f"{BASE_URL}/testid"
# TestID is django-oauth-toolkit with ID-porten's lifetimes and rules (PKCE with S256 only).
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OAUTH2_VALIDATOR_CLASS": "iktipet.testid.validator.TestIDValidator",
    "SCOPES": {"openid": "OpenID Connect", "profile": "Profil"},
    "DEFAULT_SCOPES": ["openid"],
    "PKCE_REQUIRED": True,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 120,
    "ID_TOKEN_EXPIRE_SECONDS": 120,
    "OIDC_RESPONSE_TYPES_SUPPORTED": ["code"],
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
}
DEMO_DATA_DIR = Path(env_str("IKTIPET_DEMO_DATA_DIR", str(PACKAGE_DIR.parent.parent / "demo")))
# Service definitions (YAML) that `iktipet services load` and the demo load.
SERVICES_DIR = Path(env_str("IKTIPET_SERVICES_DIR", str(PACKAGE_DIR.parent.parent / "services")))
# Synthetic test fødselsnummer (Tenor month + 80, Dolly month + 40): test and demo only.
ALLOW_SYNTHETIC_IDS = env_bool("IKTIPET_ALLOW_SYNTHETIC_IDS", TESTID_ENABLED or DEBUG)


def _testid_secret(client_id: str) -> str:
    """TestID's client secrets derive from the secret key: nothing to configure in demo."""
    import hashlib
    import hmac

    return hmac.new(SECRET_KEY.encode(), f"testid:{client_id}".encode(), hashlib.sha256).hexdigest()


_OIDC_AUTH_METHODS = ("private_key_jwt", "client_secret_post", "client_secret_basic")

# Citizens: ID-porten in production; TestID over real HTTP when it is on and no issuer is set.
OIDC_ISSUER = env_url("IKTIPET_OIDC_ISSUER", "", schemes=("http", "https")).rstrip("/")
OIDC_CLIENT_ID = env_str("IKTIPET_OIDC_CLIENT_ID", "iktipet-portal")
OIDC_CLIENT_SECRET = env_str("IKTIPET_OIDC_CLIENT_SECRET")
OIDC_CLIENT_KEY = env_str("IKTIPET_OIDC_CLIENT_KEY")  # path to a PEM private key
OIDC_CLIENT_AUTH = env_str(
    "IKTIPET_OIDC_CLIENT_AUTH", "private_key_jwt" if OIDC_CLIENT_KEY else "client_secret_post"
)
if OIDC_CLIENT_AUTH not in _OIDC_AUTH_METHODS:
    raise ConfigError("IKTIPET_OIDC_CLIENT_AUTH", OIDC_CLIENT_AUTH, " or ".join(_OIDC_AUTH_METHODS))
# RP-initiated logout: the browser GETs the provider's end_session_endpoint (as ID-porten
# documents) or POSTs to it (keeps the id_token_hint out of URLs, where the provider serves POST).
OIDC_LOGOUT_METHOD = env_choice("IKTIPET_OIDC_LOGOUT_METHOD", "GET", ("GET", "POST"))
STAFF_OIDC_LOGOUT_METHOD = env_choice("IKTIPET_STAFF_OIDC_LOGOUT_METHOD", "GET", ("GET", "POST"))
if not OIDC_ISSUER and TESTID_ENABLED:
    OIDC_ISSUER = TESTID_ISSUER
    OIDC_CLIENT_SECRET = OIDC_CLIENT_SECRET or _testid_secret(OIDC_CLIENT_ID)

# Staff: the city's identity provider (Entra ID, Keycloak, …); TestID's staff users in demo.
STAFF_OIDC_ISSUER = env_url("IKTIPET_STAFF_OIDC_ISSUER", "", schemes=("http", "https")).rstrip("/")
STAFF_OIDC_CLIENT_ID = env_str("IKTIPET_STAFF_OIDC_CLIENT_ID", "iktipet-staff")
STAFF_OIDC_CLIENT_SECRET = env_str("IKTIPET_STAFF_OIDC_CLIENT_SECRET")
STAFF_OIDC_ROLES_CLAIM = env_str("IKTIPET_STAFF_OIDC_ROLES_CLAIM", "roles")
STAFF_OIDC_CLIENT_AUTH = env_choice(
    "IKTIPET_STAFF_OIDC_CLIENT_AUTH",
    "client_secret_post",
    ("client_secret_post", "client_secret_basic"),
)
STAFF_OIDC_SCOPE = env_str("IKTIPET_STAFF_OIDC_SCOPE", "openid profile")
if not STAFF_OIDC_ISSUER and TESTID_ENABLED:
    STAFF_OIDC_ISSUER = TESTID_ISSUER
    STAFF_OIDC_CLIENT_SECRET = STAFF_OIDC_CLIENT_SECRET or _testid_secret(STAFF_OIDC_CLIENT_ID)

# Key for the encrypted fødselsnummer and its keyed look-up hash (defaults derive from SECRET_KEY).
PID_ENCRYPTION_KEY = env_str("IKTIPET_PID_KEY")
# kid of the private_key_jwt key as registered at ID-porten (default: its JWK thumbprint).
OIDC_CLIENT_KEY_ID = env_str("IKTIPET_OIDC_CLIENT_KEY_ID")

# --- Registers (iktipet.registers; `iktipet registers check` lists problems) ---------------

_HTTP = ("http", "https")
REGISTER_TIMEOUT = env_int("IKTIPET_REGISTER_TIMEOUT", 5, minimum=1)  # seconds per request
POPULATION_REGISTER = env_str("IKTIPET_POPULATION_REGISTER", "local")
FOLKEREGISTER_URL = env_url("IKTIPET_FOLKEREGISTER_URL", "", schemes=_HTTP)
# A file holding a current bearer token, kept fresh by a Maskinporten token agent.
FOLKEREGISTER_TOKEN_FILE = env_str("IKTIPET_FOLKEREGISTER_TOKEN_FILE")
ORGANISATION_REGISTER = env_str("IKTIPET_ORGANISATION_REGISTER", "local")
BRREG_URL = env_url(
    "IKTIPET_BRREG_URL", "https://data.brreg.no/enhetsregisteret/api", schemes=_HTTP
)
BRREG_CANDIDATE_ORGNRS = env_list("IKTIPET_BRREG_CANDIDATE_ORGNRS", [])
PROPERTY_REGISTER = env_str("IKTIPET_PROPERTY_REGISTER", "local")
MATRIKKEL_URL = env_url("IKTIPET_MATRIKKEL_URL", "", schemes=_HTTP)
MATRIKKEL_TOKEN_FILE = env_str("IKTIPET_MATRIKKEL_TOKEN_FILE")
ADDRESS_REGISTER = env_str("IKTIPET_ADDRESS_REGISTER", "local")
GEONORGE_ADDRESS_URL = env_url(
    "IKTIPET_GEONORGE_ADDRESS_URL", "https://ws.geonorge.no/adresser/v1", schemes=_HTTP
)
KINDERGARTEN_REGISTER = env_str("IKTIPET_KINDERGARTEN_REGISTER", "local")
CONTACT_REGISTER = env_str("IKTIPET_CONTACT_REGISTER", "local")
KRR_URL = env_url("IKTIPET_KRR_URL", "https://kontaktregisteret.no/rest/v2", schemes=_HTTP)
KRR_TOKEN_FILE = env_str("IKTIPET_KRR_TOKEN_FILE")

# --- Email ----------------------------------------------------------------------------------

EMAIL_URL = env_str("IKTIPET_EMAIL_URL", "console://")
try:
    _email = urlsplit(EMAIL_URL)
    _email.port  # noqa: B018  (a non-numeric port raises here, not in the mail backend)
except ValueError:
    raise ConfigError(
        "IKTIPET_EMAIL_URL", EMAIL_URL, "smtp://, smtps://, console:// or file://"
    ) from None
if _email.scheme in ("smtp", "smtps", "submission"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 587)
    EMAIL_HOST_USER = _email.username or ""
    EMAIL_HOST_PASSWORD = _email.password or ""
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = _email.scheme != "smtps" and "tls=0" not in _email.query
elif _email.scheme == "console":
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif _email.scheme == "file":
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = _email.path or str(VAR_DIR / "mail")
elif _email.scheme == "locmem":
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
else:
    raise ConfigError("IKTIPET_EMAIL_URL", EMAIL_URL, "smtp://, smtps://, console:// or file://")
DEFAULT_FROM_EMAIL = env_str("IKTIPET_EMAIL_FROM", "Iktipet <ikke-svar@iktipet.invalid>")
# Where accessibility feedback (portal, /tilgjengelighet/tilbakemelding/) is emailed; empty:
# kept only in the admin.
FEEDBACK_EMAIL = env_str("IKTIPET_FEEDBACK_EMAIL", "")

# --- Applications (iktipet.applications) ------------------------------------------------------

# Unsent drafts are deleted this many days after they were last saved.
DRAFT_RETENTION_DAYS = env_int("IKTIPET_DRAFT_RETENTION_DAYS", 30, minimum=1)
UPLOAD_MAX_FILE_MB = env_int("IKTIPET_UPLOAD_MAX_FILE_MB", 10, minimum=1)
UPLOAD_MAX_TOTAL_MB = env_int("IKTIPET_UPLOAD_MAX_TOTAL_MB", 50, minimum=1)
# Any request body, refused (413) above this before it is read (ops.request_limits): the
# attachments one request may carry in all, plus one file's worth so that one file too many
# still gets the form's own message. The ingress in deploy/helm has the same limit.
REQUEST_MAX_MB = env_int(
    "IKTIPET_REQUEST_MAX_MB", UPLOAD_MAX_TOTAL_MB + UPLOAD_MAX_FILE_MB, minimum=UPLOAD_MAX_FILE_MB
)
REQUEST_MAX_BYTES = REQUEST_MAX_MB * 1_000_000
# The text of one request (form fields, not files) Django parses; more is a 400. A long text
# holds at most 20 000 characters, a message 10 000: a form step would need a hundred of them
# at full length to reach it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_500_000
# Files up to this size are held in memory while they are checked, larger ones in a
# temporary file: at most 10-20 files a request, so a few tens of MB per request at most.
FILE_UPLOAD_MAX_MEMORY_SIZE = 1_000_000
# Virus scanning of uploads: "none" (default) or "clamav" (clamd INSTREAM at IKTIPET_CLAMAV_URL).
ANTIVIRUS = env_str("IKTIPET_ANTIVIRUS", "none")
# tcp://host:port or unix:///path/to/clamd.sock (checked by `check_config` of the plugin).
CLAMAV_URL = env_str("IKTIPET_CLAMAV_URL", "tcp://127.0.0.1:3310")
# Where a submitted application goes: "internal" (Iktipet's case handling, iktipet.cases).
CASE_DESTINATION = env_str("IKTIPET_CASE_DESTINATION", "internal")
# `iktipet demo` adds example cases (synthetic); a scenario that fails is skipped with a
# warning, unless strict (the tests).
DEMO_CASES = env_bool("IKTIPET_DEMO_CASES", True)
DEMO_CASES_STRICT = False

# --- Payments (iktipet.payments: orders, providers, webhooks, refunds, reconciliation) -------

# The providers offered, in order: "testbank" (offline, built in), "vipps", "nets".
PAYMENT_PROVIDERS = env_list("IKTIPET_PAYMENT_PROVIDERS", ["testbank"])
# A payment left this long at the provider without an answer expires (cancelled there; the
# order can be paid again). The poller asks about attempts quiet for this many seconds.
PAYMENT_ATTEMPT_MINUTES = env_int("IKTIPET_PAYMENT_ATTEMPT_MINUTES", 30, minimum=1)
PAYMENT_POLL_AFTER_SECONDS = env_int("IKTIPET_PAYMENT_POLL_AFTER", 60, minimum=1)
# The testbank (the built-in TEST provider) signs its webhooks with this secret (default:
# derived from the secret key) and sends them through the worker after this many seconds.
TESTBANK_SECRET = (
    env_str("IKTIPET_TESTBANK_SECRET")
    or hashlib.sha256(f"iktipet-testbank:{SECRET_KEY}".encode()).hexdigest()
)
TESTBANK_WEBHOOK_DELAY_SECONDS = env_int("IKTIPET_TESTBANK_WEBHOOK_DELAY", 2, minimum=0)
# Seconds per phase (connect, send, read) of a call to Vipps or Nets; slower is "unavailable".
PAYMENT_PROVIDER_TIMEOUT = env_int("IKTIPET_PAYMENT_PROVIDER_TIMEOUT", 10, minimum=1)
# Vipps MobilePay ePayment (portal.vippsmobilepay.com > Utvikler): the merchant's API keys.
VIPPS_CLIENT_ID = env_str("IKTIPET_VIPPS_CLIENT_ID")
VIPPS_CLIENT_SECRET = env_str("IKTIPET_VIPPS_CLIENT_SECRET")
VIPPS_SUBSCRIPTION_KEY = env_str("IKTIPET_VIPPS_SUBSCRIPTION_KEY")
VIPPS_MSN = env_str("IKTIPET_VIPPS_MSN")
VIPPS_BASE_URL = env_url("IKTIPET_VIPPS_BASE_URL", "https://apitest.vipps.no", schemes=_HTTP)
# The secret `iktipet vipps_webhooks register` prints: it signs Vipps' webhooks (HMAC).
VIPPS_WEBHOOK_SECRET = env_str("IKTIPET_VIPPS_WEBHOOK_SECRET")
# Nets Easy / Nexi Checkout: the secret key, and the payment terms the hosted page links to.
NETS_SECRET_KEY = env_str("IKTIPET_NETS_SECRET_KEY")
NETS_BASE_URL = env_url("IKTIPET_NETS_BASE_URL", "https://test.api.dibspayment.eu", schemes=_HTTP)
NETS_TERMS_URL = env_url("IKTIPET_NETS_TERMS_URL", "", schemes=_HTTP)

# --- Messaging (iktipet.messaging: threads, notifications by email, SMS and letter) --------

# SMS channel: "console" (demo: the log and VAR_DIR/sms/outbox.log) or "http" (a gateway that
# takes POST {"to", "message"} as JSON with a bearer token).
SMS_CHANNEL = env_str("IKTIPET_SMS_CHANNEL", "console")
SMS_URL = env_url("IKTIPET_SMS_URL", "", schemes=("http", "https"))
SMS_TOKEN = env_str("IKTIPET_SMS_TOKEN")
SMS_TIMEOUT = env_int("IKTIPET_SMS_TIMEOUT", 10, minimum=1)  # seconds per request
# A notification is tried this many times (backoff 1, 5, 25, 125 … minutes), then failed.
NOTIFY_MAX_ATTEMPTS = env_int("IKTIPET_NOTIFY_MAX_ATTEMPTS", 5, minimum=1)

# --- i18n ---------------------------------------------------------------------------------

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
# English dates day-first (iktipet/formats/en): Django's own "en" formats are American.
FORMAT_MODULE_PATH = ["iktipet.formats"]
TIME_ZONE = "Europe/Oslo"
USE_TZ = True

# --- Static and media -------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = env_str("IKTIPET_STATIC_ROOT") or str(VAR_DIR / "static")
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Uploads are private: never served under a public URL, only through views that check access.
PRIVATE_STORAGE_DIR = Path(env_str("IKTIPET_PRIVATE_STORAGE_DIR", str(VAR_DIR / "private")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_STORAGE_DIR, "base_url": None},
    },
    # Hashed names, brotli/gzip copies, immutable caching once `iktipet serve` has run
    # collectstatic; the plain names before that (ops/staticfiles.py).
    "staticfiles": {"BACKEND": "iktipet.ops.staticfiles.StaticStorage"},
}

# --- Logging -------------------------------------------------------------------------------

LOG_LEVEL = env_str("IKTIPET_LOG_LEVEL", "INFO").upper()
LOG_FORMAT = env_str("IKTIPET_LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "iktipet.ops.logging.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "iktipet.ops.logging.JsonFormatter",
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        # A line per task run and state (the periodic jobs run every few seconds) buried what
        # an operator reads; a failed task is still logged, at ERROR with its traceback.
        "django_tasks": {"level": "WARNING"},
        # TestID's token clean-up: "0 expired tokens deleted" every run.
        "oauth2_provider": {"level": "WARNING"},
    },
}

CSRF_FAILURE_VIEW = "iktipet.portal.views.csrf_failure"

# --- Integrations (iktipet.integrations: the API at /api/v1/ and webhooks) --------------------

# Issuers whose access tokens the API accepts (Maskinporten; TestID's is added when it is on).
API_TOKEN_ISSUERS = env_list("IKTIPET_API_TOKEN_ISSUERS", ["https://maskinporten.no/"])
# The audience (`aud`) a token must carry: this API, as the client asked for it as `resource`.
API_AUDIENCE = env_str("IKTIPET_API_AUDIENCE", f"{BASE_URL}/api/v1")
API_RATE_LIMIT_PER_MINUTE = env_int("IKTIPET_API_RATE_LIMIT", 600, minimum=1)
# A webhook is retried with backoff for this long, then its delivery is dead (replayable).
WEBHOOK_RETRY_HOURS = env_int("IKTIPET_WEBHOOK_RETRY_HOURS", 24, minimum=1)
WEBHOOK_TIMEOUT_SECONDS = env_int("IKTIPET_WEBHOOK_TIMEOUT", 5, minimum=1)
# Hosts a webhook may reach although they resolve to private or loopback addresses.
WEBHOOK_ALLOWED_HOSTS = env_list("IKTIPET_WEBHOOK_ALLOWED_HOSTS", [])
# Delivered outbox rows (and their deliveries) are pruned after this many days.
EVENT_RETENTION_DAYS = env_int("IKTIPET_EVENT_RETENTION_DAYS", 30, minimum=1)
