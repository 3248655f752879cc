"""Django settings of the portal, read from the same environment as the command line (sohoa.core.settings)."""
import os
from pathlib import Path
from urllib.parse import urlsplit

from sohoa.core.errors import ConfigurationError
from sohoa.core.settings import Settings
from sohoa.portal.database import database_config
from sohoa.portal.secret_key import secret_key
from sohoa.portal.working_days import days_off

SOHOA = Settings.from_env()
BASE_DIR = Path(__file__).resolve().parent
SECRET_KEY = secret_key(SOHOA.home)
DEBUG = False
# The hosts the portal answers as; behind a reverse proxy, its public name (SOHOA_ALLOWED_HOSTS=a,b).
ALLOWED_HOSTS = os.environ.get("SOHOA_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")

INSTALLED_APPS = [
    "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
    "django.contrib.messages", "django.contrib.staticfiles", "axes", "sohoa.portal",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "sohoa.portal.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # scripts and styles served by the portal itself: no CDN
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "sohoa.portal.tokens.BearerTokenMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]
ROOT_URLCONF = "sohoa.portal.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request", "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages", "sohoa.portal.context.account"]},
}]
WSGI_APPLICATION = "sohoa.portal.wsgi.application"
DATABASES = {"default": database_config(os.environ.get("SOHOA_DATABASE_URL"), SOHOA.home)}
DAYS_OFF = days_off(os.environ.get("SOHOA_DAYS_OFF"))  # beyond the public holidays, for answering requests
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "portal.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "search"
LOGOUT_REDIRECT_URL = "login"
# Login throttling: after 5 failures an account is locked for 15 minutes from that address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "portal/locked_out.html"
AXES_VERBOSE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher",
                    "django.contrib.auth.hashers.PBKDF2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
TIME_ZONE = SOHOA.timezone
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
WHITENOISE_USE_FINDERS = True  # served from the installed package, no collectstatic step

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600  # a working day
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Behind a TLS reverse proxy (README): cookies only over HTTPS, the scheme from the proxy's header.
if os.environ.get("SOHOA_BEHIND_TLS_PROXY"):
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Sign-in through the agency's OpenID Connect provider (Keycloak's realm URL), beside passwords.
OIDC_ISSUER = (os.environ.get("SOHOA_OIDC_ISSUER") or "").rstrip("/") or None
if OIDC_ISSUER:
    AUTHENTICATION_BACKENDS.append("sohoa.portal.oidc.AccountBackend")
    OIDC_RP_CLIENT_ID = os.environ.get("SOHOA_OIDC_CLIENT_ID", "")
    OIDC_RP_CLIENT_SECRET = os.environ.get("SOHOA_OIDC_CLIENT_SECRET", "")
    loopback = urlsplit(OIDC_ISSUER).hostname in ("127.0.0.1", "localhost", "::1")
    if not (OIDC_ISSUER.startswith("https://") or loopback and OIDC_ISSUER.startswith("http://")) \
            or not OIDC_RP_CLIENT_ID or not OIDC_RP_CLIENT_SECRET:
        raise ConfigurationError("invalid settings: SOHOA_OIDC_ISSUER is the provider's https URL (Keycloak: "
                                 "https://HOST/realms/REALM), with SOHOA_OIDC_CLIENT_ID and SOHOA_OIDC_CLIENT_SECRET, "
                                 "the portal's client there")
    OIDC_RP_SIGN_ALGO = "RS256"
    OIDC_RP_SCOPES = "openid profile"
    OIDC_USE_PKCE = True
    OIDC_CREATE_USER = False  # accounts, with their clearance, are made by the archive, not by the provider
    OIDC_TIMEOUT = 10
    OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"prompt": "login"}  # the password every time, not the provider's session
    OIDC_STORE_ID_TOKEN = True  # to sign out at the provider too

LOGGING = {"version": 1, "disable_existing_loggers": False,
           "handlers": {"console": {"class": "logging.StreamHandler"}},
           "loggers": {"django": {"handlers": ["console"], "level": "WARNING"},
                       "sohoa": {"handlers": ["console"], "level": "WARNING"},
                       "django.request": {"level": "ERROR"}}}  # not every 404 and 401: the audit trail has those
