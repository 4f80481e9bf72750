"""Provider configuration: a wrong Ironic URL or wrong credentials is one clear error (never
echoing the password); HTTP basic auth works; IRONIC_* environment fallbacks work; TLS to Ironic
works with a CA file (a self-signed CA:TRUE certificate included) or `insecure`. The mistakes are
cases of test_resource_bad_input.py."""

import json
import socket

import pytest

from hostkit import Workspace, json_diagnostics, unique_namespace
from m3stack.tls_proxy import TlsProxy, make_certificates

LIST_HOSTS = """
data "metal3_baremetal_hosts" "mine" {
  namespace = "%s"
}

output "count" {
  value = length(data.metal3_baremetal_hosts.mine.hosts)
}
"""


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens once the socket is closed


def errors_of(stdout: str) -> list:
    return [d for d in json_diagnostics(stdout) if d["severity"] == "error"]


def workspace(tmp_path, stack, provider_bin, env=None) -> Workspace:
    return Workspace(tmp_path / "tf", stack, unique_namespace("cfg"), env=env)


def test_wrong_ironic_url_is_one_clear_error(tmp_path, stack, provider_bin):
    ws = workspace(tmp_path, stack, provider_bin)
    url = closed_port_url()
    ws.configure(LIST_HOSTS % ws.namespace, provider={"ironic_url": url})
    proc = ws.plan("-json")
    assert proc.returncode == 1, proc.stdout
    errors = errors_of(proc.stdout)
    assert len(errors) == 1, json.dumps(errors, indent=2)
    text = errors[0]["summary"] + " " + errors[0]["detail"]
    assert url in text or url.split("//")[1] in text, text


def test_basic_auth_right_credentials_work(tmp_path, stack, provider_bin):
    ws = workspace(tmp_path, stack, provider_bin)
    ws.configure(LIST_HOSTS % ws.namespace, provider={
        "ironic_url": stack["ironic_basic_url"], "username": stack["ironic_basic_username"],
        "password": stack["ironic_basic_password"]})
    ws.apply()
    assert ws.outputs()["count"] == 0


def test_basic_auth_wrong_password_is_clear_and_secret(tmp_path, stack, provider_bin):
    ws = workspace(tmp_path, stack, provider_bin)
    wrong = "wrong-" + stack["ironic_basic_password"][::-1]
    ws.configure(LIST_HOSTS % ws.namespace, provider={
        "ironic_url": stack["ironic_basic_url"], "username": stack["ironic_basic_username"], "password": wrong})
    proc = ws.plan("-json")
    assert proc.returncode == 1, proc.stdout
    errors = errors_of(proc.stdout)
    assert len(errors) == 1, json.dumps(errors, indent=2)
    text = (errors[0]["summary"] + " " + errors[0]["detail"]).lower()
    assert "401" in text or "auth" in text or "credential" in text, text
    for secret in (wrong, stack["ironic_basic_password"]):
        assert secret not in proc.stdout + proc.stderr


def test_environment_fallbacks(tmp_path, stack, provider_bin):
    env = {"IRONIC_ENDPOINT": stack["ironic_basic_url"], "IRONIC_USERNAME": stack["ironic_basic_username"],
           "IRONIC_PASSWORD": stack["ironic_basic_password"]}
    ws = workspace(tmp_path, stack, provider_bin, env=env)
    ws.configure(LIST_HOSTS % ws.namespace, provider={"ironic_url": None})
    assert "ironic_url" not in (ws.workdir / "main.tf").read_text()
    ws.apply()
    assert ws.outputs()["count"] == 0
    # Without the fallback the provider has no Ironic to talk to: one error naming the setting.
    ws.tf.env.pop("IRONIC_ENDPOINT")
    proc = ws.plan("-json")
    assert proc.returncode == 1
    errors = errors_of(proc.stdout)
    assert len(errors) == 1, json.dumps(errors, indent=2)
    assert "IRONIC_ENDPOINT" in errors[0]["detail"] or "ironic_url" in errors[0]["detail"], errors[0]


@pytest.fixture(scope="module")
def tls_endpoints(tmp_path_factory, stack):
    """TLS in front of the stack's Ironic: a CA-signed certificate, and a self-signed CA:TRUE one
    as `openssl req -x509` makes by default."""
    certs = make_certificates(tmp_path_factory.mktemp("tls"))
    port = int(stack["ironic_url"].rsplit(":", 1)[1])
    proxies = {role: TlsProxy(certs[role], certs[role].with_suffix(".key"), port)
               for role in ("server", "self_signed")}
    yield certs, proxies
    for proxy in proxies.values():
        proxy.stop()


@pytest.mark.parametrize("role,ca", [("server", "ca"), ("self_signed", "self_signed")])
def test_tls_with_ca_file_works(tmp_path, stack, provider_bin, tls_endpoints, role, ca):
    certs, proxies = tls_endpoints
    ws = workspace(tmp_path, stack, provider_bin)
    ws.configure(LIST_HOSTS % ws.namespace, provider={
        "ironic_url": f"https://127.0.0.1:{proxies[role].port}", "ca_file": str(certs[ca])})
    ws.apply()
    assert ws.outputs()["count"] == 0


def test_tls_insecure_works_and_warns(tmp_path, stack, provider_bin, tls_endpoints):
    _, proxies = tls_endpoints
    ws = workspace(tmp_path, stack, provider_bin)
    ws.configure(LIST_HOSTS % ws.namespace, provider={
        "ironic_url": f"https://127.0.0.1:{proxies['server'].port}", "insecure": True})
    proc = ws.apply()
    assert "TLS verification of Ironic is disabled" in proc.stdout
    assert ws.outputs()["count"] == 0
