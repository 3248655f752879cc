"""Settings: read from the environment once, checked, and handed to whatever needs them.

This is the only module that reads sohoa's environment variables. A value that is malformed or out
of range stops the command before it starts, with every such variable named and what it accepts.
The embedded defaults need no server.
"""
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping
from urllib.parse import urlsplit, urlunsplit

from sohoa.core.errors import ConfigurationError

PDFA_VALIDATION = ("auto", "on", "off")
RETENTION_CODES = ("01", "02", "03", "04", "05", "06", "07")  # TT05: permanent, 70, 50, 30, 20, 10 years, other
INCOMING_RETENTION = ("remove", "keep")
ACCESS_MODES = ("01", "02", "03")  # TT05: public, conditional, secret
DIGESTS = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512", "sha3_256", "sha3_384", "sha3_512")
TRUE, FALSE = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")


class Secret:
    """A credential: shown as asterisks in every repr, log line and serialised parameter."""
    __slots__ = ("_value",)

    def __init__(self, value: str):
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)


def default_home(environ: Mapping[str, str]) -> Path:
    data = environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(data) / "sohoa"


def default_config_dir(environ: Mapping[str, str]) -> Path:
    config = environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(config) / "sohoa"


def local_account() -> str:
    """The operating-system account running this process, as auditors will want to see it: user@host.
    From the process's user id, never from LOGNAME or USER, which anyone can set."""
    import pwd  # here, with socket and zoneinfo below: `sohoa <command> --help` reads no settings
    import socket

    try:
        user = pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # no name for this uid (a container without a passwd entry)
        user = f"uid{os.getuid()}"
    return f"{user}@{socket.gethostname()}"


@dataclass(frozen=True)
class SigningSettings:
    """The agency's key for signing its PDF/As: a PKCS#12 file, or a PKCS#11 token's key by label."""
    pkcs12: Path | None = None
    pkcs11_module: Path | None = None  # the token's PKCS#11 library
    token_label: str | None = None
    key_label: str | None = None  # the label of the key and its certificate on the token
    pin: Secret | None = None  # the token's PIN or the PKCS#12 passphrase
    pin_file: Path | None = None  # where the PIN was read from, when from a file


