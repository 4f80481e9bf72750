"""Provider functions (`provider::metal3::...`) called by real Terraform: results as Terraform
sees them (types included), errors at the call with the argument named, and no Ironic needed:
the provider block here points at a port nothing listens on."""

from hostkit import ws  # noqa: F401 (ws is a fixture)
from ironic_log import IronicLog

UNREACHABLE = {"ironic_url": "http://127.0.0.1:9"}


def bmc_output(name: str, address: str) -> str:
    return f'output "{name}" {{\n  value = provider::metal3::bmc_address("{address}")\n}}\n'


def test_bmc_address_parses_like_the_resource_and_names_the_driver(ws, stack):
    ws.configure(
        bmc_output("vmedia", "redfish-virtualmedia+https://10.0.0.5:8443/redfish/v1/Systems/1")
        + bmc_output("bare", "192.168.1.10")
        + bmc_output("idrac", "idrac-virtualmedia://[fd00::5]/redfish/v1/Systems/System.Embedded.1")
        + 'output "driver_only" {\n  value = provider::metal3::bmc_address("ilo4://h").driver\n}\n',
        provider=UNREACHABLE,
    )
    log = IronicLog(stack)
    mark = log.mark()
    ws.apply()
    out = ws.outputs()
    assert out["vmedia"] == {
        "scheme": "redfish-virtualmedia", "transport": "https", "driver": "redfish",
        "host": "10.0.0.5", "port": 8443, "path": "/redfish/v1/Systems/1",
        "virtual_media": True, "needs_boot_mac_address": False,
    }
    assert out["bare"]["scheme"] == "ipmi" and out["bare"]["port"] is None
    assert out["bare"]["transport"] is None and out["bare"]["needs_boot_mac_address"] is True
    assert out["idrac"]["host"] == "fd00::5" and out["idrac"]["driver"] == "idrac"
    assert out["driver_only"] == "ilo"
    assert not log.provider_requests_since(mark), "a function call reaches no Ironic"
    # Functions are pure: the next plan is empty.
    ws.assert_no_drift()


def test_a_bad_bmc_address_fails_at_the_call_with_what_is_accepted(ws):
    ws.configure(bmc_output("bad", "bogus://10.0.0.5"), provider=UNREACHABLE)
    proc = ws.plan()
    assert proc.returncode == 1
    text = " ".join((proc.stdout + proc.stderr).split())
    assert 'Error: Invalid function argument' in text, text
    assert 'Invalid value for "address" parameter' in text, text
    assert 'unknown BMC address scheme "bogus"' in text and "accepted schemes: ipmi" in text, text
    assert "bmc_address" in text, text


def test_credentials_in_a_bmc_address_are_refused_without_echoing_them(ws):
    ws.configure(bmc_output("creds", "redfish://admin:s3cr3t-pw@10.0.0.5/redfish/v1/Systems/1"),
                 provider=UNREACHABLE)
    proc = ws.plan()
    assert proc.returncode == 1
    text = " ".join((proc.stdout + proc.stderr).split())
    assert 'Invalid value for "address" parameter' in text, text
    assert "must not contain credentials" in text, text
    # Terraform quotes the call's source line, which holds the literal; the provider's own
    # message must not add it anywhere else.
    message = text.split("must not contain credentials", 1)[1]
    assert "s3cr3t-pw" not in message, text
