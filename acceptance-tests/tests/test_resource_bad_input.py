"""Bad input, as a table: every argument's bad forms and limits, provider configuration and TLS
mistakes. Each case says at which step Terraform must stop (`validate`, `plan`, or `apply` when
only Ironic or the BMC can tell), which attribute the diagnostic points at (its source line when
the attribute is written in the configuration, its name in the message), a phrase of the message
that says what is allowed or what to do, and, where apply is reached, that Ironic holds no node
or port of the case afterwards.

Cases run in shared working directories (one per step), each in its own namespace, against the
test stack; TLS cases against TLS endpoints in front of the stack's Ironic, started here.
"""

import json
import re
import socket
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from hostkit import (Workspace, delete_node, fake_host, free_mac, json_diagnostics, nodes_in,
                     purge_namespace, random_mac, resource, unique_namespace)
from m3stack.tls_proxy import TlsProxy, make_certificates

GOOD_IMAGE = {"url": "http://127.0.0.1:9/os.qcow2", "checksum": "0" * 64, "checksum_type": "sha256",
              "disk_format": "qcow2"}
LIVE_ISO = {"url": "http://127.0.0.1:9/live.iso", "disk_format": "live-iso"}
REMOVE = object()  # drops an argument of the valid host
TROUBLESHOOTING = (Path(__file__).resolve().parents[2] / "docs" / "guides" / "troubleshooting.md"
                   ).read_text().replace("`", "")


@dataclass
class Case:
    step: str                    # validate | plan | apply
    attribute: str | None        # where the error points; None: nowhere (a secret is involved)
    says: str                    # a phrase of the message (what is allowed / what to do)
    host: dict = field(default_factory=dict)      # changes to a valid fake host
    bmc: dict = field(default_factory=dict)       # changes to its `bmc`
    blocks: dict | None = None                    # e.g. {"timeouts": {...}}
    provider: dict = field(default_factory=dict)  # provider argument changes
    extra: str = ""              # more configuration (a second resource...)
    secret: str | None = None    # must appear nowhere in Terraform's output
    leaves_node: bool = False    # apply enrolled the host before Ironic refused it (tainted)


def bad_hints(**hints) -> dict:
    return {"root_device_hints": hints}


def image(**changes) -> dict:
    return {"image": {k: v for k, v in (GOOD_IMAGE | changes).items() if v is not REMOVE}}


