"""Transport safety: plain http only to loopback, TLS always verified, and a redirect never
carries the Authorization header anywhere (alertsync follows none)."""

from __future__ import annotations

import datetime
import ipaddress
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from threading import Thread
from typing import Any

import pytest

from alertsync.emulator import Emulator
from tests.builders import Runner, alert, write

KEY = "phx_transport_test_key_0123456789abcdef"


class Recorder(HTTPServer):
    """A loopback HTTP(S) server that records each request's path and headers."""

    def __init__(self, status: int = 200, location: str = "") -> None:
        self.seen: list[tuple[str, dict[str, str]]] = []
        self.status, self.location = status, location
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class _Handler(BaseHTTPRequestHandler):
    server: Recorder

    def do_GET(self) -> None:
        self.server.seen.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
        self.send_response(self.server.status)
        if self.server.location:
            self.send_header("Location", self.server.location + self.path)
        body = b'{"count": 0, "next": null, "previous": null, "results": []}'
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def serving(server: Recorder) -> Recorder:
    Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
    return server


@pytest.fixture
def files(tmp_path: Path) -> Path:
    return write(tmp_path / "alerts.yaml", {"alerts": [alert("One")]})


def cli(emu: Emulator, host: str) -> Runner:
    run = Runner(emu, key=KEY)
    run.env.update({"POSTHOG_HOST": host, "ALERTSYNC_RETRY_BASE_DELAY": "0.001"})
    return run


@pytest.mark.parametrize("host", ["http://example.com", "http://10.0.0.8:8000", "http://[::2]"])
def test_plain_http_is_refused_for_other_hosts(emulator: Emulator, files: Path, host: str) -> None:
    result = cli(emulator, host)("plan", str(files))
    assert result.exit_code == 1
    assert "uses plain http" in result.stderr
    assert KEY not in result.output


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirect_is_not_followed_and_the_key_goes_nowhere_else(
    emulator: Emulator, files: Path, status: int
) -> None:
    elsewhere = serving(Recorder())
    redirecting = serving(Recorder(status, f"http://localhost:{elsewhere.port}"))
    try:
        result = cli(emulator, f"http://127.0.0.1:{redirecting.port}")("plan", str(files))
    finally:
        redirecting.shutdown()
        elsewhere.shutdown()
    assert result.exit_code == 1
    assert f"PostHog answered with a redirect ({status})" in result.stderr
    assert len(redirecting.seen) == 1
    assert redirecting.seen[0][1]["authorization"] == f"Bearer {KEY}"
    assert elsewhere.seen == []


def self_signed(tmp: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that no trust store knows."""
    cert, key = tmp / "cert.pem", tmp / "key.pem"
    try:
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        if shutil.which("openssl") is None:
            pytest.skip("needs the cryptography package or the openssl command")
        command = ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2"]
        command += ["-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)]
        subprocess.run(command, check=True, capture_output=True)
        return cert, key
    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(private, hashes.SHA256())
    )
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        private.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert, key


@pytest.fixture
def untrusted_https(tmp_path: Path) -> Iterator[Recorder]:
    cert, key = self_signed(tmp_path)
    server = Recorder()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    serving(server)
    yield server
    server.shutdown()


def test_tls_is_verified_and_a_bad_certificate_is_not_retried(
    emulator: Emulator, files: Path, untrusted_https: Recorder
) -> None:
    run = cli(emulator, f"https://127.0.0.1:{untrusted_https.port}")
    result = run("plan", str(files), "--debug")
    assert result.exit_code == 1
    assert "TLS verification of PostHog at https://127.0.0.1" in result.stderr
    assert "CERTIFICATE_VERIFY_FAILED" in result.stderr
    assert result.stderr.count("(attempt ") == 1  # no retry: it cannot help
    assert untrusted_https.seen == []  # the handshake failed: no request, no key sent
    assert KEY not in result.output
