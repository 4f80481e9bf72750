"""A TLS endpoint in front of a plain-HTTP Ironic, with certificates made for the test: the real
Ironic answers, only the TLS in front of it varies (trusted CA, wrong host name, self-signed).

`make_certificates(dir)` writes PEM files; `TlsProxy(cert, key, upstream_port)` listens on a free
127.0.0.1 port in a thread and forwards each connection's bytes to Ironic.
"""

import datetime
import ipaddress
import socket
import ssl
import threading
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _write(path: Path, cert: x509.Certificate, key) -> None:
    path.with_suffix(".pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    path.with_suffix(".key").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


def _certificate(subject: str, issuer_name: str, key, signer, *, ca: bool, sans: list) -> x509.Certificate:
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder()
               .subject_name(_name(subject)).issuer_name(_name(issuer_name))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(hours=1))
               .not_valid_after(now + datetime.timedelta(days=2))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName(sans), critical=False)
    return builder.sign(signer, hashes.SHA256())


def make_certificates(directory: Path) -> dict:
    """PEM files under `directory`, by role:
    - ca: a CA; server: signed by it for 127.0.0.1 and localhost; wrong_name: signed by it for
      ironic.invalid only;
    - self_signed: what `openssl req -x509` makes by default: self-signed, CA:TRUE, no
      subjectAltName.
    Each role has `<role>.pem` (certificate) and `<role>.key`."""
    directory.mkdir(parents=True, exist_ok=True)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("m3stack test CA", "m3stack test CA", ca_key, ca_key, ca=True, sans=[])
    _write(directory / "ca", ca, ca_key)
    local = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
    for role, sans in (("server", local), ("wrong_name", [x509.DNSName("ironic.invalid")])):
        key = ec.generate_private_key(ec.SECP256R1())
        _write(directory / role, _certificate(f"m3stack {role}", "m3stack test CA", key, ca_key,
                                              ca=False, sans=sans), key)
    key = ec.generate_private_key(ec.SECP256R1())
    _write(directory / "self_signed",
           _certificate("127.0.0.1", "127.0.0.1", key, key, ca=True, sans=[]), key)
    return {role: directory / f"{role}.pem" for role in ("ca", "server", "wrong_name", "self_signed")}


def _pump(source: socket.socket, sink: socket.socket) -> None:
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    try:
        sink.shutdown(socket.SHUT_WR)
    except OSError:
        pass


class TlsProxy:
    """TLS on a free loopback port, forwarding to 127.0.0.1:`upstream_port` in the clear."""

    def __init__(self, cert: Path, key: Path, upstream_port: int):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert, key)
        self.upstream_port = upstream_port
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.stopped = False
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stopped:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client: socket.socket) -> None:
        try:
            tls = self.context.wrap_socket(client, server_side=True)
        except (ssl.SSLError, OSError):
            client.close()  # a client that refused our certificate, or spoke plain HTTP
            return
        upstream = socket.create_connection(("127.0.0.1", self.upstream_port))
        # One thread per direction: blocking reads see what TLS buffers, select would not.
        back = threading.Thread(target=_pump, args=(upstream, tls), daemon=True)
        back.start()
        _pump(tls, upstream)
        back.join(timeout=30)
        for sock in (tls, upstream):
            try:
                sock.close()
            except OSError:
                pass

    def stop(self) -> None:
        self.stopped = True
        self.listener.close()