NAME_RULE = "DNS-1123"
CASES = {
    # --- name and namespace -------------------------------------------------------------------
    "name-uppercase": Case("validate", "name", NAME_RULE, {"name": "Worker-0"}),
    "name-underscore": Case("validate", "name", NAME_RULE, {"name": "worker_0"}),
    "name-empty": Case("validate", "name", "1 to 253 characters", {"name": ""}),
    "name-leading-dash": Case("validate", "name", "start and end", {"name": "-worker"}),
    "name-trailing-dot": Case("validate", "name", "empty parts", {"name": "worker."}),
    "name-tilde": Case("validate", "name", NAME_RULE, {"name": "a~b"}),
    "name-slash": Case("validate", "name", NAME_RULE, {"name": "a/b"}),
    "name-254": Case("validate", "name", "1 to 253 characters", {"name": "a" * 254}),
    "node-name-over-255": Case("validate", "name", "at most 255", {"name": "a" * 200, "namespace": "n" * 60}),
    "node-name-over-255-provider-namespace": Case(
        "plan", "name", "at most 255", {"name": "b" * 250, "namespace": REMOVE},
        provider={"namespace": "ns-" + "x" * 10}),
    "namespace-uppercase": Case("validate", "namespace", "DNS-1123 label", {"namespace": "Lab"}),
    "namespace-dot": Case("validate", "namespace", "DNS-1123 label", {"namespace": "lab.one"}),
    "namespace-64": Case("validate", "namespace", "1 to 63", {"namespace": "n" * 64}),
    "namespace-empty": Case("validate", "namespace", "1 to 63", {"namespace": ""}),
    # --- bmc ----------------------------------------------------------------------------------
    "bmc-scheme": Case("validate", "bmc.address", "accepted schemes", bmc={"address": "foo://10.0.0.1"}),
    "bmc-no-host": Case("validate", "bmc.address", "scheme://host", bmc={"address": "redfish://"}),
    "bmc-one-slash": Case("validate", "bmc.address", "scheme://host", bmc={"address": "redfish:/10.0.0.1"}),
    "bmc-empty": Case("validate", "bmc.address", "e.g. redfish://", bmc={"address": ""}),
    "bmc-space": Case("validate", "bmc.address", "scheme://host", bmc={"address": "redfish://10.0.0.1 /x"}),
    "bmc-port-text": Case("validate", "bmc.address", "1 to 65535", bmc={"address": "ipmi://10.0.0.1:port"}),
    "bmc-port-zero": Case("validate", "bmc.address", "1 to 65535", bmc={"address": "ipmi://10.0.0.1:0"}),
    "bmc-port-big": Case("validate", "bmc.address", "1 to 65535", bmc={"address": "ipmi://10.0.0.1:70000"}),
    "bmc-redfish-transport": Case("validate", "bmc.address", "accepted schemes",
                                  bmc={"address": "redfish+ftp://10.0.0.1/redfish/v1/Systems/1"}),
    "bmc-ipmi-privilege": Case("validate", "bmc.address", "ADMINISTRATOR, OPERATOR",
                               bmc={"address": "ipmi://10.0.0.1?privilegelevel=god"}),
    "bmc-credentials-in-url": Case("validate", "bmc.address", "set the BMC username and password",
                                   bmc={"address": "redfish://admin:hunter2@10.0.0.1/redfish/v1/Systems/1"}),
    "bmc-username-empty": Case("validate", "bmc.username", "must not be empty",
                               bmc={"address": "redfish://10.0.0.1/redfish/v1/Systems/1", "username": ""}),
    "bmc-password-empty": Case("validate", "bmc.password", "needs its password",
                               bmc={"address": "redfish://10.0.0.1/redfish/v1/Systems/1", "password": ""}),
    "bmc-password-wo-empty": Case("validate", "bmc.password_wo", "needs its password",
                                  bmc={"address": "redfish://10.0.0.1/redfish/v1/Systems/1", "password": REMOVE,
                                       "password_wo": "", "password_wo_version": 1}),
    "bmc-both-passwords": Case("validate", "bmc.password_wo", "exactly one",
                               bmc={"password_wo": "other-secret", "password_wo_version": 1}),
    "bmc-no-password": Case("validate", "bmc", "exactly one", bmc={"password": REMOVE}),
    "bmc-wo-without-version": Case("validate", "bmc.password_wo_version", "password_wo_version",
                                   bmc={"password": REMOVE, "password_wo": "wo-secret"}),
    "bmc-version-without-wo": Case("validate", "bmc.password_wo_version", "only applies to",
                                   bmc={"password_wo_version": 2}),
    # --- boot MAC -----------------------------------------------------------------------------
    "mac-letters": Case("validate", "boot_mac_address", "separated by `:`", {"boot_mac_address": "52:54:zz:00:00:01"}),
    "mac-short": Case("validate", "boot_mac_address", "six pairs", {"boot_mac_address": "52:54:00:00:01"}),
    "mac-long": Case("validate", "boot_mac_address", "six pairs", {"boot_mac_address": "52:54:00:00:00:01:02"}),
    "mac-dashes": Case("validate", "boot_mac_address", "Write it with colons: `02:aa:bb:00:00:03`",
                       {"boot_mac_address": "02-AA-BB-00-00-03"}),
    "mac-bare": Case("validate", "boot_mac_address", "six pairs", {"boot_mac_address": "525400000001"}),
    "mac-empty": Case("validate", "boot_mac_address", "six pairs", {"boot_mac_address": ""}),
    "mac-dots": Case("validate", "boot_mac_address", "six pairs", {"boot_mac_address": "5254.0000.0001"}),
    "fake-agent-needs-mac": Case("validate", "boot_mac_address", "is required", {"boot_mac_address": REMOVE}),
    "fake-live-iso-needs-mac": Case("validate", "boot_mac_address", "live ISO",
                                    {"boot_mac_address": REMOVE, "inspection_mode": "disabled", "image": LIVE_ISO}),
    "redfish-needs-mac": Case("validate", "boot_mac_address", "boots the host from the network",
                              {"boot_mac_address": REMOVE},
                              bmc={"address": "redfish://10.0.0.1/redfish/v1/Systems/1"}),
    # --- modes --------------------------------------------------------------------------------
    "boot-mode": Case("validate", "boot_mode", "`UEFI`, `UEFISecureBoot`, `legacy`", {"boot_mode": "bios"}),
    "boot-mode-lowercase": Case("validate", "boot_mode", "`UEFI`", {"boot_mode": "uefi"}),
    "cleaning-mode": Case("validate", "automated_cleaning_mode", "`metadata`, `disabled`",
                          {"automated_cleaning_mode": "full"}),
    "cleaning-mode-case": Case("validate", "automated_cleaning_mode", "`metadata`",
                               {"automated_cleaning_mode": "Disabled"}),
    "inspection-mode": Case("validate", "inspection_mode", "`agent`, `disabled`", {"inspection_mode": "redfish"}),
    "inspection-mode-empty": Case("validate", "inspection_mode", "`agent`", {"inspection_mode": ""}),
    # --- deploy_image (the host's own agent) --------------------------------------------------
    "deploy-image-kernel-alone": Case("validate", "deploy_image", "go together",
                                      {"deploy_image": {"kernel_url": "http://127.0.0.1:9/k"}}),
    "deploy-image-empty": Case("validate", "deploy_image", "remove the block", {"deploy_image": {}}),
    "deploy-image-iso-ftp": Case("validate", "deploy_image.iso_url", "e.g. `https://",
                                 {"deploy_image": {"iso_url": "ftp://images/agent.iso"}}),
    # --- raid, firmware, bios_settings, firmware_components -----------------------------------
    "raid-both-kinds": Case("validate", "raid", "cannot both be set", {"raid": {
        "hardware_raid_volumes": [{"level": "1"}], "software_raid_volumes": [{"level": "1"}]}}),
    "raid-software-root-not-mirrored": Case("validate", "raid", "must be RAID-1", {"raid": {
        "software_raid_volumes": [{"level": "0"}]}}),
    "raid-software-three-volumes": Case("validate", "raid", "at most 2", {"raid": {
        "software_raid_volumes": [{"level": "1"}, {"level": "0"}, {"level": "0"}]}}),
    "raid-level-unknown": Case("validate", "raid.hardware_raid_volumes.level", "is not one of", {"raid": {
        "hardware_raid_volumes": [{"level": "7"}]}}),
    "raid-disks-without-controller": Case("validate", "raid", "needs controller", {"raid": {
        "hardware_raid_volumes": [{"level": "1", "physical_disks": ["Disk.0", "Disk.1"]}]}}),
    "raid-disk-count-differs": Case("validate", "raid", "give the same number", {"raid": {
        "hardware_raid_volumes": [{"level": "1", "controller": "RAID.1", "number_of_physical_disks": 3,
                                   "physical_disks": ["Disk.0", "Disk.1"]}]}}),
    "raid-software-on-fake": Case("plan", "raid", "software RAID is not supported for the BMC scheme",
                                  {"raid": {"software_raid_volumes": [{"level": "1"}]}}),
    "bios-settings-on-ipmi": Case("plan", "bios_settings", 'not supported for the BMC scheme "ipmi"',
                                  {"bios_settings": {"ProcTurboMode": "Disabled"}},
                                  bmc={"address": "ipmi://10.0.0.1"}),
    "firmware-switches-on-redfish": Case(
        "plan", "firmware", 'the BMC scheme "redfish"', {"firmware": {"sriov_enabled": True}},
        bmc={"address": "redfish://10.0.0.1/redfish/v1/Systems/1"}),
    "firmware-component-unknown": Case("validate", "firmware_components.component", "is not a firmware component",
                                       {"firmware_components": [{"component": "cpld",
                                                                 "url": "http://127.0.0.1:9/c.bin"}]}),
    "firmware-url-ftp": Case("validate", "firmware_components.url", "http or https URL",
                             {"firmware_components": [{"component": "bmc",
                                                       "url": "ftp://files/bmc.bin"}]}),
    # --- image --------------------------------------------------------------------------------
    "image-url-ftp": Case("validate", "image.url", "e.g. `https://", image(url="ftp://images/os.qcow2")),
    "image-url-no-scheme": Case("validate", "image.url", "is not a URL", image(url="images/os.qcow2")),
    "image-url-space": Case("validate", "image.url", "whitespace", image(url="http://img/os 1.qcow2")),
    "image-url-file-relative": Case("validate", "image.url", "absolute path", image(url="file://os.raw")),
    "image-url-no-host": Case("validate", "image.url", "no host", image(url="http:///os.qcow2")),
    "image-url-empty": Case("validate", "image.url", "is not a URL", image(url="")),
    "checksum-missing": Case("validate", "image.checksum", "is required",
                             image(checksum=REMOVE, checksum_type=REMOVE)),
    "checksum-type": Case("validate", "image.checksum_type", "`md5`, `sha256`, `sha512`", image(checksum_type="crc32")),
    "checksum-md5-length": Case("validate", "image.checksum", "md5 checksum has 32", image(checksum_type="md5")),
    "checksum-sha256-length": Case("validate", "image.checksum", "sha256 checksum has 64",
                                   image(checksum="a" * 32)),
    "checksum-sha512-length": Case("validate", "image.checksum", "sha512 checksum has 128",
                                   image(checksum_type="sha512")),
    "disk-format": Case("validate", "image.disk_format", "`raw`, `qcow2`", image(disk_format="iso9660")),
    "disk-format-case": Case("validate", "image.disk_format", "`qcow2`", image(disk_format="QCOW2")),
    "live-iso-checksum": Case("validate", "image.checksum", "must be unset",
                              {"image": LIVE_ISO | {"checksum": "0" * 64}}),
    "live-iso-checksum-type": Case("validate", "image.checksum_type", "must be unset",
                                   {"image": LIVE_ISO | {"checksum_type": "sha256"}}),
    "custom-deploy-empty": Case("validate", "custom_deploy.method", "e.g. `install_coreos`",
                                {"custom_deploy": {"method": " "}}),
    # --- root device hints --------------------------------------------------------------------
    "hints-empty": Case("validate", "root_device_hints", "Set at least one of", bad_hints()),
    "hint-device-name": Case("validate", "root_device_hints.device_name", "starting with `/dev/`",
                             bad_hints(device_name="sda")),
    "hint-hctl-three": Case("validate", "root_device_hints.hctl", "e.g. `0:0:0:0`", bad_hints(hctl="0:0:0")),
    "hint-hctl-letters": Case("validate", "root_device_hints.hctl", "four numbers", bad_hints(hctl="a:b:c:d")),
    "hint-size-negative": Case("validate", "root_device_hints.min_size_gigabytes", "at least 0",
                               bad_hints(min_size_gigabytes=-1)),
    "hint-size-fraction": Case("validate", "root_device_hints.min_size_gigabytes", "whole number",
                               bad_hints(min_size_gigabytes=1.5)),
    "hint-model-empty": Case("validate", "root_device_hints.model", "remove it", bad_hints(model="")),
    "hint-vendor-blank": Case("validate", "root_device_hints.vendor", "remove it", bad_hints(vendor="  ")),
    "hint-serial-empty": Case("validate", "root_device_hints.serial_number", "remove it", bad_hints(serial_number="")),
    "hint-wwn-empty": Case("validate", "root_device_hints.wwn", "remove it", bad_hints(wwn="")),
    "hint-wwn-ext-empty": Case("validate", "root_device_hints.wwn_with_extension", "remove it",
                               bad_hints(wwn_with_extension="")),
    "hint-wwn-vendor-empty": Case("validate", "root_device_hints.wwn_vendor_extension", "remove it",
                                  bad_hints(wwn_vendor_extension="")),
    # --- config drive and limits --------------------------------------------------------------
    "network-data-yaml": Case("validate", "network_data", "JSON object", {"network_data": "links: []"}),
    "network-data-array": Case("validate", "network_data", "JSON object", {"network_data": "[]"}),
    "meta-data-not-json": Case("validate", "meta_data", "JSON object", {"meta_data": "role=worker"}),
    "meta-data-string": Case("validate", "meta_data", "JSON object", {"meta_data": "\"worker\""}),
    "description-4097": Case("validate", "description", "at most 4096", {"description": "d" * 4097}),
    "conductor-group-uppercase": Case("validate", "conductor_group", 'e.g. "rack-a"',
                                      {"conductor_group": "Rack A"}),
    "user-data-65mib": Case("validate", "user_data", "64 MiB", {"user_data": "U" * (65 * 1024 * 1024)}),
    # --- timeouts -----------------------------------------------------------------------------
    "timeout-words": Case("validate", "timeouts.create", "timeouts.create", blocks={"timeouts": {"create": "ten minutes"}}),
    "timeout-zero": Case("validate", "timeouts.delete", "positive duration", blocks={"timeouts": {"delete": "0s"}}),
    "timeout-negative": Case("validate", "timeouts.update", "timeouts.update", blocks={"timeouts": {"update": "-5m"}}),
    "timeout-no-unit": Case("validate", "timeouts.read", "timeouts.read", blocks={"timeouts": {"read": "90"}}),
    "timeout-days": Case("validate", "timeouts.create", "timeouts.create", blocks={"timeouts": {"create": "1d"}}),
    "timeout-overflow": Case("validate", "timeouts.create", "longest duration",
                             blocks={"timeouts": {"create": "2562047788015216h"}}),
    "timeout-over-a-week": Case("validate", "timeouts.delete", "at most 168h", blocks={"timeouts": {"delete": "169h"}}),
    "timeout-empty": Case("validate", "timeouts.delete", "timeouts.delete", blocks={"timeouts": {"delete": ""}}),
    # --- provider configuration ---------------------------------------------------------------
    "ironic-url-ftp": Case("validate", "ironic_url", "http:// or https://", provider={"ironic_url": "ftp://127.0.0.1:6385"}),
    "ironic-url-no-host": Case("validate", "ironic_url", "http:// or https://", provider={"ironic_url": "http://"}),
    "ironic-url-bare": Case("validate", "ironic_url", "e.g. `http://127.0.0.1:6385`", provider={"ironic_url": "127.0.0.1:6385"}),
    "ironic-url-credentials": Case("validate", None, "set `username` and `password`",
                                   provider={"ironic_url": "http://admin:s3cret-in-url@127.0.0.1:6385"},
                                   secret="s3cret-in-url"),
    "provider-username-only": Case("validate", "password", "needs both", provider={"username": "admin"}),
    "provider-password-only": Case("validate", "username", "needs both", provider={"password": "pw-only-secret"},
                                   secret="pw-only-secret"),
    "provider-token-and-basic": Case("validate", "username", "not both",
                                     provider={"token": "tok-secret", "username": "a", "password": "b"},
                                     secret="tok-secret"),
    "provider-namespace": Case("validate", "namespace", "DNS-1123", provider={"namespace": "Lab_1"}),
    "provider-unreachable": Case("plan", "ironic_url", "Ironic must be running", provider={"ironic_url": "{closed_url}"}),
    "provider-ca-file-missing": Case("plan", "ca_file", "cannot read the CA file",
                                     provider={"ironic_url": "{tls:server}", "ca_file": "/nonexistent/ca.pem"}),
    "provider-ca-file-not-pem": Case("plan", "ca_file", "holds no certificate",
                                     provider={"ironic_url": "{tls:server}", "ca_file": "{file:not-pem}"}),
    "provider-basic-wrong-password": Case("plan", "username", "Check `username` and `password`",
                                          provider={"ironic_url": "{basic_url}", "username": "{basic_user}",
                                                    "password": "wrong-basic-secret"},
                                          secret="wrong-basic-secret"),
    # --- TLS to Ironic ------------------------------------------------------------------------
    "tls-unknown-issuer": Case("plan", "ca_file", "unknown issuer", provider={"ironic_url": "{tls:server}"}),
    "tls-wrong-name": Case("plan", "ironic_url", "not valid for the host name",
                           provider={"ironic_url": "{tls:wrong_name}", "ca_file": "{cert:ca}"}),
    "tls-self-signed-unknown": Case("plan", "ca_file", "for a self-signed certificate: the certificate itself",
                                    provider={"ironic_url": "{tls:self_signed}"}),
    "tls-http-to-tls-port": Case("plan", "ironic_url", "use https://",
                                 provider={"ironic_url": "{tls_as_http:server}", "ca_file": "{cert:ca}"}),
    "tls-https-to-plain-port": Case("plan", "ironic_url", "does not speak TLS",
                                    provider={"ironic_url": "{https_plain}"}),
    # --- two resources of one configuration ---------------------------------------------------
    "duplicate-name": Case("plan", "name", "declares the host",
                           extra="twin_name"),
    "duplicate-mac": Case("plan", "boot_mac_address", "declares the boot MAC", extra="twin_mac"),
    # --- found out only by Ironic or the BMC, at apply ----------------------------------------
    "bmc-wrong-password": Case("apply", "bmc.username", "fix the BMC settings", bmc={"redfish": "wrong"},
                               secret="Wr0ng-BMC-Secret"),
    "bmc-unreachable": Case("apply", "bmc.username", "fix the BMC settings", bmc={"redfish": "unreachable"}),
    "mac-of-another-node": Case("apply", "boot_mac_address", "import it instead", extra="taken_mac"),
    "name-of-another-node": Case("apply", "name", "import it instead", extra="taken_name"),
    "conductor-group-nobody-serves": Case("apply", "conductor_group", 'conductor group "nowhere"',
                                          host={"conductor_group": "nowhere"}),
    "create-timeout": Case("apply", "timeouts.create", 'inspection_mode = "disabled"',
                           blocks={"timeouts": {"create": "8s"}}, extra="hold", leaves_node=True),
}