@dataclass(frozen=True)
class Settings:
    home: Path
    workers: int = 1
    language: str = "vie"
    ocr_engine: str = "tesseract"
    max_page_pixels: int = 100_000_000  # A3 at 600 dpi is 70 Mpx; beyond this a file is a bomb
    review_threshold: float = 0.80  # a key field below this confidence sends the record to review
    s3_endpoint: str | None = None  # set: objects go to this S3 service instead of the local folder
    s3_bucket: str = "sohoa"
    es_url: str | None = None  # set: the search index is this Elasticsearch instead of SQLite (no credentials)
    es_auth: tuple[str, Secret] | None = None  # user and password given in SOHOA_ES_URL
    es_index: str = "sohoa-records"
    pdfa_validation: str = "auto"  # veraPDF: "auto" when installed, "on" required, "off"
    verapdf_lib: Path | None = None  # the folder of veraPDF's jars; None: beside this Python
    default_retention: str = "01"  # TT05 retention code of a dossier the catalogue does not describe
    default_access_mode: str = "01"  # TT05 access mode; a dossier holding a secret document is "03"
    agency: str | None = None  # the agency that hands SIPs over (METS archivist agent)
    unit: str | None = None  # the unit that owns the dossiers ingested: its officers see its conditional records
    replica_dir: Path | None = None  # a second copy of every object in this folder, or:
    replica_s3_endpoint: str | None = None  # in this S3 service (same credentials)
    replica_s3_bucket: str = "sohoa-replica"
    checkpoint_dir: Path | None = None  # the audit chain's checkpoints; None: under home
    checkpoint_key: Path = Path("checkpoint-ed25519.pem")  # the key signing them, outside home (default: in the
    # account's config folder)
    lock_max_years: int = 100  # S3 Object Lock of a dossier kept for ever (retention 01 or 07) and of the log
    fixity_period_days: int = 30  # the fixity sweep checks every object once in this many days
    nightly_at: str = "02:00"
    fixity_at: str = "04:00"
    timezone: str = "Asia/Ho_Chi_Minh"
    work_pool: str = "sohoa"  # the Prefect work pool that `sohoa submit` fills and `sohoa worker` serves
    worker_lost_after_s: int = 90  # a flow run silent this long (no heartbeat) lost its worker and is run again
    incoming_retention: str = "remove"  # submitted scans once their dossier is archived: "remove" or "keep"
    signing: SigningSettings | None = None  # None: PDF/As are not signed (SOHOA_SIGNING=off)
    trust_roots: Path | None = None  # CA certificates that signatures are checked against
    tsa_url: str | None = None  # the time-stamping authority of signatures and of their renewal
    renew_before_days: int = 365  # a signed PDF/A gets a new timestamp when what it rests on expires this soon
    weak_digests: tuple[str, ...] = ("md5", "sha1")  # a timestamp made with one of these is renewed
    renewal_at: str = "05:00"  # Sundays: the weekly renewal of timestamps
    verbose: bool = False  # show Prefect's own logs
    debug: bool = False  # show the traceback of an internal error on the console too
    operator: str = field(default_factory=local_account)  # the account that runs the commands

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        env = _Reader(os.environ if environ is None else environ)
        home = env.path("SOHOA_HOME") or default_home(env.environ)
        es_url, es_auth = env.url_with_credentials("SOHOA_ES_URL")
        settings = cls(
            home=home.expanduser().resolve(),
            workers=env.integer("SOHOA_WORKERS", os.cpu_count() or 1, 1, 256, "parallel OCR processes"),
            language=env.text("SOHOA_OCR_LANGUAGE", "vie", r"[a-z_]+(\+[a-z_]+)*", "a Tesseract language, e.g. vie"),
            ocr_engine=env.text("SOHOA_OCR_ENGINE", "tesseract", r"[a-z0-9_]+", "an OCR engine name, e.g. tesseract"),
            max_page_pixels=env.integer("SOHOA_MAX_PAGE_PIXELS", cls.max_page_pixels, 1_000_000, 2_000_000_000,
                                        "pixels of the largest page accepted"),
            review_threshold=env.number("SOHOA_REVIEW_THRESHOLD", cls.review_threshold, 0.0, 1.0,
                                        "a confidence between 0 and 1"),
            s3_endpoint=env.url("SOHOA_S3_ENDPOINT"),
            s3_bucket=env.bucket("SOHOA_S3_BUCKET", cls.s3_bucket),
            es_url=es_url, es_auth=es_auth,
            es_index=env.text("SOHOA_ES_INDEX", cls.es_index, r"[a-z0-9][a-z0-9._-]{0,200}",
                              "an Elasticsearch index name (lower case)"),
            pdfa_validation=env.choice("SOHOA_PDFA_VALIDATION", cls.pdfa_validation, PDFA_VALIDATION),
            verapdf_lib=env.path("SOHOA_VERAPDF_LIB") or Path(sys.prefix) / "share" / "sohoa" / "verapdf",
            default_retention=env.choice("SOHOA_DEFAULT_RETENTION", cls.default_retention, RETENTION_CODES),
            default_access_mode=env.choice("SOHOA_DEFAULT_ACCESS_MODE", cls.default_access_mode, ACCESS_MODES),
            agency=env.text("SOHOA_AGENCY", None),
            unit=env.text("SOHOA_UNIT", None),
            replica_dir=env.path("SOHOA_REPLICA_DIR"),
            replica_s3_endpoint=env.url("SOHOA_REPLICA_S3_ENDPOINT"),
            replica_s3_bucket=env.bucket("SOHOA_REPLICA_S3_BUCKET", cls.replica_s3_bucket),
            checkpoint_dir=env.path("SOHOA_CHECKPOINT_DIR"),
            checkpoint_key=(env.path("SOHOA_CHECKPOINT_KEY")
                            or default_config_dir(env.environ) / "checkpoint-ed25519.pem").expanduser().resolve(),
            lock_max_years=env.integer("SOHOA_LOCK_MAX_YEARS", cls.lock_max_years, 70, 1000,
                                       "years, at least the longest fixed retention period (70)"),
            fixity_period_days=env.integer("SOHOA_FIXITY_PERIOD_DAYS", cls.fixity_period_days, 1, 1096,
                                           "days (Circular 05: at most 3 years)"),
            nightly_at=env.clock("SOHOA_NIGHTLY_AT", cls.nightly_at),
            fixity_at=env.clock("SOHOA_FIXITY_AT", cls.fixity_at),
            timezone=env.zone("SOHOA_TIMEZONE", cls.timezone),
            work_pool=env.text("SOHOA_WORK_POOL", cls.work_pool, r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}",
                               "a Prefect work pool name (letters, digits, . _ -)"),
            worker_lost_after_s=env.integer("SOHOA_WORKER_LOST_AFTER", cls.worker_lost_after_s, 45, 86400,
                                            "seconds without a heartbeat (sent every 30 s) before a run is lost"),
            incoming_retention=env.choice("SOHOA_INCOMING_RETENTION", cls.incoming_retention, INCOMING_RETENTION),
            signing=signing_settings(env),
            trust_roots=env.path("SOHOA_TRUST_ROOTS"),
            tsa_url=env.url("SOHOA_TSA_URL"),
            renew_before_days=env.integer("SOHOA_RENEW_BEFORE_DAYS", cls.renew_before_days, 30, 36500,
                                          "days before a timestamp's or a signature's certificate expires"),
            weak_digests=env.digests("SOHOA_WEAK_DIGESTS", cls.weak_digests),
            renewal_at=env.clock("SOHOA_RENEWAL_AT", cls.renewal_at),
            verbose=env.flag("SOHOA_VERBOSE"),
            debug=env.flag("SOHOA_DEBUG"),
        )
        if env.errors:
            raise ConfigurationError("invalid settings:\n  " + "\n  ".join(env.errors))
        if settings.replica_dir and settings.replica_s3_endpoint:
            raise ConfigurationError("invalid settings: SOHOA_REPLICA_DIR and SOHOA_REPLICA_S3_ENDPOINT both set; "
                                     "the replica is one or the other")
        if settings.checkpoint_key.is_relative_to(settings.home):
            raise ConfigurationError(f"invalid settings: SOHOA_CHECKPOINT_KEY={settings.checkpoint_key} is inside "
                                     "SOHOA_HOME; the key that signs the audit checkpoints must be kept outside the "
                                     "archive it protects")
        if settings.trust_roots and not settings.trust_roots.is_dir():
            raise ConfigurationError(f"invalid settings: SOHOA_TRUST_ROOTS={settings.trust_roots} is not a folder "
                                     "(of the CA certificates signatures are checked against)")
        if settings.signing and not settings.trust_roots:
            raise ConfigurationError("invalid settings: SOHOA_SIGNING=on needs SOHOA_TRUST_ROOTS, a folder of the CA "
                                     "certificates the agency's certificate chains to (its revocation data is "
                                     "fetched and embedded at signing)")
        return settings

    @property
    def keep_incoming(self) -> bool:
        return self.incoming_retention == "keep"

    @property
    def objects_dir(self) -> Path:
        return self.home / "objects"

    @property
    def index_path(self) -> Path:
        return self.home / "index.sqlite"

    @property
    def checkpoints_dir(self) -> Path:
        return self.checkpoint_dir or self.home / "checkpoints"

    @property
    def work_dir(self) -> Path:
        return self.home / "work"

    @property
    def quarantine_dir(self) -> Path:
        return self.home / "quarantine"

    @property
    def inbox_dir(self) -> Path:
        return self.home / "inbox"

    @property
    def done_dir(self) -> Path:
        return self.home / "done"

    @property
    def reports_dir(self) -> Path:
        return self.home / "reports"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "sohoa.log"


