"""A real PKI for the signature tests, made by the tests: a root CA, an intermediate CA with an OCSP
responder and CRLs, two time-stamping authorities, the agency's signing certificate, a revoked one and an
expired one (certomancer's definitions, served over HTTP on loopback), and a SoftHSM token holding the
agency's key (PKCS#11)."""
import asyncio
import datetime as dt
import os
import socket
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from certomancer.integrations.aiohttp_animator import build_animator_app
from certomancer.registry import ArchLabel, CertLabel, CertomancerConfig
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

SOFTHSM = Path("/usr/lib/softhsm/libsofthsm2.so")  # Debian's softhsm2
KEYS = ("root", "interm", "ocsp", "tsa", "tsa2", "signer", "revoked", "expired")
PIN = "1234"
PASSPHRASE = "mật khẩu"
VALID = {"valid-from": "2020-01-01T00:00:00+0000", "valid-to": "2050-01-01T00:00:00+0000"}
TSA_YEARS = 3  # the first time-stamping authority's certificate expires this long after today

CONFIG = """
external-url-prefix: "{prefix}"
keysets:
  vn: {{path-prefix: keys, keys: {{{keys}}}}}
pki-architectures:
  vn:
    keyset: vn
    entity-defaults: {{country-name: VN, organization-name: "Trung tâm Lưu trữ lịch sử tỉnh Ninh Bình"}}
    entities:
      root: {{common-name: "Root CA (test)"}}
      interm: {{common-name: "Intermediate CA (test)"}}
      ocsp: {{common-name: "OCSP responder (test)"}}
      tsa: {{common-name: "Time-stamping authority (test)"}}
      tsa2: {{common-name: "Time-stamping authority, renewed (test)"}}
      signer: {{common-name: "Trung tâm Lưu trữ lịch sử"}}
      revoked: {{common-name: "Revoked signer (test)"}}
      expired: {{common-name: "Expired signer (test)"}}
    certs:
      root:
        subject: root
        issuer: root
        validity: {valid}
        profiles: [{{id: simple-ca, params: {{crl-repo: root}}}}]
      interm:
        issuer: root
        validity: {valid}
        profiles: [{{id: simple-ca, params: {{max-path-len: 0, crl-repo: interm, ocsp-service: interm}}}}]
      ocsp: {{issuer: interm, validity: {valid}, profiles: [ocsp-responder]}}
      tsa:
        issuer: root
        validity: {{valid-from: "2020-01-01T00:00:00+0000", valid-to: "{tsa_until}"}}
        extensions:
          - {{id: key_usage, critical: true, smart-value: {{schema: key-usage, params: [digital_signature]}}}}
          - {{id: extended_key_usage, critical: true, value: [time_stamping]}}
          - {{id: crl_distribution_points, smart-value: {{schema: crl-dist-url, params: {{crl-repo-names: [root]}}}}}}
      tsa2: {{template: tsa, subject: tsa2, validity: {valid}}}
      signer: {{issuer: interm, validity: {valid}, profiles: [digsig-commitment]}}
      revoked:
        template: signer
        subject: revoked
        revocation: {{revoked-since: "2024-01-01T00:00:00+0000", reason: key_compromise}}
      expired:
        template: signer
        subject: expired
        validity: {{valid-from: "2020-01-01T00:00:00+0000", valid-to: "2021-01-01T00:00:00+0000"}}
    services:
      ocsp: {{interm: {{for-issuer: interm, responder-cert: ocsp, signing-key: ocsp}}}}
      crl-repo:
        root: {{for-issuer: root, signing-key: root, simulated-update-schedule: "P90D"}}
        interm: {{for-issuer: interm, signing-key: interm, simulated-update-schedule: "P30D"}}
      time-stamping:
        tsa: {{signing-key: tsa, signing-cert: tsa}}
        tsa2: {{signing-key: tsa2, signing-cert: tsa2, digest-algo: sha512}}
"""