def closed_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


@pytest.fixture(scope="module")
def tls(tmp_path_factory, stack):
    """TLS endpoints in front of the stack's Ironic: one per certificate role."""
    directory = tmp_path_factory.mktemp("tls")
    certs = make_certificates(directory)
    ironic_port = int(stack["ironic_url"].rsplit(":", 1)[1])
    proxies = {role: TlsProxy(certs[role], certs[role].with_suffix(".key"), ironic_port)
               for role in ("server", "wrong_name", "self_signed")}
    (directory / "not-pem.pem").write_text("this is not a certificate\n")
    yield {"certs": certs, "proxies": proxies, "dir": directory}
    for proxy in proxies.values():
        proxy.stop()


def expand(value, stack: dict, tls: dict):
    if not isinstance(value, str) or "{" not in value:
        return value
    kind, _, role = value.strip("{}").partition(":")
    return {
        "closed_url": lambda: closed_url(),
        "basic_url": lambda: stack["ironic_basic_url"],
        "basic_user": lambda: stack["ironic_basic_username"],
        "https_plain": lambda: stack["ironic_url"].replace("http://", "https://"),
        "tls": lambda: f"https://127.0.0.1:{tls['proxies'][role].port}",
        "tls_as_http": lambda: f"http://127.0.0.1:{tls['proxies'][role].port}",
        "cert": lambda: str(tls["certs"][role]),
        "file": lambda: str(tls["dir"] / f"{role}.pem"),
    }[kind]()


