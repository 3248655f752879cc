"""The CA certificates signatures are checked against (SOHOA_TRUST_ROOTS): a folder of PEM or DER files."""
from pathlib import Path

from asn1crypto import x509

from sohoa.core.errors import ConfigurationError

SUFFIXES = (".pem", ".crt", ".cer", ".der")


def load_trust_roots(folder: Path) -> list[x509.Certificate]:
    """The CA certificates (PEM or DER, one or several per file) of a folder; ConfigurationError when there are
    none or one cannot be read."""
    from pyhanko.keys import load_certs_from_pemder

    try:
        files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
        roots = list(load_certs_from_pemder([str(p) for p in files]))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(f"SOHOA_TRUST_ROOTS={folder}: its certificates cannot be read ({exc})") from exc
    if not roots:
        raise ConfigurationError(f"SOHOA_TRUST_ROOTS={folder}: no CA certificate ({', '.join(SUFFIXES)}) in it")
    return roots
