"""The key that signs the audit log's checkpoints: Ed25519, kept outside the archive.

Whoever can write to the archive (SOHOA_HOME, the bucket) can rewrite the log and recompute every
hash of its chain; without this key they cannot sign a checkpoint for the rewritten head, and verify
names every checkpoint whose signature fails. The key is made on first use, readable by its owner
only; auditors note its public key (`sohoa status`) to recognise a replaced key.
"""
import base64
import hashlib
import json
import os
import uuid
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from sohoa.core.errors import ConfigurationError


def signed_payload(checkpoint: dict) -> bytes:
    """The part of a checkpoint its signature covers."""
    return json.dumps({k: checkpoint.get(k) for k in ("seq", "hash", "time", "base", "previous")}, sort_keys=True,
                      separators=(",", ":")).encode()


class CheckpointKey:
    def __init__(self, private: Ed25519PrivateKey, path: Path):
        self.private, self.path = private, path
        raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        self.public_text = "ed25519:" + base64.b64encode(raw).decode()
        self.key_id = hashlib.sha256(raw).hexdigest()[:16]

    @classmethod
    def load_or_create(cls, path: Path) -> "CheckpointKey":
        try:
            if not path.exists():
                _create(path)
            private = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except OSError as exc:
            raise ConfigurationError(f"checkpoint key {path}: {exc.strerror or exc}") from exc
        except (ValueError, TypeError) as exc:
            raise ConfigurationError(f"checkpoint key {path} is not a PEM private key: {exc}") from exc
        if not isinstance(private, Ed25519PrivateKey):
            raise ConfigurationError(f"checkpoint key {path} is not an Ed25519 key")
        return cls(private, path)

    def sign(self, checkpoint: dict) -> dict:
        signature = self.private.sign(signed_payload(checkpoint))
        return {**checkpoint, "key_id": self.key_id, "signature": base64.b64encode(signature).decode()}

    def problem_with(self, checkpoint: dict) -> str | None:
        """Why the checkpoint's signature does not hold, or None when it is this key's and intact."""
        if not checkpoint.get("signature"):
            return "unsigned"
        if checkpoint.get("key_id") != self.key_id:
            return f"signed by another key ({checkpoint.get('key_id')}), not {self.key_id}"
        public: Ed25519PublicKey = self.private.public_key()
        try:
            public.verify(base64.b64decode(checkpoint["signature"]), signed_payload(checkpoint))
        except (InvalidSignature, ValueError):
            return "its signature does not match its content"
        return None


def _create(path: Path) -> None:
    """A new key, written whole and readable by its owner only; a key made meanwhile by another process wins."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    pem = Ed25519PrivateKey.generate().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption())
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(pem)
            out.flush()
            os.fsync(out.fileno())
        os.link(tmp, path)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