PROVIDER_ARGUMENTS = {"ironic_url", "username", "password", "token", "ca_file", "insecure", "namespace"}


def lines_of_attribute(main_tf: str, path: str, provider_scope: bool) -> set[int]:
    """The lines Terraform may point at for `path`: the attribute's own line where written (in
    any resource, or in the provider block), else (an absent attribute) the line of the object or
    block that lacks it."""
    lines = main_tf.splitlines()
    blocks = [i for i, line in enumerate(lines) if re.match(r'^(resource|provider) "', line)]
    parts = path.split(".")
    found = set()
    for start in blocks:
        is_provider = lines[start].startswith("provider")
        if is_provider != provider_scope:
            continue
        end = next((b for b in blocks if b > start), len(lines))
        body = range(start, end)
        if len(parts) == 1:
            hits = [i for i in body if re.match(rf"^\s*{parts[0]} = ", lines[i])]
            found.update(h + 1 for h in hits) if hits else found.add(start + 1)
            continue
        opener = next((i for i in body if re.match(rf"^\s*{parts[0]}( = )?\s*\[?\{{", lines[i])), None)
        if opener is None:
            found.add(start + 1)
            continue
        inner = [i for i in range(opener, end) if re.match(rf"^\s*{parts[-1]} = ", lines[i])]
        found.update(h + 1 for h in inner) if inner else found.add(opener + 1)
    return found