@dataclass
class TestPki:
    folder: Path
    url: str  # where the OCSP responder, the CRLs and the TSA answer
    arch: object

    @property
    def tsa_url(self) -> str:
        return f"{self.url}/vn/tsa/tsa"

    @property
    def renewed_tsa_url(self) -> str:
        """A second authority, its certificate valid to 2050, signing with SHA-512."""
        return f"{self.url}/vn/tsa/tsa2"

    @property
    def trust_roots(self) -> Path:
        return self.folder / "roots"

    def pkcs12(self, label: str) -> Path:
        """The certificate called label, its key and its chain in a PKCS#12 file (PASSPHRASE)."""
        path = self.folder / f"{label}.p12"
        if not path.exists():
            path.write_bytes(self.arch.package_pkcs12(CertLabel(label), password=PASSPHRASE.encode()))
        return path

    def certificate_der(self, label: str) -> bytes:
        return self.arch.get_cert(CertLabel(label)).dump()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_keys(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in KEYS:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (folder / f"{name}.key.pem").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


def serve(arch_config: CertomancerConfig, port: int):
    """certomancer's responders on 127.0.0.1:port in a thread of their own; returns a function that stops them."""
    app = build_animator_app(arch_config.pki_archs, with_web_ui=False)
    loop = asyncio.new_event_loop()

    async def start():
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        return runner

    runner = loop.run_until_complete(start())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    def stop():
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
    return stop


def start_pki(folder: Path):
    """(TestPki, stop)."""
    make_keys(folder / "keys")
    port = free_port()
    prefix = f"http://127.0.0.1:{port}"
    tsa_until = dt.date.today().replace(year=dt.date.today().year + TSA_YEARS, day=1)
    text = CONFIG.format(prefix=prefix, valid="{" + ", ".join(f"{k}: \"{v}\"" for k, v in VALID.items()) + "}",
                         keys=", ".join(f"{k}: {{path: {k}.key.pem}}" for k in KEYS),
                         tsa_until=f"{tsa_until.isoformat()}T00:00:00+0000")
    config = CertomancerConfig.from_yaml(text, key_search_dir=str(folder))
    arch = config.get_pki_arch(ArchLabel("vn"))
    roots = folder / "roots"
    roots.mkdir()
    (roots / "root.der").write_bytes(arch.get_cert(CertLabel("root")).dump())
    return TestPki(folder, prefix, arch), serve(config, port)


def make_token(pki: TestPki, folder: Path, label: str = "sohoa") -> dict:
    """A SoftHSM token holding the agency's key and certificate under the label "signer", and its chain; the
    environment that points SoftHSM at it (SOFTHSM2_CONF)."""
    import pkcs11
    from asn1crypto import keys as asn1_keys
    from pkcs11 import Attribute, ObjectClass
    from pkcs11.util.rsa import decode_rsa_private_key
    from pkcs11.util.x509 import decode_x509_certificate

    tokens = folder / "tokens"
    tokens.mkdir(parents=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin", "87654321"],
                   env=env, check=True, capture_output=True)
    os.environ["SOFTHSM2_CONF"] = str(conf)  # read by the library when it is first loaded in this process
    token = pkcs11.lib(str(SOFTHSM)).get_token(token_label=label)
    key_der = pki.arch.key_set.get_private_key(pki.arch.get_cert_spec(CertLabel("signer")).subject_key).dump()
    private = asn1_keys.PrivateKeyInfo.load(key_der)["private_key"].parsed.dump()
    with token.open(rw=True, user_pin=PIN) as session:
        attributes = decode_rsa_private_key(private)
        attributes.update({Attribute.TOKEN: True, Attribute.LABEL: "signer", Attribute.ID: b"\x01",
                           Attribute.SENSITIVE: True, Attribute.EXTRACTABLE: False, Attribute.SIGN: True})
        session.create_object(attributes)
        for n, cert in enumerate(("signer", "interm", "root"), 1):
            attributes = decode_x509_certificate(pki.certificate_der(cert))
            attributes.update({Attribute.TOKEN: True, Attribute.LABEL: cert, Attribute.ID: bytes([n]),
                               Attribute.CLASS: ObjectClass.CERTIFICATE})
            session.create_object(attributes)
    return env