def signing_settings(env: "_Reader") -> SigningSettings | None:
    """SOHOA_SIGNING=on: the key from SOHOA_SIGNING_PKCS12, or from SOHOA_SIGNING_PKCS11_MODULE's token
    SOHOA_SIGNING_TOKEN under SOHOA_SIGNING_KEY_LABEL; its PIN or passphrase in SOHOA_SIGNING_PIN_FILE (or
    SOHOA_SIGNING_PIN)."""
    if env.choice("SOHOA_SIGNING", "off", ("off", "on")) == "off":
        return None
    pkcs12, module = env.path("SOHOA_SIGNING_PKCS12"), env.path("SOHOA_SIGNING_PKCS11_MODULE")
    token, label = env.text("SOHOA_SIGNING_TOKEN", None), env.text("SOHOA_SIGNING_KEY_LABEL", None)
    if bool(pkcs12) == bool(module):
        env.errors.append("SOHOA_SIGNING=on: set either SOHOA_SIGNING_PKCS12 (a key file) or "
                          "SOHOA_SIGNING_PKCS11_MODULE (a token), not both nor neither")
    elif module and not (token and label):
        env.errors.append("SOHOA_SIGNING_PKCS11_MODULE: also set SOHOA_SIGNING_TOKEN (the token's label) and "
                          "SOHOA_SIGNING_KEY_LABEL (the label of the key and its certificate)")
    return SigningSettings(pkcs12, module, token, label, env.secret("SOHOA_SIGNING_PIN"),
                           env.path("SOHOA_SIGNING_PIN_FILE"))