class Runner:
    def __init__(self, tmp_path_factory, stack, ironic, tls):
        self.stack, self.ironic, self.tls = stack, ironic, tls
        self.workspaces = {}
        self.tmp = tmp_path_factory
        self.namespaces = []

    def workspace(self, step: str) -> Workspace:
        if step not in self.workspaces:
            ws = Workspace(self.tmp.mktemp(f"bad-{step}") / "tf", self.stack, "bad")
            self.workspaces[step] = ws
        return self.workspaces[step]

    def host(self, case: Case, namespace: str, mac: str) -> dict:
        args = fake_host("bad-0", mac)
        args["namespace"] = namespace
        redfish = case.bmc.get("redfish")
        if redfish:
            system = self.stack["redfish_systems"][1]
            port = self.stack["redfish_url"] if redfish == "wrong" else closed_url()
            args["bmc"] = {"address": f"redfish+{port}/redfish/v1/Systems/{system['uuid']}",
                           "username": self.stack["redfish_username"],
                           "password": "Wr0ng-BMC-Secret" if redfish == "wrong" else self.stack["redfish_password"]}
            args["inspection_mode"] = "disabled"
            args["automated_cleaning_mode"] = "disabled"
        else:
            for key, value in case.bmc.items():
                if value is REMOVE:
                    args["bmc"].pop(key, None)
                else:
                    args["bmc"][key] = value
        for key, value in case.host.items():
            if value is REMOVE:
                args.pop(key, None)
            else:
                args[key] = value
        return args


