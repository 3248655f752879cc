"""The agency signs every PDF/A of a dossier before it is validated and stored (SOHOA_SIGNING=on).

A signature cannot be made twice alike (its time, the timestamp and the revocation data change), so a
repeat of an interrupted ingest keeps the signed PDF/A the first attempt stored, recognised by the unsigned
PDF/A it begins with (the signature is appended to it), and stores nothing new.
"""
import threading
from contextlib import ExitStack, contextmanager
from dataclasses import replace

from sohoa.archive.store import ObjectStore
from sohoa.core.errors import ConfigurationError, PinRefused
from sohoa.core.settings import Secret, Settings, SigningSettings
from sohoa.pipeline.token_logins import TokenLogins


def signed_pdfs(pdfs: list[bytes], keys: list[str], store: ObjectStore, settings: Settings) -> list[bytes]:
    """The PDF/As as they are to be stored under keys: signed by the agency, or as built when signing is off."""
    if settings.signing is None:
        return pdfs
    stored = [signed_earlier(store, key, pdf) for key, pdf in zip(keys, pdfs)]
    fresh = iter(signed_now([pdf for done, pdf in zip(stored, pdfs) if done is None], settings))
    return [done or next(fresh) for done in stored]


# A token takes one login at a time: the portal's threads sign one after the other.
_signing = threading.Lock()


def signed_now(pdfs: list[bytes], settings: Settings) -> list[bytes]:
    """The PDFs signed by the agency with one opening of its key (settings.signing must be set)."""
    if not pdfs:
        return []
    from sohoa.archive.signing import AgencySigner  # pyHanko: a second to load, when signing
    from sohoa.archive.trust_roots import load_trust_roots

    roots = load_trust_roots(settings.trust_roots)
    with _signing, opened_key(settings) as key:
        signer = AgencySigner(key, roots, settings.tsa_url)
        return [signer.sign(pdf) for pdf in pdfs]


def check_signing_key(settings: Settings) -> None:
    """Open the agency's key once before a run's work: a wrong PIN or passphrase stops the run at once, with
    one failed login on the token rather than one per dossier (tokens lock after a few)."""
    if settings.signing is None:
        return
    from sohoa.archive.trust_roots import load_trust_roots

    load_trust_roots(settings.trust_roots)
    with _signing, opened_key(settings):
        pass


@contextmanager
def opened_key(settings: Settings):
    """The agency's key, opened with the PIN its file holds now. A PIN the token refused is not tried on it
    again by any process that shares SOHOA_HOME (tokens lock after a few refusals)."""
    from sohoa.archive.signing_keys import agency_key, token_name

    signing = replace(settings.signing, pin=current_pin(settings.signing))
    if signing.pkcs11_module is None:  # a PKCS#12 file cannot lock
        with agency_key(signing) as key:
            yield key
        return
    where = token_name(signing.pkcs11_module, signing.token_label)
    logins, pin = TokenLogins(settings.home / "signing", where), signing.pin.reveal() if signing.pin else ""
    with ExitStack() as opened:
        with logins.one_at_a_time():
            refused = logins.refused_at(pin)
            if refused:
                raise ConfigurationError(
                    f"{where}: this PIN was refused at {refused} and is not tried again: write the right PIN to "
                    f"SOHOA_SIGNING_PIN_FILE, or remove {logins.refusals} if the token's PIN was changed to it")
            try:
                key = opened.enter_context(agency_key(signing))
            except PinRefused as exc:
                unrecorded = logins.remember_refused(pin)
                raise PinRefused(f"{exc}; {unrecorded or 'no process tries it again'}") from exc
        yield key


def current_pin(signing: SigningSettings) -> Secret | None:
    """The PIN file as it is now: a long-running process (the portal) sees a corrected PIN."""
    if signing.pin_file is None:
        return signing.pin
    try:
        return Secret(signing.pin_file.read_text(encoding="utf-8").strip("\r\n"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"SOHOA_SIGNING_PIN_FILE={signing.pin_file}: cannot read it "
                                 f"({getattr(exc, 'strerror', None) or exc})") from exc


def signed_earlier(store: ObjectStore, key: str, unsigned: bytes) -> bytes | None:
    """The object an earlier attempt stored under key, when it is this PDF/A with the agency's signature
    appended and nothing else."""
    if store.head(key) is None:
        return None
    data = store.get(key)
    if len(data) <= len(unsigned) or not data.startswith(unsigned):
        return None
    from sohoa.archive.signing import agency_signature, unsigned_pdfa

    return data if unsigned_pdfa(data) == unsigned and agency_signature(data) is not None else None


def signature_record(pdf: bytes) -> dict | None:
    """What the record says of the agency's signature on its PDF/A."""
    from sohoa.archive.signing import agency_signature
    from sohoa.archive.timestamp_renewal import protection

    signature = agency_signature(pdf)
    # what it rests on: the weekly renewal reads it here rather than from every PDF/A
    return {**signature.to_json(), "protection": protection(pdf).to_json()} if signature else None


def unsigned(pdf: bytes) -> bytes:
    """A stored PDF/A without the agency's signature, to be revised (and signed again when signing is on)."""
    if b"/ByteRange" not in pdf:  # never signed (a signature dictionary is never compressed): no pyHanko
        return pdf
    from sohoa.archive.signing import unsigned_pdfa

    return unsigned_pdfa(pdf)