class _Reader:
    """Typed reads of environment variables; every malformed one is noted, not raised, so that all are
    reported together."""

    def __init__(self, environ: Mapping[str, str]):
        self.environ, self.errors = environ, []

    def _raw(self, name: str) -> str | None:
        value = self.environ.get(name, "").strip()
        return value or None

    def _bad(self, name: str, value: str, accepted: str):
        self.errors.append(f"{name}={value!r}: expected {accepted}")

    def text(self, name: str, default: str | None, pattern: str | None = None, accepted: str = "") -> str | None:
        value = self._raw(name)
        if value is None:
            return default
        if pattern and not re.fullmatch(pattern, value):
            self._bad(name, value, accepted)
            return default
        return value

    def integer(self, name: str, default: int, low: int, high: int, meaning: str) -> int:
        value = self._raw(name)
        if value is None:
            return default
        if not re.fullmatch(r"\d+", value.replace("_", "")) or not low <= int(value.replace("_", "")) <= high:
            self._bad(name, value, f"a whole number from {low} to {high} ({meaning})")
            return default
        return int(value.replace("_", ""))

    def number(self, name: str, default: float, low: float, high: float, accepted: str) -> float:
        value = self._raw(name)
        if value is None:
            return default
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if not low <= number <= high:
            self._bad(name, value, accepted)
            return default
        return number

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self._raw(name)
        if value is None:
            return default
        if value not in choices:
            self._bad(name, value, "one of " + ", ".join(choices))
            return default
        return value

    def flag(self, name: str) -> bool:
        value = (self._raw(name) or "").lower()
        if value not in TRUE + FALSE:
            self._bad(name, value, "1 or 0 (true/false, yes/no, on/off)")
            return False
        return value in TRUE

    def secret(self, name: str) -> Secret | None:
        """NAME_FILE names a file holding the secret (kept out of the environment of every child process);
        else NAME itself."""
        file = self.path(f"{name}_FILE")
        if file is None:
            value = self.environ.get(name)
            return Secret(value) if value else None
        try:
            return Secret(file.read_text(encoding="utf-8").strip("\r\n"))
        except (OSError, UnicodeDecodeError) as exc:
            self.errors.append(f"{name}_FILE={file}: cannot read it ({exc})")
            return None

    def path(self, name: str) -> Path | None:
        value = self._raw(name)
        return Path(value).expanduser() if value else None

    def url(self, name: str) -> str | None:
        url, auth = self.url_with_credentials(name)
        if auth:
            self._bad(name, urlunsplit(urlsplit(self._raw(name))._replace(netloc="…@" + urlsplit(url).netloc)),
                      "a URL without credentials (S3 takes them from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)")
        return url

    def url_with_credentials(self, name: str) -> tuple[str | None, tuple[str, Secret] | None]:
        """An http(s) URL, and the user and password it carries (taken out of it)."""
        value = self._raw(name)
        if value is None:
            return None, None
        try:
            parts = urlsplit(value)
            port_ok = parts.port is None or 0 < parts.port < 65536
        except ValueError:
            parts, port_ok = None, False
        if parts is None or parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
            host = value.rsplit("@", 1)[-1]  # never echo a password back
            self._bad(name, host, "an http:// or https:// URL, e.g. http://127.0.0.1:9200")
            return None, None
        host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
        netloc = f"{host}:{parts.port}" if parts.port else host
        plain = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
        auth = (parts.username or "", Secret(parts.password or "")) if parts.username else None
        return plain, auth

    def bucket(self, name: str, default: str) -> str:
        return self.text(name, default, r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]",
                         "an S3 bucket name: 3-63 lower-case letters, digits, dots and hyphens")

    def clock(self, name: str, default: str) -> str:
        value = self._raw(name)
        if value is None:
            return default
        match = re.fullmatch(r"(\d{1,2}):(\d{2})", value)
        if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
            self._bad(name, value, "a local time HH:MM, e.g. 02:00")
            return default
        return f"{int(match.group(1)):02d}:{match.group(2)}"

    def digests(self, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        """A comma-separated list of digest algorithms, by their names in hashlib (sha1, sha256, …)."""
        value = self._raw(name)
        if value is None:
            return default
        names = tuple(n.strip().lower() for n in value.split(",") if n.strip())
        unknown = [n for n in names if n not in DIGESTS]
        if unknown:
            self._bad(name, value, f"digest algorithms among {', '.join(DIGESTS)}")
            return default
        return names

    def zone(self, name: str, default: str) -> str:
        import zoneinfo

        value = self._raw(name)
        if value is None:
            return default
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            self._bad(name, value, "a time zone name, e.g. Asia/Ho_Chi_Minh")
            return default
        return value
