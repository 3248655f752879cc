"""The agency's signing key: a PKCS#12 file, or a key that never leaves its PKCS#11 token (a USB token or
an HSM). Opened once for a dossier; the PIN or passphrase is never logged nor put in a message."""
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from asn1crypto import x509
from pyhanko.sign.signers import Signer, SimpleSigner

from sohoa.core.errors import ConfigurationError, PinRefused
from sohoa.core.settings import Secret, SigningSettings


@dataclass(frozen=True)
class AgencyKey:
    signer: Signer
    certificate: x509.Certificate

    @property
    def agency(self) -> str:
        return agency_name(self.certificate)


def agency_name(certificate: x509.Certificate) -> str:
    """The organisation a certificate was issued to (its common name when it names none)."""
    subject = certificate.subject.native
    return subject.get("organization_name") or subject.get("common_name") or certificate.subject.human_friendly


@contextmanager
def agency_key(settings: SigningSettings) -> Iterator[AgencyKey]:
    if settings.pkcs12 is not None:
        yield rsa_only(pkcs12_key(settings.pkcs12, settings.pin))
        return
    with token_key(settings.pkcs11_module, settings.token_label, settings.key_label, settings.pin) as key:
        yield rsa_only(key)


def token_name(module: Path, token: str) -> str:
    return f"token {token!r} of SOHOA_SIGNING_PKCS11_MODULE={module}"


def rsa_only(key: AgencyKey) -> AgencyKey:
    """An elliptic-curve signature would make the file declare PDF 2.0, which no PDF/A-2 may."""
    algorithm = key.certificate.public_key.algorithm
    if algorithm != "rsa":
        raise ConfigurationError(f"the agency's certificate has a {algorithm.upper()} key: a PDF/A-2 file can carry "
                                 "an RSA signature only")
    return key


def pkcs12_key(path: Path, passphrase: Secret | None) -> AgencyKey:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigurationError(f"SOHOA_SIGNING_PKCS12={path}: cannot read it ({exc.strerror})") from exc
    try:
        signer = SimpleSigner.load_pkcs12_data(data, other_certs=[],
                                               passphrase=passphrase.reveal().encode() if passphrase else None)
    except (ValueError, TypeError) as exc:
        raise ConfigurationError(f"SOHOA_SIGNING_PKCS12={path}: not a PKCS#12 file this passphrase opens "
                                 "(SOHOA_SIGNING_PIN or SOHOA_SIGNING_PIN_FILE)") from exc
    return AgencyKey(signer, signer.signing_cert)


@contextmanager
def token_key(module: Path, token: str, label: str, pin: Secret | None) -> Iterator[AgencyKey]:
    import pkcs11  # python-pkcs11: loaded only for a token
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

    where = token_name(module, token)
    try:
        session = open_pkcs11_session(str(module), token_criteria=TokenCriteria(label=token),
                                      user_pin=pin.reveal() if pin else None)
    except (pkcs11.exceptions.PinIncorrect, pkcs11.exceptions.PinLocked) as exc:
        raise PinRefused(f"{where}: the PIN was refused ({type(exc).__name__})") from exc
    except (pkcs11.PKCS11Error, OSError, RuntimeError) as exc:
        raise ConfigurationError(f"{where}: cannot be opened ({type(exc).__name__} {exc})") from exc
    with session:
        try:
            # Every certificate on the token: the chain up to the agency's CA is usually there with the key.
            signer = PKCS11Signer(session, cert_label=label, key_label=label, other_certs_to_pull=None)
            certificate = signer.signing_cert
        except Exception as exc:  # noqa: BLE001 - pyHanko reports a missing object in several ways
            raise ConfigurationError(f"{where}: no certificate and key labelled {label!r} "
                                     "(SOHOA_SIGNING_KEY_LABEL)") from exc
        yield AgencyKey(signer, certificate)