@pytest.fixture(scope="module")
def runner(tmp_path_factory, stack, ironic, provider_bin, tls):
    r = Runner(tmp_path_factory, stack, ironic, tls)
    yield r
    for namespace in r.namespaces:
        purge_namespace(ironic, namespace)


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_stops_at_the_right_step_naming_the_attribute(name, runner, stack, ironic, tls):
    case = CASES[name]
    namespace = unique_namespace("bad")
    runner.namespaces.append(namespace)
    mac = random_mac()
    host = runner.host(case, case.host.get("namespace", namespace), mac)
    body = resource("host", host, blocks=case.blocks)
    macs = {mac}
    hold = None
    if case.extra == "twin_name":
        body += resource("twin", fake_host("bad-0", random_mac()) | {"namespace": namespace})
    elif case.extra == "twin_mac":
        body += resource("twin", fake_host("bad-1", mac) | {"namespace": namespace})
    elif case.extra == "taken_mac":  # the MAC is the port of a node enrolled by hand
        other = ironic.post("/v1/nodes", {"name": f"{namespace}~other-node", "driver": "fake-hardware"})
        ironic.post("/v1/ports", {"node_uuid": other["uuid"], "address": mac})
    elif case.extra == "taken_name":
        ironic.post("/v1/nodes", {"name": f"{namespace}~bad-0", "driver": "fake-hardware"})
    elif case.extra == "hold":
        hold = Path(stack["inventories_dir"]) / f"{mac}.hold"
        hold.touch()
    if case.bmc.get("redfish"):
        macs = {stack["redfish_systems"][1]["mac"].lower()}
        free_mac(ironic, stack["redfish_systems"][1]["mac"])
    provider = {k: expand(v, stack, tls) for k, v in case.provider.items()}
    ws = runner.workspace(case.step)
    main_tf = ws.configure(body, provider=provider).read_text()
    ws.init()
    before = {n["uuid"] for n in nodes_in(ironic, namespace)}
    try:
        if case.step == "validate":
            proc = ws.run("validate", "-json", check=False)
        elif case.step == "plan":
            proc = ws.run("plan", "-json", "-input=false", check=False)
            # Plans never get as far as Ironic for bad input; nothing may be written anyway.
        else:
            proc = ws.run("apply", "-json", "-input=false", "-auto-approve", check=False, timeout=300)
    finally:
        if hold:
            hold.unlink()
    assert proc.returncode != 0, f"{name}: {case.step} must fail\n{proc.stdout[-3000:]}"
    errors = [d for d in json_diagnostics(proc.stdout) if d["severity"] == "error"]
    assert errors, f"{name}: no error\n{proc.stdout[-3000:]}\n{proc.stderr[-2000:]}"
    if case.step != "validate":
        # Stopped at the step it belongs to, not earlier: a validate of the same config passes.
        valid = ws.run("validate", "-json", check=False)
        assert valid.returncode == 0 or case.step == "plan" and case.provider, \
            f"{name}: should fail at {case.step}, but validate already fails:\n{valid.stdout}"

    def text(d):
        return " ".join([d.get("summary", ""), d.get("detail", "")])

    matching = [d for d in errors if case.says in " ".join(text(d).split())]
    assert matching, f"{name}: no error says {case.says!r}:\n" + json.dumps(errors, indent=2)
    d = matching[0]
    got = (d.get("range") or {}).get("start", {}).get("line")
    if case.attribute is None:
        # At most the block's opening line: never the line that holds the secret.
        header = {i + 1 for i, line in enumerate(main_tf.splitlines())
                  if re.match(r'^(resource|provider) "', line)}
        assert got is None or got in header, f"{name}: points at line {got}: {d}"
    else:
        leaf = case.attribute.split(".")[-1]
        assert case.attribute in text(d) or re.search(rf"\b{re.escape(leaf)}\b", text(d) + " " +
                                                      (d.get("snippet") or {}).get("code", "")), \
            f"{name}: the error does not name `{case.attribute}`: {d}"
        provider_scope = bool(case.provider) and case.attribute in PROVIDER_ARGUMENTS \
            and "namespace" not in case.host and case.attribute != "name"
        lines = lines_of_attribute(main_tf, case.attribute, provider_scope)
        if got is not None:
            assert got in lines, f"{name}: error at line {got}, `{case.attribute}` is at {lines}\n{main_tf}"
    # Every error a user can meet is in the troubleshooting guide, with its fix.
    summary = d["summary"].replace(f"{namespace}/bad-0", "<namespace>/<name>").replace("`", "")
    assert summary in TROUBLESHOOTING, f"{name}: {summary!r} is not in docs/guides/troubleshooting.md"
    if case.secret:
        assert case.secret not in proc.stdout + proc.stderr, f"{name}: the secret leaked"
    # Nothing half-made in Ironic.
    left = [n for n in nodes_in(ironic, namespace) if n["uuid"] not in before]
    if ws.has_state() and ws.resources():  # the next case starts from an empty state
        ws.run("destroy", "-auto-approve", "-input=false", check=False)
    if case.leaves_node:
        assert len(left) == 1, left
    else:
        assert left == [], f"{name}: nodes left behind: {left}"
        for mac in macs:
            ports = ironic.get("/v1/ports", params={"address": mac})["ports"]
            assert case.extra == "taken_mac" or ports == [], f"{name}: port {mac} left behind"
    for node in nodes_in(ironic, namespace):
        delete_node(ironic, node["uuid"])


def test_the_table_covers_at_least_a_hundred_cases():
    assert len(CASES) >= 100, len(CASES)
