"""A release directory (`make release`'s dist/) served over HTTPS on 127.0.0.1 the two ways
Terraform and OpenTofu install providers from a server, so that a test installs the provider as a
user would:

- the Provider Registry Protocol: service discovery (`/.well-known/terraform.json`), then
  `/v1/providers/<namespace>/<type>/versions` and `.../<version>/download/<os>/<arch>`, which
  names the zip, SHA256SUMS, its signature and the signing key;
- the Provider Network Mirror Protocol, under `/mirror/`: `<host>/<namespace>/<type>/index.json`
  and `<version>.json`, with each zip's `zh:` hash.

Zips and sums are served from `/files/`. Every request path is kept in `requests`.
"""

import json
import re
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

NAMESPACE, TYPE = "metal3-io", "metal3"
ZIP = re.compile(r"^terraform-provider-metal3_(?P<version>[^_]+)_(?P<os>[a-z]+)_(?P<arch>[a-z0-9]+)\.zip$")


class Release:
    """What a dist/ directory holds, read from its file names and SHA256SUMS."""

    def __init__(self, dist: Path):
        self.dist = dist
        self.zips: dict = {}  # (version, os, arch) -> file name
        for path in dist.iterdir():
            found = ZIP.match(path.name)
            if found:
                self.zips[(found["version"], found["os"], found["arch"])] = path.name
        self.shasums: dict = {}  # file name -> sha256
        for sums in dist.glob("*_SHA256SUMS"):
            for line in sums.read_text().splitlines():
                digest, name = line.split()
                self.shasums[name] = digest

    def versions(self) -> list:
        return sorted({v for v, _, _ in self.zips})

    def platforms(self, version: str) -> list:
        return sorted((o, a) for v, o, a in self.zips if v == version)

    def prefix(self, version: str) -> str:
        return f"terraform-provider-metal3_{version}"


class ProviderRegistry:
    """Serves `dist` on https://localhost:<port> with `cert`/`key` (for localhost). `signing_key`
    replaces the release's public key in download answers (to test that a wrong one is refused)."""

    def __init__(self, dist: Path, cert: Path, key: Path, signing_key: str | None = None):
        self.release = Release(dist)
        self.signing_key = signing_key
        self.requests: list = []
        registry = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                registry.requests.append(self.path)
                status, body, kind = registry.answer(self.path.split("?", 1)[0])
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.host = f"localhost:{self.port}"
        self.url = f"https://{self.host}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "ProviderRegistry":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # ---- answers ------------------------------------------------------------------------------
    def answer(self, path: str) -> tuple:
        providers = f"/v1/providers/{NAMESPACE}/{TYPE}/"
        mirror = f"/mirror/{self.host}/{NAMESPACE}/{TYPE}/"
        default_mirror = f"/mirror/registry.terraform.io/{NAMESPACE}/{TYPE}/"
        if path == "/.well-known/terraform.json":
            return self.json({"providers.v1": "/v1/providers/"})
        if path == providers + "versions":
            return self.json({"versions": [
                {"version": v, "protocols": ["6.0"],
                 "platforms": [{"os": o, "arch": a} for o, a in self.release.platforms(v)]}
                for v in self.release.versions()]})
        found = re.fullmatch(re.escape(providers) + r"([^/]+)/download/([^/]+)/([^/]+)", path)
        if found:
            return self.download(*found.groups())
        for base in (mirror, default_mirror):
            if path == base + "index.json":
                return self.json({"versions": {v: {} for v in self.release.versions()}})
            found = re.fullmatch(re.escape(base) + r"([^/]+)\.json", path)
            if found:
                return self.mirror_version(found.group(1))
        if path.startswith("/files/"):
            file = self.release.dist / path.removeprefix("/files/")
            if file.parent == self.release.dist and file.is_file():
                return 200, file.read_bytes(), "application/octet-stream"
        return 404, b'{"errors":["not found"]}', "application/json"

    def json(self, value) -> tuple:
        return 200, json.dumps(value).encode(), "application/json"

    def download(self, version: str, os_: str, arch: str) -> tuple:
        name = self.release.zips.get((version, os_, arch))
        if name is None:
            return 404, b'{"errors":["no such platform"]}', "application/json"
        prefix = self.release.prefix(version)
        key = self.signing_key or (self.release.dist / f"{prefix}_signing-key.asc").read_text()
        return self.json({
            "protocols": ["6.0"], "os": os_, "arch": arch, "filename": name,
            "download_url": f"{self.url}/files/{name}",
            "shasums_url": f"{self.url}/files/{prefix}_SHA256SUMS",
            "shasums_signature_url": f"{self.url}/files/{prefix}_SHA256SUMS.sig",
            "shasum": self.release.shasums[name],
            "signing_keys": {"gpg_public_keys": [{"key_id": "", "ascii_armor": key}]},
        })

    def mirror_version(self, version: str) -> tuple:
        archives = {
            f"{o}_{a}": {"url": f"{self.url}/files/{self.release.zips[(version, o, a)]}",
                         "hashes": [f"zh:{self.release.shasums[self.release.zips[(version, o, a)]]}"]}
            for o, a in self.release.platforms(version)}
        if not archives:
            return 404, b'{"errors":["no such version"]}', "application/json"
        return self.json({"archives": archives})
